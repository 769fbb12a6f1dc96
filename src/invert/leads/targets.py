"""Inspection target lists for a joint action day: workplaces, not only legal entities.

A workplace is the site named in an employment record, or else (also for workers known only
from payroll records) the employer's registered address; the records of one registered company
(same registration number) count as one employer until entity resolution has merged them. Each
workplace is ranked by its employer's risk score and carries the employer's top reasons and the
number of workers there who are themselves potential victims (person score at or above a
threshold); workplaces are grouped by area (the city of the address when the workspace knows it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from invert.errors import InvertError
from invert.workspace import Workspace

COLUMNS = (
    "area",
    "rank_in_area",
    "rank",
    "workplace",
    "employer_id",
    "employer",
    "sector",
    "probability",
    "workers",
    "potential_victims",
    "top_reasons",
)


@dataclass(frozen=True)
class TargetFilter:
    area: str | None = None  # city, region, postcode prefix or part of the address
    sector: str | None = None  # NACE prefix: "F", "I56", "A01.1"
    top: int = 50
    victim_probability: float = 0.5


def targets(ws: Workspace, where: TargetFilter) -> list[dict]:
    """The ``top`` riskiest workplaces matching the filter, grouped by area."""
    with ws.connect(read_only=True, resolved=True) as con:
        if not con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'score'"
        ).fetchone()[0]:
            raise InvertError(f"{ws.path} has no scores yet; run: invert analyze {ws.path}")
        return _query(con, where)


def _query(con: duckdb.DuckDBPyConnection, where: TargetFilter) -> list[dict]:
    cur = con.execute(
        """
        WITH employers AS (  -- records of one registered company count as one employer
            SELECT c.id, coalesce(c.registrationNumber, c.id) AS employer,
                   max(c.address_key) OVER w AS address_key, max(c.address) OVER w AS address,
                   max(c.name) OVER w AS name, max(c.sector) OVER w AS sector
            FROM company c
            WINDOW w AS (PARTITION BY coalesce(c.registrationNumber, c.id))),
        places AS (  -- one row per worker and workplace
            SELECT e.employee, coalesce(c.employer, e.employer) AS employer,
                   coalesce(e.site_key, c.address_key, 'unknown:' || e.employer) AS place_key,
                   coalesce(e.site, c.address, '(no address on file)') AS workplace
            FROM (SELECT employee, employer, site, site_key FROM employment
                  UNION  -- payroll records name workers the register may not know
                  SELECT DISTINCT employee, employer, NULL, NULL FROM wage_payment
                  WHERE employer IS NOT NULL) e
            LEFT JOIN employers c ON c.id = e.employer),
        risk AS (  -- the strongest score among the records of each employer
            SELECT coalesce(c.employer, s.subject_id) AS employer,
                   arg_max(s.subject_id, s.score) AS scored_id, max(s.probability) AS probability,
                   arg_max(s.reasons, s.score) AS reasons
            FROM score s LEFT JOIN employers c ON c.id = s.subject_id
            WHERE s.list = 'company' GROUP BY ALL),
        victims AS (
            SELECT subject_id AS employee FROM score
            WHERE list = 'person' AND probability >= $victim_p),
        sites AS (
            SELECT p.employer, p.place_key, any_value(p.workplace) AS workplace,
                   count(DISTINCT p.employee) AS workers,
                   count(DISTINCT v.employee) AS potential_victims
            FROM places p LEFT JOIN victims v ON v.employee = p.employee
            GROUP BY p.employer, p.place_key),
        areas AS (
            SELECT full_key, any_value(city) AS city, any_value(region) AS region,
                   any_value(postalCode) AS postcode
            FROM address GROUP BY full_key),
        ranked AS (
            SELECT coalesce(a.city, 'unknown area') AS area, s.workplace,
                   coalesce(sc.scored_id, s.employer) AS employer_id, c.name AS employer,
                   c.sector, coalesce(sc.probability, 0) AS probability, s.workers,
                   s.potential_victims,
                   array_to_string(list_transform(coalesce(sc.reasons, [])[1:3],
                                   r -> r.indicator || ': ' || r.value), '; ') AS top_reasons,
                   a.region, a.postcode
            FROM sites s
            LEFT JOIN (SELECT DISTINCT employer, name, sector FROM employers) c
                   ON c.employer = s.employer
            LEFT JOIN risk sc ON sc.employer = s.employer
            LEFT JOIN areas a ON a.full_key = s.place_key
            WHERE (sc.employer IS NOT NULL OR s.potential_victims > 0)
              AND ($area IS NULL OR lower(a.city) = lower($area)
                   OR lower(a.region) = lower($area) OR starts_with(a.postcode, $area)
                   OR contains(lower(s.workplace), lower($area)))
              AND ($sector IS NULL
                   OR starts_with(upper(replace(c.sector, '.', '')),
                                  upper(replace($sector, '.', ''))))
            ORDER BY probability DESC, potential_victims DESC, employer_id, workplace
            LIMIT $top),
        numbered AS (
            SELECT *, row_number() OVER (ORDER BY probability DESC, potential_victims DESC,
                                                  employer_id, workplace) AS rank,
                   row_number() OVER (PARTITION BY area ORDER BY probability DESC,
                                      potential_victims DESC, employer_id, workplace)
                       AS rank_in_area,
                   max(probability) OVER (PARTITION BY area) AS area_risk
            FROM ranked)
        SELECT area, rank_in_area, rank, workplace, employer_id, employer, sector,
               round(probability, 3) AS probability, workers, potential_victims, top_reasons
        FROM numbered ORDER BY area_risk DESC, area, rank_in_area
        """,
        {
            "victim_p": where.victim_probability,
            "area": where.area,
            "sector": where.sector,
            "top": where.top,
        },
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def write(rows: list[dict], out: Path, fmt: str) -> None:
    """Write the list as CSV or as an Excel sheet (one header row, one row per workplace)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        import csv

        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "targets"
        sheet.append(list(COLUMNS))
        for row in rows:
            sheet.append([row[c] for c in COLUMNS])
        sheet.freeze_panes = "A2"
        book.save(out)
    else:
        raise InvertError(f"unknown format '{fmt}': use csv or xlsx")
