"""What an ad says about the job: occupation, destination, employer and signs of a real firm.

Each is one constant RE2 pattern per language (the ad's lexicon plus English), so an ad costs a
handful of regular-expression scans. The occupation is the group whose job title comes first
in the title, else in the text. The destination is the structured ``location``/``country``,
else the first city named (``cities``, plain names, ``|`` between spellings of one city, the
first being the name reported), else the first country named. The employer is the given name,
else a capitalised name before a legal form (``legal_forms`` in ``shared.yml``: B.V., S.R.L.,
Sp. z o.o., ...), else a capitalised name after an employer word ("company X", "firma X").
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from invert.ads.lexicon import SHARED, Lexicon, regex_text, strip_accents
from invert.ads.sql import alt, by_language, quote

NOTHING = "[^\\s\\S]"
TOKEN = "\\p{Lu}[\\p{L}\\p{N}&'’.\\-]*"
PARTICLE = "(?:van|von|der|den|de|di|du|da|la|le|el|und|and|en|et|&|y|i|of)"
NAME = f"{TOKEN}(?:[ \\t]+(?:{PARTICLE}[ \\t]+){{0,2}}{TOKEN}){{0,4}}"


def _groups(lex: Lexicon, key: str, lang: str, names: list[str]) -> str:
    """One pattern with a capture group per entry of ``key`` (``names`` order), matching
    nothing where the language has no words for it."""
    langs = [lang, "en"] if lang != "en" else ["en"]
    parts = [alt(p for lg in langs for p in lex.patterns(lg, key, n)) or NOTHING for n in names]
    return "|".join(f"({p})" for p in parts)


def _first_group(col: str, names: list[str]) -> str:
    """The name of the non-empty field of a regexp_extract struct (fields g0, g1, ...)."""
    whens = " ".join(f"WHEN {col}.g{i} <> '' THEN {quote(n)}" for i, n in enumerate(names))
    return f"CASE {whens} END" if names else "NULL"


def _places(lex: Lexicon) -> dict[str, list]:
    """Variant (lower, no diacritics) -> city and country, from shared and language files."""
    rows: dict[str, list] = {"variant": [], "city": [], "country": [], "lang": []}
    sources = [(SHARED, lex.shared.get("cities") or {})]
    sources += [(lang, d.get("cities") or {}) for lang, d in lex.langs.items()]
    for lang, by_country in sources:
        for country, entries in by_country.items():
            for entry in entries or []:
                names = [x.strip() for x in str(entry).split("|") if x.strip()]
                for name in names:
                    rows["variant"].append(strip_accents(name.lower()))
                    rows["city"].append(names[0])
                    rows["country"].append(str(country).upper())
                    rows["lang"].append(lang)
    return rows


def build(con: duckdb.DuckDBPyConnection, lex: Lexicon) -> None:
    """Temp table ``adx_fields(ad, occupation, dest_country, dest_city, employer_name,
    has_registration, has_street_address)``."""
    langs = list(lex.langs)
    occ = _ordered(lex, "occupations")
    countries = _ordered(lex, "countries")
    names = [f"g{i}" for i in range(len(occ))]
    cnames = [f"g{i}" for i in range(len(countries))]
    places = _places(lex)
    con.register("adx_place_arrow", pa.table(places))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE adx_place AS "
        "SELECT DISTINCT ON (variant) variant, city, country FROM adx_place_arrow "
        "ORDER BY variant, lang = 'shared' DESC"
    )
    con.unregister("adx_place_arrow")

    def city_pat(lang: str) -> str | None:
        vs = {
            v
            for v, lg in zip(places["variant"], places["lang"], strict=True)
            if lg in (SHARED, lang, "en")
        }
        if not vs:
            return None
        body = "|".join(_escape(v) for v in sorted(vs, key=lambda v: (-len(v), v)))
        return f"(?:^|[^\\p{{L}}])({body})(?:[^\\p{{L}}]|$)"

    legal = alt(regex_text(str(p)) for p in lex.shared.get("legal_forms") or [])
    legal_pat = f"((?:{NAME})[ \\t,]+(?i:{legal}))(?:[^\\p{{L}}]|$)" if legal else None

    def employer_pat(lang: str) -> str | None:
        kw = alt(lex.patterns(lang, "employer") + (lex.patterns("en", "employer")))
        return f"(?i:{kw})[ \\t]*[:\\-–]?[ \\t]*[\"„“'»«]?({NAME})" if kw else None

    def flag(key: str):  # type: ignore[no-untyped-def]
        def expr(lang: str) -> str | None:
            pat = alt(lex.patterns(lang, key) + lex.patterns("en", key))
            return f"regexp_matches(norm, {quote(pat)})" if pat else None

        return expr

    occ_title = by_language(
        langs,
        lambda lg: (
            f"regexp_extract(norm_title, {quote(_groups(lex, 'occupations', lg, occ))}, {names})"
        ),
    )
    occ_body = by_language(
        langs,
        lambda lg: f"regexp_extract(norm, {quote(_groups(lex, 'occupations', lg, occ))}, {names})",
    )
    country_x = by_language(
        langs,
        lambda lg: (
            f"regexp_extract(norm, {quote(_groups(lex, 'countries', lg, countries))}, {cnames})"
        ),
    )
    city_x = by_language(
        langs, lambda lg: f"regexp_extract(norm, {quote(p)}, 1)" if (p := city_pat(lg)) else None
    )
    employer_x = by_language(
        langs,
        lambda lg: f"regexp_extract(text, {quote(p)}, 1)" if (p := employer_pat(lg)) else None,
    )
    legal_x = f"regexp_extract(text, {quote(legal_pat)}, 1)" if legal_pat else "''"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE adx_fields AS
        WITH t AS (
            SELECT t.*, {occ_title} AS ot, {country_x} AS cx, {city_x} AS city_m,
                   {legal_x} AS legal_m,
                   {by_language(langs, flag("registration"), otherwise="FALSE")} AS reg,
                   {by_language(langs, flag("street_address"), otherwise="FALSE")} AS street
            FROM adx_t t),
        o AS (
            SELECT t.*, {_first_group("ot", occ)} AS occ_t,
                   {_first_group("cx", countries)} AS country_m
            FROM t),
        b AS (
            SELECT o.*,
                   CASE WHEN occ_t IS NULL THEN {occ_body} END AS ob,
                   CASE WHEN legal_m = '' AND employer IS NULL THEN {employer_x} END AS kw_m
            FROM o)
        SELECT b.ad,
               coalesce(occ_t, {_first_group("ob", occ)}) AS occupation,
               coalesce(b.country, lp.country, cp.country, b.country_m) AS dest_country,
               coalesce(b.location, cp.city) AS dest_city,
               coalesce(b.employer, nullif(regexp_replace(trim(coalesce(legal_m, '')),
                   '^(?:A|Az|The|Het|Die|Der|Das|Il|Lo)\\s+', ''), ''), nullif(trim(kw_m), ''))
                   AS employer_name,
               coalesce(reg, FALSE) AS has_registration,
               coalesce(street, FALSE) AS has_street_address
        FROM b
        LEFT JOIN adx_place lp ON lp.variant = strip_accents(lower(trim(b.location)))
        LEFT JOIN adx_place cp ON cp.variant = nullif(b.city_m, '')""")


def _ordered(lex: Lexicon, key: str) -> list[str]:
    """Entry names of a mapping, English file first (its order breaks ties)."""
    names = [str(k) for k in (lex.langs.get("en", {}).get(key) or {})]
    return names + [k for k in lex.keys(key) if k not in names]


def _escape(text: str) -> str:
    return "".join("\\" + c if c in ".^$*+?()[]{}|\\" else c for c in text)
