"""Lead lists: one page per list (company, person, child, account, ad), highest score first,
filtered by minimum probability, indicator, sector and area where the data has them, in pages;
and the same list as CSV for users who may export.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

import duckdb
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from invert.scoring import LISTS
from invert.web.access import Access, need
from invert.web.db import analysed, scalar
from invert.web.index import SCHEMA, SUBJECT_TABLE
from invert.web.templating import render

router = APIRouter()

EXPORT_LIMIT = 10_000


@dataclass(frozen=True)
class LeadFilter:
    min_probability: float = 0.0
    indicator: str | None = None
    sector: str | None = None  # NACE prefix, companies only
    area: str | None = None  # city or postcode prefix of the subject's address


def _filter(
    min_p: Annotated[float, Query(ge=0, le=1)] = 0.0,
    indicator: str = "",
    sector: str = "",
    area: str = "",
) -> LeadFilter:
    return LeadFilter(min_p, indicator or None, sector or None, area or None)


def query(
    con: duckdb.DuckDBPyConnection, name: str, where: LeadFilter, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the list and the number of leads matching the filter, from the scores the
    server prepared at start (``invert.web.index``)."""
    matching = f"""FROM {SCHEMA}.lead
        WHERE list = $list AND probability >= $min_p
          AND ($indicator IS NULL OR list_contains(indicators, $indicator))
          AND ($sector IS NULL OR starts_with(upper(replace(sector, '.', '')),
                                              upper(replace($sector, '.', ''))))
          AND ($area IS NULL OR lower(city) = lower($area) OR starts_with(postcode, $area))"""
    params = {
        "list": name,
        "min_p": where.min_probability,
        "indicator": where.indicator,
        "sector": where.sector,
        "area": where.area,
    }
    # The count and the page apart: a top-n with a window over it would sort the whole list.
    total = scalar(con, f"SELECT count(*) {matching}", params)
    cur = con.execute(
        f"""SELECT subject_id, label, probability, score, reasons, sector, city {matching}
            ORDER BY score DESC, subject_id LIMIT $limit OFFSET $offset""",
        {**params, "limit": limit, "offset": offset},
    )
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return rows, total


def _check(access: Access, name: str) -> None:
    if name not in LISTS:
        raise HTTPException(404, f"There is no {name!r} list; the lists are {', '.join(LISTS)}.")
    if not analysed(access.con):
        raise HTTPException(
            409, f"This case has no scores yet; run: invert analyze {access.state.ws.path}"
        )


@router.get("/")
def home(access: Annotated[Access, Depends(need("view_leads", resolved=False))]) -> Response:
    return RedirectResponse("/leads/company", status_code=303)


@router.get("/leads/{name}")
def leads_page(
    request: Request,
    name: str,
    access: Annotated[Access, Depends(need("view_leads", resolved=False))],
    where: Annotated[LeadFilter, Depends(_filter)],
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    _check(access, name)
    size = access.state.settings.page_size
    rows, total = access.state.db.index.memo["leads"].get(
        (name, where, size, page), lambda: query(access.con, name, where, size, (page - 1) * size)
    )
    access.audit("view_leads", name, filter=where.__dict__, page=page, shown=len(rows))
    # htmx (filtering and paging without a reload) asks for the results alone; a restore of
    # the browser's history after a reload wants the whole page.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    return render(
        access,
        "leads_results.html" if partial else "leads.html",
        list_name=name,
        lists=list(LISTS),
        table=SUBJECT_TABLE[name][0],
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // size)),
        page_size=size,
        where=where,
        filter_qs=urlencode(
            {
                "min_p": where.min_probability,
                "indicator": where.indicator or "",
                "sector": where.sector or "",
                "area": where.area or "",
            }
        ),
        choices=access.state.db.index.choices(access.con, name),
    )


@router.get("/leads/{name}/export")
def leads_export(
    name: str,
    access: Annotated[Access, Depends(need("export_report"))],
    where: Annotated[LeadFilter, Depends(_filter)],
) -> Response:
    _check(access, name)
    rows, _ = query(access.con, name, where, EXPORT_LIMIT, 0)
    table = SUBJECT_TABLE[name][0]
    masker = access.masker
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "subject_id", "name", "probability", "reasons"])
    for rank, r in enumerate(rows, start=1):
        reasons = "; ".join(f"{x['indicator']}: {masker.text(x['value'])}" for x in r["reasons"])
        writer.writerow(
            [
                rank,
                masker.entity(table, r["subject_id"]),
                masker.field(table, "name", r["label"]),
                round(r["probability"], 4),
                reasons,
            ]
        )
    access.audit("export_report", name, format="csv", filter=where.__dict__, rows=len(rows))
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}-leads.csv"'},
    )
