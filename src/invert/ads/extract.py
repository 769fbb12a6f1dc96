"""Extraction: the ``ad`` table read into ``ad_text``, ``ad_contact`` and ``ad_cue``.

Everything is set-based in DuckDB except what needs a library: lingua classifies each distinct
line once, and ``phonenumbers`` parses each distinct candidate span once. The three tables are
replaced in one transaction, so a failure leaves the previous ones as they were, and a second
run gives the same rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from invert.ads import contacts, cues, fields, language, pay, phones
from invert.ads.lexicon import load

TABLES = {
    "ad_text": """ad VARCHAR, language VARCHAR, language_given VARCHAR, pay_amount DOUBLE,
        pay_currency VARCHAR, pay_period VARCHAR, pay_net BOOLEAN, pay_hourly_eur DOUBLE,
        pay_monthly_eur DOUBLE, occupation VARCHAR, dest_country VARCHAR, dest_city VARCHAR,
        employer_name VARCHAR, has_registration BOOLEAN, has_street_address BOOLEAN,
        has_company_domain BOOLEAN""",
    "ad_contact": """ad VARCHAR, kind VARCHAR, value VARCHAR, raw VARCHAR, obfuscated BOOLEAN,
        app VARCHAR, line_type VARCHAR""",
    "ad_cue": "ad VARCHAR, cue VARCHAR, phrase VARCHAR",
}
DEFAULT_REGION = "NL"
# Three-letter codes a source may give for the languages ads are written in.
ISO3 = {
    "eng": "en", "ita": "it", "hun": "hu", "ron": "ro", "rum": "ro", "bul": "bg", "pol": "pl",
    "nld": "nl", "dut": "nl", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "spa": "es",
    "por": "pt", "lit": "lt", "lav": "lv", "ukr": "uk", "rus": "ru", "ces": "cs", "cze": "cs",
    "slk": "sk", "slo": "sk", "ell": "el", "gre": "el", "tur": "tr",
}  # fmt: skip


@dataclass
class ExtractCounts:
    """What one extraction found."""

    ads: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    language_from_given: int = 0
    with_pay: int = 0
    with_occupation: int = 0
    contacts: dict[str, int] = field(default_factory=dict)
    ads_with_phone: int = 0
    obfuscated_phones: int = 0
    cues: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def extract(
    con: duckdb.DuckDBPyConnection,
    lexicon_dirs: list[Path] | None = None,
    default_region: str | None = None,
) -> ExtractCounts:
    """Read the workspace's ``ad`` table and replace ``ad_text``, ``ad_contact`` and
    ``ad_cue``. Phones without a country prefix are read in the ad's ``country``, else in
    ``default_region``, else in the country most ads give, else the Netherlands."""
    started = time.time()
    lex = load(lexicon_dirs, con)
    con.execute("BEGIN TRANSACTION")
    try:
        _source(con, default_region)
        language.detect(con, list(lex.langs))
        _texts(con)
        contacts.build(con, lex)
        pay.build(con, lex)
        fields.build(con, lex)
        cues.build(con, lex)
        _write(con)
        counts = _counts(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    _drop_temp(con)
    counts.seconds = round(time.time() - started, 3)
    return counts


def _source(con: duckdb.DuckDBPyConnection, default_region: str | None) -> None:
    region = (
        default_region
        or (
            con.execute(
                "SELECT upper(country) FROM ad WHERE country IS NOT NULL "
                "GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1"
            ).fetchone()
            or [DEFAULT_REGION]
        )[0]
    )
    iso3 = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in ISO3.items())
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE adx_src AS
        SELECT id, kind,
               CASE WHEN length(lower(trim(language))) = 2 THEN lower(trim(language))
                    ELSE CASE lower(trim(language)) {iso3} END END AS given2,
               language AS given, title, body,
               regexp_replace(regexp_replace(coalesce(title, '') || chr(10) || coalesce(body, ''),
                   '[’‘´`]', '''', 'g'), '[\\x{{00A0}}\\x{{202F}}\\x{{2007}}]', ' ', 'g') AS text,
               upper(nullif(trim(country), '')) AS country,
               coalesce(upper(nullif(trim(country), '')), ?) AS region,
               nullif(trim(location), '') AS location,
               TRY_CAST(offeredWage AS DOUBLE) AS wage,
               CASE WHEN wagePeriod IS NULL THEN NULL
                    WHEN lower(wagePeriod) SIMILAR TO '(h|hr|hour|hourly|per hour|uur|ora|stunde).*'
                         THEN 'hour'
                    WHEN lower(wagePeriod) SIMILAR TO '(d|day|daily|dag|zi|tag|jour|giorno).*'
                         THEN 'day'
                    WHEN lower(wagePeriod) SIMILAR TO '(w|wk|week|weekly|sapt|woche|semaine).*'
                         THEN 'week'
                    WHEN lower(wagePeriod) SIMILAR TO '(m|mo|month|monthly|maand|luna|mois|mese).*'
                         THEN 'month'
                    WHEN lower(wagePeriod) SIMILAR TO '(y|yr|year|yearly|annual|a|an|jaar|jahr).*'
                         THEN 'year' END AS period,
               upper(nullif(trim(currency), '')) AS currency,
               nullif(trim(employerName), '') AS employer,
               phone, nullif(trim(phone_raw), '') AS phone_raw, email, email_raw,
               nullif(trim(handle), '') AS handle
        FROM ad""",
        [region],
    )
    con.execute("""
        CREATE OR REPLACE TEMP TABLE adx_line AS
        SELECT id AS ad, unnest(range(1, len(ls) + 1)) AS n, unnest(ls) AS line
        FROM (SELECT id, string_split(text, chr(10)) AS ls FROM adx_src)""")
    con.execute("DELETE FROM adx_line WHERE trim(line) = ''")


