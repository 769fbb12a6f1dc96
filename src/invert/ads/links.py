"""Names that ads' e-mail addresses spell out, so an ad can meet its poster in other records.

Recruiters often write from a personal address built from their own name
(``dumitru.dinu12@…``); the same name is then the holder of an account, the payee of
repayments or a person in payroll. The local part of each distinct address is split on dots,
dashes and underscores, digits dropped, and when two or three alphabetic parts of two letters or
more remain it is keyed like every name of the workspace (``fingerprints``), so that it joins
``name_key`` and ``holderName_key`` exactly. Role addresses (info@, jobs@) give no name.
"""

from __future__ import annotations

import re

import duckdb
import fingerprints
import pyarrow as pa

# Local parts that name a role or a mailbox, not a person (any language's "jobs" words would
# not form two name-like parts anyway; these are the common two-part ones).
ROLE_PARTS = {
    "info",
    "jobs",
    "job",
    "work",
    "hr",
    "office",
    "contact",
    "recruitment",
    "praca",
    "munca",
    "rabota",
    "werk",
    "vacatures",
    "lavoro",
    "travail",
    "munka",
    "noreply",
}
PART = re.compile(r"[^\W\d_]{2,}")


def name_of(address: str) -> str | None:
    """The name key an e-mail address spells, or None."""
    local = address.split("@", 1)[0].lower()
    parts = PART.findall(local)
    if not 2 <= len(parts) <= 3 or ROLE_PARTS & set(parts):
        return None
    return fingerprints.generate(" ".join(parts)) or None


def contact_names(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild ``ad_contact_name(ad, email, name_key)``; returns the rows written."""
    emails = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT value FROM ad_contact WHERE kind = 'email' AND value IS NOT NULL"
        ).fetchall()
    ]
    keyed = [(e, k) for e in emails if (k := name_of(e))]
    con.register(
        "contact_name_arrow",
        pa.table(
            {
                "email": pa.array([e for e, _ in keyed], pa.string()),
                "name_key": pa.array([k for _, k in keyed], pa.string()),
            }
        ),
    )
    try:
        con.execute("""
            CREATE OR REPLACE TABLE ad_contact_name AS
            SELECT DISTINCT c.ad, n.email, n.name_key
            FROM ad_contact c JOIN contact_name_arrow n ON n.email = c.value
            WHERE c.kind = 'email' ORDER BY c.ad, n.email""")
    finally:
        con.unregister("contact_name_arrow")
    return con.execute("SELECT count(*) FROM ad_contact_name").fetchone()[0]
