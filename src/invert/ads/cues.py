"""Indicator cues in the wording of each ad (section 5 of the indicator reference).

A cue fires when one of its patterns (the ad's language and English, which ads mix in) matches
the lower-case title and text without diacritics. The cue's ``unless`` patterns are cut out of
the text first, so "no fees charged to candidates" cannot fire ``fee`` while "a fee of 200 EUR"
elsewhere in the same ad still does. The sexual-services cues (youth, ethnicity, trust,
movement) are only read in ads of kind ``sex``. The phrase kept is the first match, as written
in the ad when its position can be traced back.

Each cue is its own pass (one alternation per language and cue): RE2 slows down by orders of
magnitude on one alternation of all cues, whose automaton no longer fits its cache.
"""

from __future__ import annotations

from functools import partial

import duckdb

from invert.ads.lexicon import Lexicon
from invert.ads.sql import alt, by_language, quote

SEX_CUES = ("youth", "ethnicity", "trust", "movement")


def _langs(lang: str) -> list[str]:
    return [lang, "en"] if lang != "en" else ["en"]


def _cue_expr(lex: Lexicon, cue: str, lang: str) -> str | None:
    pat = alt(p for lg in _langs(lang) for p in lex.patterns(lg, "cues", cue))
    if not pat:
        return None
    unless = alt(p for lg in _langs(lang) for p in lex.unless(lg, cue))
    text = "norm"
    if unless:
        text = (
            f"CASE WHEN regexp_extract(norm, {quote(unless)}) <> '' "
            f"THEN regexp_replace(norm, {quote(unless)}, ' ~ ', 'g') ELSE norm END"
        )
    return f"regexp_extract({text}, {quote(pat)})"


def build(con: duckdb.DuckDBPyConnection, lex: Lexicon) -> None:
    """Temp table ``adx_cue(ad, cue, phrase)``."""
    items = []
    for cue in lex.keys("cues"):
        expr = by_language(list(lex.langs), partial(_cue_expr, lex, cue), otherwise="''")
        if cue in SEX_CUES:
            expr = f"CASE WHEN kind = 'sex' THEN {expr} ELSE '' END"
        items.append(f"{{'cue': {quote(cue)}, 'phrase': {expr}}}")
    if not items:
        con.execute("CREATE OR REPLACE TEMP TABLE adx_cue(ad VARCHAR, cue VARCHAR, phrase VARCHAR)")
        return
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE adx_cue AS
        WITH m AS (SELECT ad, norm, orig, unnest([{", ".join(items)}]) AS c FROM adx_t)
        SELECT ad, c.cue,
               CASE WHEN strip_accents(lower(substr(orig, instr(norm, c.phrase),
                                                     length(c.phrase)))) = c.phrase
                    THEN substr(orig, instr(norm, c.phrase), length(c.phrase))
                    ELSE c.phrase END AS phrase
        FROM m WHERE c.phrase IS NOT NULL AND c.phrase <> ''""")
