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
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import RedirectResponse, Response

from invert.scoring import LISTS
from invert.web.access import Access, need
from invert.web.db import analysed
from invert.web.templating import render
from invert.workspace import has_table

router = APIRouter()

# The table a list's subjects live in, and the column that names them.
SUBJECT_TABLE = {
    "company": ("company", "name"),
    "person": ("person", "name"),
    "child": ("person", "name"),
    "account": ("bank_account", "coalesce(iban, accountNumber)"),
    "ad": ("ad", "coalesce(title, url)"),
}
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
    """One page of the list and the number of leads matching the filter."""
    table, label = SUBJECT_TABLE[name]
    has_address = table in ("company", "person") and has_table(con, "address")
    area_join = (
        "LEFT JOIN (SELECT full_key, any_value(city) AS city, any_value(postalCode) AS postcode "
        "FROM address GROUP BY full_key) a ON a.full_key = n.address_key"
        if has_address
        else "LEFT JOIN (SELECT NULL AS city, NULL AS postcode) a ON true"
    )
    sector = "any_value(sector)" if table == "company" else "NULL"
    address_key = "any_value(address_key)" if has_address else "NULL"
    cur = con.execute(
        f"""WITH n AS (SELECT id, any_value({label}) AS label, {sector} AS sector,
                              {address_key} AS address_key FROM "{table}" GROUP BY id),
            rows AS (
              SELECT s.subject_id, n.label, s.probability, s.score, s.reasons, n.sector, a.city
              FROM score s LEFT JOIN n ON n.id = s.subject_id {area_join}
              WHERE s.list = $list AND s.probability >= $min_p
                AND ($indicator IS NULL OR list_contains(
                     list_transform(s.reasons, r -> r.indicator), $indicator))
                AND ($sector IS NULL OR starts_with(upper(replace(n.sector, '.', '')),
                                                    upper(replace($sector, '.', ''))))
                AND ($area IS NULL OR lower(a.city) = lower($area)
                     OR starts_with(a.postcode, $area)))
            SELECT *, count(*) OVER () AS total FROM rows
            ORDER BY score DESC, subject_id LIMIT $limit OFFSET $offset""",
        {
            "list": name,
            "min_p": where.min_probability,
            "indicator": where.indicator,
            "sector": where.sector,
            "area": where.area,
            "limit": limit,
            "offset": offset,
        },
    )
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    total = rows[0]["total"] if rows else 0
    return rows, total


def choices(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, list[str]]:
    """The values the filters offer: indicators that fired on this list, sectors, cities."""
    out = {
        "indicators": [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT unnest(list_transform(reasons, r -> r.indicator)) AS i "
                "FROM score WHERE list = ? ORDER BY i",
                [name],
            ).fetchall()
        ],
        "sectors": [],
        "areas": [],
    }
    table = SUBJECT_TABLE[name][0]
    if table == "company":
        out["sectors"] = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT sector FROM company WHERE sector IS NOT NULL ORDER BY 1"
            ).fetchall()
        ]
    if table in ("company", "person") and has_table(con, "address"):
        out["areas"] = [
            r[0]
            for r in con.execute(
                f"""SELECT DISTINCT a.city FROM address a JOIN "{table}" t
                    ON t.address_key = a.full_key WHERE a.city IS NOT NULL ORDER BY 1"""
            ).fetchall()
        ]
    return out


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
    name: str,
    access: Annotated[Access, Depends(need("view_leads"))],
    where: Annotated[LeadFilter, Depends(_filter)],
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    _check(access, name)
    size = access.state.settings.page_size
    rows, total = query(access.con, name, where, size, (page - 1) * size)
    access.audit("view_leads", name, filter=where.__dict__, page=page, shown=len(rows))
    return render(
        access,
        "leads.html",
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
        choices=choices(access.con, name),
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
