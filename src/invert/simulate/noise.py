"""How one person or company looks different in every source.

Each source writes a name its own way: a spelling variant (transliteration), diacritics dropped,
an occasional typo, sometimes last name first; phones in national or international notation.
The draws are keyed by (record, source), so a source is consistent with itself across rows
that describe the same record, and the rates come from the run's difficulty.
"""

from __future__ import annotations

import duckdb

from invert.simulate.config import Settings


def install(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    n = s.noise
    con.execute(f"""
        -- Swap two neighbouring letters (the commonest typing error) in longer words.
        CREATE OR REPLACE MACRO typo_at(x, i) AS
            left(x, i - 1) || substr(x, i + 1, 1) || substr(x, i, 1) || substr(x, i + 2);
        CREATE OR REPLACE MACRO typo(x, k) AS CASE WHEN length(x) < 4 THEN x
            ELSE typo_at(x, CAST(2 + floor(u(k, 'typo-pos') * (length(x) - 3)) AS BIGINT)) END;
        -- A name part as source ``src`` writes it; ``raw`` holds spellings 'A|B'.
        CREATE OR REPLACE MACRO variant(raw, k, src) AS CASE
            WHEN raw LIKE '%|%' AND u(k, src || ':translit') < {n["translit"]}
            THEN string_split(raw, '|')[2 + CAST(floor(u(k, src || ':which')
                                        * (len(string_split(raw, '|')) - 1)) AS BIGINT)]
            ELSE split_part(raw, '|', 1) END;
        CREATE OR REPLACE MACRO plain(x, k, src) AS
            CASE WHEN u(k, src || ':ascii') < {n["ascii"]} THEN strip_accents(x) ELSE x END;
        CREATE OR REPLACE MACRO spell(raw, k, src) AS CASE
            WHEN u(k, src || ':typo') < {n["typo"]}
            THEN typo(plain(variant(raw, k, src), k, src), k || src)
            ELSE plain(variant(raw, k, src), k, src) END;
        CREATE OR REPLACE MACRO swapped(k, src) AS u(k, src || ':swap') < {n["swap"]};
        CREATE OR REPLACE MACRO birth_known(k, src) AS u(k, src || ':birth') >= {n["no_birth"]};
        -- A phone number as people write it: international with spaces, 00-prefixed, or
        -- national for Dutch numbers.
        CREATE OR REPLACE MACRO phone_text(e164, k, src) AS CASE
            WHEN e164 IS NULL THEN NULL
            WHEN e164 LIKE '+31%' AND u(k, src || ':ph') < 0.5
                THEN '0' || substr(e164, 4, 1) || '-' || substr(e164, 5)
            WHEN u(k, src || ':ph') < 0.7
                THEN regexp_replace(e164, '^(\\+\\d{{2}})(\\d{{3}})(\\d{{3}})(\\d+)$',
                                    '\\1 \\2 \\3 \\4')
            WHEN u(k, src || ':ph') < 0.85 THEN '00' || substr(e164, 2)
            ELSE e164 END;
    """)
