"""Stable pseudonyms for users whose role may not see identities (``sees_identities`` false).

Every name, identifier and entity id a page shows passes through one ``Masker``: for a user who
sees identities it returns the value unchanged, for the others a pseudonym such as
``person·3f9a1c07b2``, an HMAC of the value under the workspace's web key, so the same person
gets the same pseudonym on every page and in every session, and nobody without the key can
recompute one from a guessed name or number. Entity ids are masked too: they are digests of
source keys (a tax number, a name and a birth date) and could be reversed by guessing.

Free text (an indicator's value, "paid into NL91..., shared with 2 workers") is scrubbed: the
workspace's person names, account holders, numbers, phones and e-mails, and anything shaped like
an IBAN, an e-mail or a phone number, are replaced by pseudonyms of themselves.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
from typing import Any

import duckdb

from invert.model import Model
from invert.web.db import scalar
from invert.workspace import has_table

SEP = "·"
HEX = 10  # 40 bits: collisions stay unlikely up to about a million values of one kind
# What a pseudonym says about the value's kind: table → label shown. Other tables show their name.
LABELS = {"bank_account": "account"}
# Properties shown in clear even to users who see no identities: they single nobody out.
CLEAR_FIELDS = frozenset(
    {
        "nationality",
        "country",
        "gender",
        "languages",
        "currency",
        "bankName",
        "bic",
        "jurisdiction",
        "sector",
        "legalForm",
        "status",
        "incorporationDate",
        "dissolutionDate",
        "headcount",
        "revenue",
        "staffCost",
        "platform",
        "kind",
        "language",
    }
)
# Tables whose other properties are personal data; companies and ads are shown (scrubbed).
PERSONAL_TABLES = frozenset({"person", "bank_account", "address", "phone", "email"})
PATTERNS = re.compile(
    r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"  # IBAN, with or without spaces
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<![\w-])(?:\+|0)\d[\d ()/.-]{5,}\d"  # phone, national or international
    r"|\b\d{9,}\b"  # personal numbers and other long digit runs
)
# Which values of the workspace are identities to scrub from free text: every name, phone,
# e-mail, IBAN and address outside the company register, and the personal numbers.
KNOWN_TYPES = frozenset({"name", "phone", "email", "iban", "address"})
KNOWN_FIELDS = frozenset({"lastName", "idNumber", "passportNumber", "taxNumber", "accountNumber"})


def table_label(table: str) -> str:
    return LABELS.get(table, table)


def label_table(label: str) -> str:
    return {v: k for k, v in LABELS.items()}.get(label, label)


class Masker:
    """Pseudonymises for one request; ``clear`` (the user sees identities) makes it a no-op."""

    def __init__(self, key: bytes, clear: bool, known: re.Pattern[str] | None = None) -> None:
        self._key = hmac.new(key, b"invert-web-pseudonyms", hashlib.sha256).digest()
        self.clear = clear
        self._known = known

    def digest(self, label: str, value: str) -> str:
        mac = hmac.new(self._key, f"{label}:{value}".encode(), hashlib.sha256)
        return f"{label}{SEP}{mac.hexdigest()[:HEX]}"

    def entity(self, table: str | None, entity_id: Any) -> str:
        """An entity id as this user may see it (also what their links carry)."""
        if self.clear or entity_id is None:
            return "" if entity_id is None else str(entity_id)
        return self.digest(table_label(table or "entity"), str(entity_id))

    def field(self, table: str | None, name: str, value: Any) -> Any:
        """A property value of an entity of ``table``."""
        if self.clear or value is None:
            return value
        if table in PERSONAL_TABLES and name not in CLEAR_FIELDS:
            return self.digest(name, str(value).strip().lower())
        return self.text(value) if isinstance(value, str) else value

    def text(self, value: Any) -> Any:
        """Free text with every known or recognisable identity replaced by its pseudonym."""
        if self.clear or not isinstance(value, str) or not value:
            return value
        if self._known is not None:
            value = self._known.sub(lambda m: self.digest("name", m.group(0).lower()), value)
        return PATTERNS.sub(self._number, value)

    def _number(self, match: re.Match[str]) -> str:
        found = match.group(0)
        compact = re.sub(r"\W", "", found)
        # Nine digits at least: phone numbers have them, dates (05-11-2024) do not.
        if sum(c.isdigit() for c in compact) < 9 and "@" not in found:
            return found
        kind = "email" if "@" in found else "iban" if found[:2].isalpha() else "number"
        return self.digest(kind, compact.lower())


class KnownIdentities:
    """The workspace's identity strings as one pattern, rebuilt when the data changes."""

    def __init__(self, model: Model) -> None:
        self._columns = {
            etype.table: tuple(
                p.name
                for p in etype.properties.values()
                if p.type.name in KNOWN_TYPES or p.name in KNOWN_FIELDS
            )
            for etype in model
            if etype.table != "company"
        }
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self._pattern: re.Pattern[str] | None = None

    def pattern(self, con: duckdb.DuckDBPyConnection) -> re.Pattern[str] | None:
        present = {t: cols for t, cols in self._columns.items() if cols and has_table(con, t)}
        db = scalar(con, "SELECT current_database()")
        signature = (
            *(scalar(con, f'SELECT count(*) FROM "{db}".main."{t}"') for t in present),
            scalar(con, "SELECT max(ingested_at) FROM sources"),
        )
        with self._lock:
            if signature != self._signature:
                self._pattern = _compile(con, db, present)
                self._signature = signature
            return self._pattern


def _compile(
    con: duckdb.DuckDBPyConnection, db: str, present: dict[str, tuple[str, ...]]
) -> re.Pattern[str] | None:
    values: set[str] = set()
    for table, wanted in present.items():
        cols = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_catalog = ? AND table_name = ?",
                [db, table],
            ).fetchall()
        }
        for col in (c for c in wanted if c in cols):
            rows = con.execute(
                f'SELECT DISTINCT CAST("{col}" AS VARCHAR) FROM "{db}".main."{table}" '
                f'WHERE "{col}" IS NOT NULL'
            ).fetchall()
            # Short strings ("Ion") would blank out ordinary words; whole names are long enough.
            values.update(r[0].strip() for r in rows if len(r[0].strip()) >= 4)
    if not values:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