def _texts(con: duckdb.DuckDBPyConnection) -> None:
    """``adx_t``: per ad its language, the text as written (``orig``, ``text``) and lower-case
    without diacritics (``norm``, ``norm_title``), with the structured fields."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE adx_t AS
        SELECT s.id AS ad, s.kind, g.language, g.language_given, g.from_given,
               s.text, s.text AS orig,
               strip_accents(lower(s.text)) AS norm,
               strip_accents(lower(coalesce(s.title, ''))) AS norm_title,
               s.country, s.location, s.employer
        FROM adx_src s LEFT JOIN adx_lang g ON g.ad = s.id""")


def _write(con: duckdb.DuckDBPyConnection) -> None:
    for table, cols in TABLES.items():
        con.execute(f"CREATE OR REPLACE TABLE {table} ({cols})")
    con.execute("""
        INSERT INTO ad_text
        SELECT t.ad, t.language, t.language_given, p.pay_amount, p.pay_currency, p.pay_period,
               p.pay_net, p.pay_hourly_eur, p.pay_monthly_eur, f.occupation, f.dest_country,
               f.dest_city, f.employer_name, f.has_registration, f.has_street_address,
               coalesce(d.company, FALSE) AS has_company_domain
        FROM adx_t t
        LEFT JOIN adx_pay p USING (ad)
        LEFT JOIN adx_fields f USING (ad)
        LEFT JOIN (SELECT ad, bool_or(NOT list_contains(free, domain)) AS company
                   FROM (SELECT ad, CASE kind WHEN 'email' THEN split_part(value, '@', 2)
                                    ELSE split_part(value, '/', 1) END AS domain
                         FROM adx_contact WHERE kind IN ('email', 'web'))
                   CROSS JOIN adx_free GROUP BY ad) d USING (ad)
        ORDER BY t.ad""")
    distinct = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT value FROM adx_contact WHERE kind = 'phone' AND value IS NOT NULL"
        ).fetchall()
    ]
    con.register(
        "adx_line_type",
        pa.table(
            {
                "value": pa.array(distinct, pa.string()),
                "line_type": pa.array([phones.line_type(v) for v in distinct], pa.string()),
            }
        ),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE adx_phone_type AS SELECT * FROM adx_line_type")
    con.unregister("adx_line_type")
    con.execute("""
        INSERT INTO ad_contact
        SELECT c.ad, c.kind, c.value, c.raw, c.obfuscated, c.app,
               CASE WHEN c.kind = 'phone' THEN t.line_type END
        FROM adx_contact c LEFT JOIN adx_phone_type t ON t.value = c.value
        ORDER BY c.ad, c.kind, c.value""")
    con.execute("INSERT INTO ad_cue SELECT ad, cue, phrase FROM adx_cue ORDER BY ad, cue")


def _counts(con: duckdb.DuckDBPyConnection) -> ExtractCounts:
    one = con.execute("""
        SELECT count(*), count(pay_amount), count(occupation),
               (SELECT count(*) FILTER (WHERE from_given) FROM adx_lang)
        FROM ad_text""").fetchone()
    assert one is not None
    c = ExtractCounts(ads=one[0], with_pay=one[1], with_occupation=one[2])
    c.language_from_given = int(one[3])
    c.languages = dict(
        con.execute(
            "SELECT coalesce(language, '?'), count(*) FROM ad_text GROUP BY ALL ORDER BY 2 DESC"
        ).fetchall()
    )
    c.contacts = dict(
        con.execute("SELECT kind, count(*) FROM ad_contact GROUP BY ALL ORDER BY 1").fetchall()
    )
    row = con.execute("""SELECT count(DISTINCT ad), count(*) FILTER (WHERE obfuscated)
                         FROM ad_contact WHERE kind = 'phone'""").fetchone()
    assert row is not None
    c.ads_with_phone, c.obfuscated_phones = int(row[0]), int(row[1])
    c.cues = dict(
        con.execute("SELECT cue, count(*) FROM ad_cue GROUP BY ALL ORDER BY 2 DESC, 1").fetchall()
    )
    return c


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, 'adx_')"
    ).fetchall():
        con.execute(f"DROP TABLE IF EXISTS {name}")
