"""People and dwellings of the region: workers, company officers, landlords, and their homes.

Names are stored with their spelling variants ("Oleksandr|Aleksandr") so that each source can
write a person the way that source would; the first variant is the person's own spelling.
"""

from __future__ import annotations

import duckdb

from invert.simulate.config import Settings
from invert.simulate.rng import PRIME_8

PERSON_COLUMNS = """
    id VARCHAR PRIMARY KEY, role VARCHAR, nat VARCHAR, sex VARCHAR, first_raw VARCHAR,
    last_raw VARCHAR, birth DATE, bsn VARCHAR, phone VARCHAR, email VARCHAR, address_id VARCHAR,
    network VARCHAR"""


def dwellings(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    """Homes (about one per 2.2 workers) and offices; rooms and floor area make crowding visible."""
    n_homes = max(10, round(s.count("workers") / 2.2))
    n_offices = s.count("companies")
    con.execute("CREATE OR REPLACE TABLE address_slot (city VARCHAR, slot BIGINT)")
    con.execute("""CREATE OR REPLACE TABLE address (
        id VARCHAR PRIMARY KEY, kind VARCHAR, street VARCHAR, number VARCHAR, postcode VARCHAR,
        city VARCHAR, rooms INTEGER, floor_m2 DOUBLE, owner_id VARCHAR, network VARCHAR)""")
    add_addresses(
        con,
        f"""
        SELECT i, CASE WHEN i < {n_homes} THEN 'home' ELSE 'office' END AS kind,
               CASE WHEN i < {n_homes} THEN randint(i, 'addr:rooms', 1, 5) END AS rooms,
               CAST(NULL AS VARCHAR) AS owner_id, CAST(NULL AS VARCHAR) AS network
        FROM range({n_homes + n_offices}) t(i)""",
    )


def add_addresses(con: duckdb.DuckDBPyConnection, spec: str) -> None:
    """Create addresses from ``spec``: a SELECT of (i, kind, rooms, owner_id, network).

    Within a city, addresses take consecutive (street, number) slots after those already used,
    so two addresses never share a street and number; the postcode follows the street block.
    """
    con.execute(f"""
        INSERT INTO address
        WITH spec AS ({spec}),
        placed AS (
            SELECT spec.*, c.city, c.postcode AS pc4,
                   coalesce((SELECT slot FROM address_slot s WHERE s.city = c.city), 0)
                   + row_number() OVER (PARTITION BY c.city ORDER BY spec.i) - 1 AS slot
            FROM spec JOIN city c ON u(spec.i, 'addr:city') >= c.lo
                                 AND u(spec.i, 'addr:city') < c.hi),
        named AS (
            SELECT p.*, l.streets[1 + slot % len(l.streets)] AS street,
                   1 + (slot // len(l.streets)) * 2 + (hash(p.city, slot) % 2)::INT AS no
            FROM placed p CROSS JOIN lists l)
        SELECT 'A' || lpad(i::VARCHAR, 8, '0'), kind, street,
               no::VARCHAR || CASE WHEN u(i, 'addr:suffix') < 0.05 AND kind = 'home'
                                   THEN pick(i, 'addr:sfx', ['a', 'b']) ELSE '' END,
               pc4 || ' ' || chr(65 + (hash(city, street, no // 40) % 26)::INT)
                   || chr(65 + (hash(city, street, no // 40, 'b') % 26)::INT),
               city, rooms,
               CASE WHEN rooms IS NOT NULL THEN round(28 + 22 * rooms + 15 * u(i, 'addr:m2')) END,
               owner_id, network
        FROM named
    """)
    con.execute("""
        CREATE OR REPLACE TABLE address_slot AS
        SELECT city, count(*) AS slot FROM address GROUP BY city
    """)


def next_number(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """The next free entity number of a table whose ids are a letter and a number."""
    row = con.execute(f"SELECT coalesce(max(substr(id, 2)::BIGINT), -1) + 1 FROM {table}")
    return int(row.fetchone()[0])


def people(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    """Workers, directors and landlords with names, birth dates, citizen numbers and phones."""
    n_workers = s.count("workers")
    n_directors = max(5, round(s.count("companies") * 0.9))
    n_landlords = max(3, round(s.count("workers") / 60))
    total = n_workers + n_directors + n_landlords
    n_homes = con.execute("SELECT count(*) FROM address WHERE kind = 'home'").fetchone()[0]
    step = next(p for p in (7919, 7927, 7933) if n_homes % p)
    con.execute(f"CREATE OR REPLACE TABLE person ({PERSON_COLUMNS})")
    _citizen_numbers(con, round(total * 1.1) + 2000)  # spare numbers for planted people
    add_people(
        con,
        f"""
        WITH base AS (
            SELECT i,
                   CASE WHEN i < {n_workers} THEN 'worker'
                        WHEN i < {n_workers + n_directors} THEN 'director'
                        ELSE 'landlord' END AS role,
                   u(i, 'nat') AS un FROM range({total}) t(i))
        SELECT b.i, role,
               CASE WHEN role = 'worker' THEN n.nat
                    WHEN u(b.i, 'officer-nl') < 0.85 THEN 'NL' ELSE n.nat END AS nat,
               CASE WHEN role = 'worker' AND u(b.i, 'minor') < 0.015
                    THEN 15 + 3 * u(b.i, 'age')            -- pupils with a side job
                    WHEN role = 'worker' THEN 18 + 46 * pow(u(b.i, 'age'), 1.35)
                    ELSE 27 + 40 * u(b.i, 'age') END AS age,
               -- Households of two or three: consecutive people land in homes far apart.
               CASE WHEN role = 'worker' OR u(b.i, 'home') < 0.7
                    THEN 'A' || lpad(((b.i * {step} + {s.seed}) % {n_homes})::VARCHAR, 8, '0')
               END AS address_id,
               CAST(NULL AS VARCHAR) AS network
        FROM base b JOIN nat n ON b.un >= n.lo AND b.un < n.hi
    """,
    )
    _landlords(con, n_workers + n_directors, n_landlords)


def add_people(con: duckdb.DuckDBPyConnection, spec: str) -> None:
    """Create people from ``spec``: a SELECT of (i, role, nat, age, address_id, network).

    ``i`` is a person's number: it fixes the id, the citizen number and every random draw, so
    planted people are made exactly like ordinary ones.
    """
    con.execute(f"""
        INSERT INTO person
        WITH spec AS ({spec})
        SELECT 'P' || lpad(c.i::VARCHAR, 8, '0'), role, c.nat,
               CASE WHEN u(c.i, 'sex') < 0.58 THEN 'm' ELSE 'f' END AS sex,
               CASE WHEN u(c.i, 'sex') < 0.58 THEN pick(c.i, 'first', n.male)
                    ELSE pick(c.i, 'first', n.female) END,
               pick(c.i, 'last', n.surname),
               DATE '2024-07-01' - CAST(365.25 * age AS INT),
               cn.bsn,
               CASE WHEN c.nat = 'NL' OR u(c.i, 'phone-nl') < 0.55
                    THEN '+316' || randint(c.i, 'phone6', 1, 5) || digits(c.i, 'phone', 7)
                    ELSE '+' || n.phone_code || pick(c.i, 'mobile', n.mobiles)
                         || digits(c.i, 'phone', n.phone_digits) END,
               CASE WHEN u(c.i, 'has-email') < 0.55 THEN lower(strip_accents(
                   replace(split_part(pick(c.i, 'first', CASE WHEN u(c.i, 'sex') < 0.58
                                      THEN n.male ELSE n.female END), '|', 1), ' ', '') || '.'
                   || replace(split_part(pick(c.i, 'last', n.surname), '|', 1), ' ', '')
                   || CASE WHEN u(c.i, 'email-n') < 0.5
                           THEN randint(c.i, 'email-no', 1, 99)::VARCHAR ELSE '' END
                   || pick(c.i, 'email-host', ['@gmail.com', '@outlook.com', '@yahoo.com',
                                               '@hotmail.com', '@ziggo.nl', '@kpnmail.nl'])))
               END,
               address_id, network
        FROM spec c JOIN nat n USING (nat)
        JOIN (SELECT i AS ci, bsn FROM citizen_number) cn ON cn.ci = c.i
    """)


def _landlords(con: duckdb.DuckDBPyConnection, first: int, n: int) -> None:
    """Private landlords (people ``first`` .. ``first + n - 1``) own the homes they let."""
    con.execute(f"""
        UPDATE address SET owner_id = 'P' || lpad(({first}
                 + randint(id, 'landlord', 0, {n - 1}))::VARCHAR, 8, '0')
        WHERE kind = 'home' AND u(id, 'let') < 0.45
    """)


def _citizen_numbers(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """Unique citizen service numbers (BSN) that pass the eleven test, numbered 0..n-1."""
    candidates = round(n * 1.2) + 50
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE citizen_number AS
        WITH c AS (SELECT i AS ci, 10000000 + perm(i, 'bsn', {PRIME_8}) AS x
                   FROM range({candidates}) t(i)),
        -- the eleven test on the eight digits (weights 9 .. 2), in arithmetic
        s AS (SELECT ci, x::VARCHAR AS b,
                     (x // 10000000 * 9 + x // 1000000 % 10 * 8 + x // 100000 % 10 * 7
                      + x // 10000 % 10 * 6 + x // 1000 % 10 * 5 + x // 100 % 10 * 4
                      + x // 10 % 10 * 3 + x % 10 * 2) % 11 AS r FROM c)
        SELECT row_number() OVER (ORDER BY ci) - 1 AS i, b || r::VARCHAR AS bsn
        FROM s WHERE r < 10
    """)
    got = con.execute("SELECT count(*) FROM citizen_number").fetchone()[0]
    assert got >= n, "not enough citizen numbers generated"
