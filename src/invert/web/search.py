"""Search over the case's names, personal and company numbers, phones, e-mails and IBANs.

Terms and values are compared with everything but letters and digits removed (as typed when
that leaves fewer than three characters), so ``0721 234 567`` and ``NL91 ABNA 0417 1643 00``
find the stored forms ``+40721234567`` and ``NL91ABNA0417164300``. A payroll line's IBAN finds
the worker it paid. The values are prepared once when the server starts (``invert.web.index``).
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
MAX_VALUES = 2000  # distinct matching values read at most (a three-letter term can match many)


def search(con: duckdb.DuckDBPyConnection, term: str) -> list[dict[str, Any]]:
    """Entities whose names or numbers contain ``term``, each with the field that matched and
    its name, from the values the server prepared at start (``invert.web.index``)."""
    plain = term.strip().lower()
    # A national number (0721...) is stored in international form (+40721...): drop the
    # leading zeros so its significant digits still match.
    compact = re.sub(r"[^0-9a-z]", "", plain).lstrip("0")
    # A term found as typed is found compacted too (dropping what is neither a letter nor a
    # digit from both sides keeps it a part), so one comparison is enough.
    if len(compact) >= MIN_LENGTH:
        condition, term = "contains(compact, $term)", compact
    else:
        condition, term = "contains(plain, $term)", plain
    values = [
        r[0]
        for r in con.execute(
            f"SELECT vid FROM {SCHEMA}.search_value WHERE {condition} LIMIT {MAX_VALUES}",
            {"term": term},
        ).fetchall()
    ]
    if not values:
        return []
    # Literal value numbers: the index on ``vid`` finds their rows without a scan.
    rows = con.execute(
        f"""SELECT kind, id, field, value, in_table, name FROM {SCHEMA}.search
            WHERE vid IN ({", ".join(str(int(v)) for v in values)})
            QUALIFY row_number() OVER (PARTITION BY position ORDER BY id, value) <= {LIMIT}
            ORDER BY position, id, value"""
    ).fetchall()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, entity_id, col, value, table, name in rows:
        hit = found.setdefault(
            (kind, entity_id), {"id": entity_id, "table": kind, "matches": [], "name": name}
        )
        hit["matches"].append({"field": col, "value": value, "in": table})
    return list(found.values())[:LIMIT]


@router.get("/search")
def search_page(
    access: Annotated[Access, Depends(need("search", resolved=False))], q: str = ""
) -> Response:
    term = q.strip()
    hits: list[dict[str, Any]] = []
    too_short = bool(term) and len(term) < MIN_LENGTH
    if term and not too_short:
        hits = access.state.db.index.memo["search"].get(term, lambda: search(access.con, term))
        access.audit("search", None, query=term, results=len(hits))
    return render(
        access, "search.html", q=term, hits=hits, too_short=too_short, min_length=MIN_LENGTH
    )
