"""The business register: companies by sector with lifespans, offices and officers.

Company sizes are log-normal around each sector's median (a few large employers, many small
ones) and one company in seven is already dissolved, as in business-register statistics.
"""

from __future__ import annotations

import duckdb

from invert.simulate.config import Settings
from invert.simulate.rng import PRIME_8

COMPANY_COLUMNS = """
    id VARCHAR PRIMARY KEY, kvk VARCHAR, vat VARCHAR, name VARCHAR, legal_form VARCHAR,
    nace VARCHAR, founded DATE, dissolved DATE, address_id VARCHAR, phone VARCHAR, email VARCHAR,
    headcount INTEGER, network VARCHAR"""


def companies(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    n = s.count("companies")
    con.execute(f"CREATE OR REPLACE TABLE company ({COMPANY_COLUMNS})")
    add_companies(
        con,
        f"""
        WITH base AS (SELECT i, u(i, 'sector') AS us FROM range({n}) t(i)),
        offices AS (SELECT id AS address_id, row_number() OVER (ORDER BY id) - 1 AS k
                    FROM address WHERE kind = 'office'),
        dated AS (
            SELECT b.i, s.nace, o.address_id,
                   -- founding: most firms are young, some decades old
                   least(DATE '2024-06-30' - CAST(365.25 * 14 * -ln(1 - 0.97 * u(b.i, 'age'))
                                                  AS INT), DATE '2024-06-30') AS founded
            FROM base b JOIN sector s ON b.us >= s.lo AND b.us < s.hi
            JOIN offices o ON o.k = b.i)
        SELECT i, nace, founded,
               CASE WHEN u(i, 'dissolved') < 0.14
                    THEN founded + CAST(u(i, 'life') * (DATE '2024-12-31' - founded) AS INT)
               END AS dissolved,
               address_id, CAST(NULL AS VARCHAR) AS phone, CAST(NULL AS VARCHAR) AS network
        FROM dated""",
    )


def add_companies(con: duckdb.DuckDBPyConnection, spec: str) -> None:
    """Create companies from ``spec``: a SELECT of (i, nace, founded, dissolved, address_id,
    phone, network); a NULL phone gets one of the firm's own."""
    con.execute(f"""
        INSERT INTO company
        WITH spec AS ({spec})
        SELECT 'C' || lpad(i::VARCHAR, 7, '0'),
               (10000000 + perm(i, 'kvk', {PRIME_8}))::VARCHAR,
               'NL' || lpad(perm(i, 'vat', {PRIME_8})::VARCHAR, 9, '0') || 'B01',
               pick(i, 'name1', s.words) || ' ' || CASE
                   WHEN u(i, 'name2') < 0.5 THEN split_part(pick(i, 'name3',
                       (SELECT surname FROM nat WHERE nat = 'NL')), '|', 1)
                   ELSE pick(i, 'name4', ['Westland', 'Holland', 'Delta', 'Zuid', 'Noord',
                       'Groep', 'Partners', 'Service', 'Centrum', 'Maasland', 'Haaglanden',
                       'Rijnmond', 'Plus', 'Direct', 'Totaal', 'Europe', 'International'])
                   END
               || CASE WHEN u(i, 'form') < 0.78 THEN ' B.V.' WHEN u(i, 'form') < 0.88
                       THEN ' V.O.F.' ELSE '' END,
               CASE WHEN u(i, 'form') < 0.78 THEN 'B.V.' WHEN u(i, 'form') < 0.88 THEN 'V.O.F.'
                    ELSE 'Eenmanszaak' END,
               spec.nace, founded, dissolved, address_id,
               coalesce(phone, CASE
                    WHEN u(i, 'mobile') < 0.3
                    THEN '+316' || randint(i, 'cphone6', 1, 5) || digits(i, 'cphone', 7)
                    WHEN u(i, 'area') < 0.4 THEN '+31174' || digits(i, 'cphone', 6)
                    ELSE '+31' || pick(i, 'area2', ['10', '70', '15', '79'])
                         || digits(i, 'cphone', 7) END),
               NULL,
               greatest(1, round(s.size * exp(1.0 * gauss(i, 'size'))))::INT,
               network
        FROM spec JOIN sector s ON s.nace = spec.nace
    """)
    con.execute("""
        UPDATE company SET email = 'info@' || regexp_replace(lower(strip_accents(
            regexp_replace(name, ' (B\\.V\\.|V\\.O\\.F\\.)$', ''))), '[^a-z0-9]+', '', 'g') || '.nl'
        WHERE email IS NULL AND u(id, 'has-email') < 0.6""")


def officers(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    """Directors: one per company, a second for a quarter of B.V.s; some run several firms."""
    con.execute("""
        CREATE OR REPLACE TABLE officer AS
        WITH d AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM person
                   WHERE role = 'director'),
        n AS (SELECT count(*) AS n FROM d),
        seats AS (
            SELECT c.id AS company_id, c.founded, c.dissolved, 1 AS seat FROM company c
            UNION ALL
            SELECT c.id, c.founded, c.dissolved, 2 FROM company c
            WHERE c.legal_form = 'B.V.' AND u(c.id, 'second-director') < 0.25)
        SELECT seats.company_id, d.id AS person_id,
               CASE WHEN seat = 1 THEN 'bestuurder' ELSE
                    pick(seats.company_id, 'role', ['bestuurder', 'gevolmachtigde',
                                                     'commissaris']) END AS role,
               founded + CAST(CASE WHEN seat = 1 THEN 0 ELSE
                   u(seats.company_id, 'from') * least(3000, DATE '2024-12-31' - founded) END
                   AS INT) AS start,
               dissolved AS "end", CAST(NULL AS VARCHAR) AS network
        FROM seats CROSS JOIN n
        JOIN d ON d.k = CAST(floor(u(seats.company_id || seat, 'director') * n.n) AS BIGINT)
    """)
