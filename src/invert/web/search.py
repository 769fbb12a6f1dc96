"""Search over the case's names, personal and company numbers, phones, e-mails and IBANs.

Each term is compared twice: as typed (part of a name) and with everything but letters and
digits removed, so ``0721 234 567`` and ``NL91 ABNA 0417 1643 00`` find the stored forms
``+40721234567`` and ``NL91ABNA0417164300``. A payroll line's IBAN finds the worker it paid.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends
from fastapi.responses import Response

from invert.web.access import Access, need
from invert.web.templating import render
from invert.workspace import has_table

router = APIRouter()

MIN_LENGTH = 3
LIMIT = 100
# (table searched, columns compared, column holding the entity found, that entity's table)
TARGETS = (
    (
        "person",
        ("name", "taxNumber", "idNumber", "passportNumber", "phone", "email"),
        "id",
        "person",
    ),
    (
        "company",
        ("name", "registrationNumber", "vatCode", "taxNumber", "phone", "email"),
        "id",
        "company",
    ),
    (
        "bank_account",
        ("iban", "accountNumber", "holderName", "kycPhone", "kycEmail"),
        "id",
        "bank_account",
    ),
    ("wage_payment", ("iban", "ibanHolder"), "employee", "person"),
)


def search(con: duckdb.DuckDBPyConnection, term: str) -> list[dict[str, Any]]:
    """Entities whose names or numbers contain ``term``, each with the field that matched."""
    plain = term.strip().lower()
    # A national number (0721...) is stored in international form (+40721...): drop the
    # leading zeros so its significant digits still match.
    compact = re.sub(r"[^0-9a-z]", "", plain).lstrip("0")
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for table, columns, id_col, kind in TARGETS:
        if not has_table(con, table):
            continue
        for col in columns:
            rows = con.execute(
                f"""SELECT DISTINCT "{id_col}", CAST("{col}" AS VARCHAR) FROM "{table}"
                    WHERE "{id_col}" IS NOT NULL AND (contains(lower("{col}"), $plain)
                       OR (length($compact) >= {MIN_LENGTH} AND contains(
                           regexp_replace(lower("{col}"), '[^0-9a-z]', '', 'g'), $compact)))
                    LIMIT {LIMIT}""",
                {"plain": plain, "compact": compact},
            ).fetchall()
            for entity_id, value in rows:
                hit = found.setdefault(
                    (kind, entity_id), {"id": entity_id, "table": kind, "matches": []}
                )
                hit["matches"].append({"field": col, "value": value, "in": table})
    return list(found.values())[:LIMIT]


def names(con: duckdb.DuckDBPyConnection, hits: list[dict[str, Any]]) -> None:
    """Give each hit the name its table holds."""
    for hit in hits:
        label = "coalesce(iban, accountNumber)" if hit["table"] == "bank_account" else "name"
        row = con.execute(
            f'SELECT any_value({label}) FROM "{hit["table"]}" WHERE id = ?', [hit["id"]]
        ).fetchone()
        hit["name"] = row[0] if row else None


@router.get("/search")
def search_page(access: Annotated[Access, Depends(need("search"))], q: str = "") -> Response:
    term = q.strip()
    hits: list[dict[str, Any]] = []
    too_short = bool(term) and len(term) < MIN_LENGTH
    if term and not too_short:
        hits = search(access.con, term)
        names(access.con, hits)
        access.audit("search", None, query=term, results=len(hits))
    return render(
        access, "search.html", q=term, hits=hits, too_short=too_short, min_length=MIN_LENGTH
    )
