"""Language of each ad, detected offline with lingua over the ad's distinct lines.

Ads of one template share most lines, so each distinct line (digits, addresses and links
removed, at most ``LINE_CHARS`` characters) is classified once, with lingua's parallel API, over
the languages that have a lexicon plus a few common others. An ad's language is the one with
the largest share of its letters, each line weighing its length times lingua's confidence. The
given language is kept only when detection is unsure (little text, or the top two languages
within ``MARGIN`` of each other).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from lingua import IsoCode639_1, LanguageDetectorBuilder

# Common in European job ads though without a lexicon (yet); every language with a lexicon is
# considered as well.
OTHERS = ("es", "pt")
LINE_CHARS = 200
MIN_LETTERS = 20
MARGIN = 0.2


def _detector(codes: list[str]):  # type: ignore[no-untyped-def]
    isos = [getattr(IsoCode639_1, c.upper()) for c in codes if hasattr(IsoCode639_1, c.upper())]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).with_low_accuracy_mode().build()


def detect(con: duckdb.DuckDBPyConnection, lexicon_langs: list[str]) -> None:
    """Table ``adx_lang(ad, language_given, language, from_given)`` from the temp tables
    ``adx_src`` and ``adx_line``."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE adx_lkey AS
        SELECT ad, left(trim(regexp_replace(line,
                   '\\S*@\\S*|https?://\\S+|www\\.\\S+|[0-9@:/.,;+()€$£%#*_\\-]+', ' ', 'g')),
                   {LINE_CHARS}) AS k
        FROM adx_line""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE adx_lkey AS
        SELECT ad, k, length(regexp_replace(k, '[^\\p{L}]', '', 'g')) AS w FROM adx_lkey
        WHERE length(k) >= 3""")
    keys = [r[0] for r in con.execute("SELECT DISTINCT k FROM adx_lkey").fetchall()]
    codes = sorted(set(lexicon_langs) | set(OTHERS))
    rows: dict[str, list] = {"k": [], "lang": [], "conf": []}
    if keys:
        results = _detector(codes).compute_language_confidence_values_in_parallel(keys)
        for k, values in zip(keys, results, strict=True):
            for v in values[:3]:
                if v.value < 0.05:
                    break
                rows["k"].append(k)
                rows["lang"].append(v.language.iso_code_639_1.name.lower())
                rows["conf"].append(float(v.value))
    con.register("adx_lconf_arrow", pa.table(rows, schema=_CONF))
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE adx_lang AS
        WITH s AS (SELECT l.ad, c.lang, sum(l.w * c.conf) AS score
                   FROM adx_lkey l JOIN adx_lconf_arrow c USING (k) GROUP BY ALL),
        tot AS (SELECT ad, sum(w) AS letters FROM adx_lkey GROUP BY ad),
        r AS (SELECT ad, lang, score,
                     row_number() OVER (PARTITION BY ad ORDER BY score DESC, lang) AS rk
              FROM s),
        best AS (SELECT ad, max(CASE rk WHEN 1 THEN lang END) AS lang,
                        max(CASE rk WHEN 1 THEN score END) AS s1,
                        coalesce(max(CASE rk WHEN 2 THEN score END), 0) AS s2
                 FROM r WHERE rk <= 2 GROUP BY ad),
        d AS (SELECT a.id AS ad, a.given AS language_given, a.given2, b.lang,
                     b.lang IS NULL OR (a.given2 IS NOT NULL
                         AND (t.letters < ? OR (b.s1 - b.s2) < ? * t.letters)) AS unsure
              FROM adx_src a LEFT JOIN best b ON b.ad = a.id LEFT JOIN tot t ON t.ad = a.id)
        SELECT ad, language_given, CASE WHEN unsure THEN given2 ELSE lang END AS language,
               unsure AND given2 IS NOT NULL AS from_given
        FROM d""",
        [MIN_LETTERS, MARGIN],
    )
    con.unregister("adx_lconf_arrow")


_CONF = pa.schema([("k", pa.string()), ("lang", pa.string()), ("conf", pa.float64())])
