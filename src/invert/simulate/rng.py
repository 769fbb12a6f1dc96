"""Deterministic randomness in SQL.

Every random draw is a hash of one string joining entity key, purpose and seed (DuckDB's
multi-argument hash combines its arguments' hashes, which would make two draws for one key
correlated): the same seed gives the same world whatever the number of threads or the order
DuckDB evaluates rows in, and a draw for one entity never shifts when another is added.
``u(key, purpose)`` is uniform on [0, 1).
"""

from __future__ import annotations

import duckdb


def install(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    seed = int(seed)
    con.execute(f"""
        -- u(k, p) is u_of(k || u_tail(p)): a query drawing for many keys and a few purposes
        -- can spell each purpose's tail once.
        CREATE OR REPLACE MACRO u_tail(p) AS concat(chr(31), CAST(p AS VARCHAR), chr(31), '{seed}');
        CREATE OR REPLACE MACRO u_of(s) AS ((hash(s) >> 11)::DOUBLE / 9007199254740992.0);
        CREATE OR REPLACE MACRO u(k, p) AS u_of(concat(CAST(k AS VARCHAR), u_tail(p)));
        -- A standard normal draw (Box-Muller).
        CREATE OR REPLACE MACRO gauss(k, p) AS
            sqrt(-2 * ln(greatest(u(k, p || ':1'), 1e-12))) * cos(2 * pi() * u(k, p || ':2'));
        -- An integer in [lo, hi].
        CREATE OR REPLACE MACRO randint(k, p, lo, hi) AS
            CAST(lo + floor(u(k, p) * (hi - lo + 1)) AS BIGINT);
        -- One element of a list, uniformly.
        CREATE OR REPLACE MACRO pick(k, p, xs) AS xs[1 + floor(u(k, p) * len(xs))::BIGINT];
        -- A string of n random digits.
        CREATE OR REPLACE MACRO digits(k, p, n) AS
            lpad(CAST(floor(u(k, p) * pow(10, least(n, 15)))::BIGINT AS VARCHAR),
                 CAST(least(n, 15) AS INT), '0')
            || CASE WHEN n > 15 THEN lpad(CAST(floor(u(k, p || ':b') * pow(10, n - 15))::BIGINT
                                                AS VARCHAR), CAST(n - 15 AS INT), '0')
                    ELSE '' END;
        -- Sums of amounts held as DOUBLE, added exactly (in cents, or to 1/10000 for
        -- products of rates and hours): a parallel floating-point sum depends on the order
        -- threads add rows in, which would make the same seed give different bytes.
        CREATE OR REPLACE MACRO sum_cents(x) AS
            CAST(sum(CAST(x AS DECIMAL(18, 2))) AS DOUBLE);
        CREATE OR REPLACE MACRO sum_exact(x) AS
            CAST(sum(CAST(x AS DECIMAL(18, 4))) AS DOUBLE);
        -- Letters as IBAN check arithmetic reads them (A=10 ... Z=35); for small lookups.
        CREATE OR REPLACE MACRO iban_digits(s) AS
            list_reduce(list_transform(string_split(upper(s), ''),
                ch -> CASE WHEN ch BETWEEN 'A' AND 'Z' THEN CAST(ascii(ch) - 55 AS VARCHAR)
                           ELSE ch END), (a, b) -> a || b);
        -- An IBAN from its parts; bank_num and country_num are iban_digits of bank and country.
        CREATE OR REPLACE MACRO iban(country, country_num, bank, bank_num, account) AS
            country || lpad(CAST(98 - CAST(bank_num || account || country_num || '00' AS HUGEINT)
                                 % 97 AS VARCHAR), 2, '0') || bank || account;
    """)


# Primes for permutations of identifier spaces: (a * i + b) mod p visits every value once, so
# registration numbers, citizen numbers and account numbers never collide.
PRIME_8 = 89999999
PRIME_10 = 9999999967


def permutation_macro(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    con.execute(f"""
        CREATE OR REPLACE MACRO perm(i, purpose, p) AS
            CAST(((1 + hash({int(seed)}, purpose, 'a') % (p - 1)) * CAST(i AS HUGEINT)
                  + hash({int(seed)}, purpose, 'b') % p) % p AS BIGINT);
    """)
