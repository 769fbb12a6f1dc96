"""Labour inspections: a few percent of firms visited a year, most with nothing or little found.

Firms in planted networks are visited more often (inspectorates act on complaints and risk
selection), and when they are, some of the abuse is seen: but only some, and never a verdict.
"""

from __future__ import annotations

import duckdb

FINDINGS = {
    "none": "geen overtredingen",
    "admin": "administratie onvolledig",
    "safety": "arbeidsomstandigheden",
    "hours": "arbeidstijden",
    "pay": "onderbetaling",
    "undeclared": "illegale tewerkstelling",
    "housing": "huisvesting",
}


def inspections(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE OR REPLACE TABLE inspection AS
        WITH firms AS (
            SELECT c.id, c.network, c.address_id, c.founded, c.dissolved,
                   (SELECT count(DISTINCT person_id) FROM employment e WHERE e.company_id = c.id)
                   AS staff,
                   w.schemes
            FROM company c LEFT JOIN network w ON w.network = c.network
            WHERE c.network IS NULL OR c.network LIKE 'N%'),
        visited AS (
            SELECT *, greatest(founded + 30, DATE '2024-01-08')
                      + CAST(u(id, 'insp-day') * 330 AS INT) AS day
            FROM firms
            WHERE u(id, 'inspected') < CASE WHEN network IS NULL THEN 0.04 ELSE 0.35 END)
        SELECT 'I' || substr(id, 2) AS id, id AS company_id, address_id, day AS date,
               greatest(0, staff - randint(id, 'absent', 0, 3)) AS observed,
               CASE WHEN network IS NULL THEN
                        CASE WHEN u(id, 'undecl') < 0.05 THEN randint(id, 'undecl-n', 1, 2)
                             ELSE 0 END
                    ELSE CAST(round(staff * 0.4 * u(id, 'undecl')) AS INT) END AS undeclared,
               CASE WHEN network IS NULL THEN
                        CASE WHEN u(id, 'finding') < 0.8 THEN ['none']
                             ELSE [pick(id, 'finding-k', ['admin', 'safety', 'hours'])] END
                    ELSE list_filter(['hours', 'pay', 'housing', 'undeclared', 'admin'],
                        x -> (x = 'hours' AND list_contains(schemes, 'excessive_hours')
                              OR x = 'pay' AND list_contains(schemes, 'underpayment')
                              OR x = 'housing' AND list_contains(schemes, 'employer_housing')
                              OR x = 'undeclared' OR x = 'admin')
                             AND u(id, 'seen-' || x) < 0.5) END AS findings,
               network
        FROM visited
        WHERE dissolved IS NULL OR day < dissolved
    """)
    con.execute("UPDATE inspection SET findings = ['none'] WHERE len(findings) = 0")
