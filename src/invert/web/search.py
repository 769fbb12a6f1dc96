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
from invert.web.index import SCHEMA
from invert.web.templating import render

router = APIRouter()

MIN_LENGTH = 3
LIMIT = 100


def search(con: duckdb.DuckDBPyConnection, term: str) -> list[dict[str, Any]]:
    """Entities whose names or numbers contain ``term``, each with the field that matched and
    its name, from the values the server prepared at start (``invert.web.index``)."""
    plain = term.strip().lower()
    # A national number (0721...) is stored in international form (+40721...): drop the
    # leading zeros so its significant digits still match.
    compact = re.sub(r"[^0-9a-z]", "", plain).lstrip("0")
    rows = con.execute(
        f"""SELECT s.kind, s.id, s.field, s.value, s.in_table, n.name FROM (
                SELECT * FROM {SCHEMA}.search
                WHERE contains(plain, $plain)
                   OR (length($compact) >= {MIN_LENGTH} AND contains(compact, $compact))
                QUALIFY row_number() OVER (PARTITION BY position ORDER BY id, value)
                        <= {LIMIT}) s
            LEFT JOIN {SCHEMA}.search_name n ON n.kind = s.kind AND n.id = s.id
            ORDER BY s.position, s.id, s.value""",
        {"plain": plain, "compact": compact},
    ).fetchall()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, entity_id, col, value, table, name in rows:
        hit = found.setdefault(
            (kind, entity_id), {"id": entity_id, "table": kind, "matches": [], "name": name}
        )
        hit["matches"].append({"field": col, "value": value, "in": table})
    return list(found.values())[:LIMIT]


@router.get("/search")
def search_page(access: Annotated[Access, Depends(need("search"))], q: str = "") -> Response:
    term = q.strip()
    hits: list[dict[str, Any]] = []
    too_short = bool(term) and len(term) < MIN_LENGTH
    if term and not too_short:
        hits = search(access.con, term)
        access.audit("search", None, query=term, results=len(hits))
    return render(
        access, "search.html", q=term, hits=hits, too_short=too_short, min_length=MIN_LENGTH
    )
