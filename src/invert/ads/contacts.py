"""Contacts of each ad: phones, e-mails, messaging handles and web addresses.

They come from the structured columns (``phone``, ``email``, ``handle``) and from the title and
text. Phones are found by ``invert.ads.phones``; a number on a line naming WhatsApp, Viber,
Signal or Telegram (``apps`` in ``shared.yml``) is also that app's handle. E-mails are found as
written and in the "name (at) host (dot) com" forms; handles as ``telegram: @name``,
``t.me/name`` and ``wa.me/<number>``; web addresses with ``http``, ``www.`` or a bare domain on a
common top-level domain. A contact found in several places is one row; it is *obfuscated* only
if it was found nowhere in plain form.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from invert.ads import phones
from invert.ads.lexicon import Lexicon
from invert.ads.sql import alt, by_language, quote

EMAIL = "[a-z0-9][a-z0-9._%+\\-]*@[a-z0-9\\-]+(?:\\.[a-z0-9\\-]+)*\\.[a-z]{2,}"
TLDS = (
    "nl|be|de|ro|bg|pl|hu|it|fr|uk|lt|lv|ee|cz|sk|at|ch|es|pt|gr|ie|lu|dk|se|no|fi|ua|md|"
    "rs|hr|si|eu|com|org|net|info|biz|jobs|work|agency"
)
# "name (at) host (dot) com": the at and the dot spelled out or bracketed.
AT = "\\(at\\)|\\[at\\]|\\{at\\}|\\(@\\)|\\[@\\]|\\sat\\s|\\s@\\s"
EMAIL_OBF = (
    "([a-z0-9][a-z0-9._\\-]*)\\s*(?:\\(at\\)|\\[at\\]|\\{at\\}|\\(@\\)|\\[@\\]|\\sat\\s|\\s@\\s)"
    "\\s*([a-z0-9\\-]+)\\s*(?:\\(dot\\)|\\[dot\\]|\\{dot\\}|\\sdot\\s|\\s\\.\\s|\\.)\\s*"
    f"({TLDS})(?:[^a-z]|$)"
)
WEB = (
    "(?:^|[^@a-z0-9.\\-/])((?:https?://)?(?:www\\.)?(?:[a-z0-9\\-]{2,}\\.)+"
    f"(?:{TLDS}))(?:[/?#][^\\s]*)?(?:[^a-z0-9]|$)"
)
TELEGRAM = "(?:telegram|telegramm|телеграм|tg)\\s*[:\\-–]?\\s*@([a-z0-9_]{4,32})"
TME = "t\\.me/@?([a-z0-9_]{4,32})"
WAME = "wa\\.me/\\+?([0-9]{7,15})"
PLAIN_SQL = (
    "(regexp_full_match({x}, '[0-9+ .\\-/()\\[\\]\\t]+') AND NOT regexp_matches({x}, "
    "'(^|[^0-9])[0-9][ .\\-/()\\t]+[0-9][ .\\-/()\\t]+[0-9]([^0-9]|$)'))"
)
# Spans that are prices: a currency or per cent sign written right after them.
CURRENCY_WORDS = "eur|euro|lei|ron|ft|huf|zł|zl|pln|лв|bgn|kč|czk|gbp|usd|chf|sek|dkk|kr|грн|uah"
PRICE_AFTER = f"[ \\t]?(?:[€£$%]|(?:{CURRENCY_WORDS})(?:[^\\p{{L}}]|$))"
PRICE_END = f"[ \\t]?(?:[€£$%]|(?:{CURRENCY_WORDS}))[^\\p{{L}}]?$"


def _apps_sql(lex: Lexicon, x: str) -> str:
    """CASE naming the messaging app a (lower-case) text mentions, else NULL."""
    parts = []
    for app, words in (lex.shared.get("apps") or {}).items():
        pat = alt(str(w) for w in words)
        if pat:
            parts.append(f"WHEN regexp_matches({x}, {quote(pat)}) THEN {quote(app)}")
    return "CASE " + " ".join(parts) + " END" if parts else "NULL"


def build(con: duckdb.DuckDBPyConnection, lex: Lexicon) -> None:
    """Temp table ``adx_contact(ad, kind, value, raw, obfuscated, app)``."""
    langs = list(lex.langs)
    free = sorted(
        {str(d).lower() for k in ("freemail", "platforms") for d in lex.shared.get(k) or []}
    )
    con.execute("CREATE OR REPLACE TEMP TABLE adx_free AS SELECT ?::VARCHAR[] AS free", [free])

    def span_expr(lang: str) -> str:
        pat = phones.span_pattern(phones.lang_words(lex, lang)) + f"(?i:{PRICE_AFTER})?"
        return f"regexp_extract_all(line, {quote(pat)}, 0)"

    spans = by_language(langs, span_expr)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE adx_span AS
        WITH l AS (
            SELECT l.ad, l.line, g.language, s.region FROM adx_line l
            JOIN adx_lang g USING (ad) JOIN adx_src s ON s.id = l.ad
            UNION ALL
            SELECT s.id, s.phone_raw, g.language, s.region FROM adx_src s
            JOIN adx_lang g ON g.ad = s.id WHERE s.phone_raw IS NOT NULL),
        m AS (SELECT ad, language, region, line, unnest({spans}) AS m FROM l),
        -- at least 8 characters: no phone number is shorter, however written
        k AS (SELECT * FROM m WHERE length(m) >= 8
                AND NOT regexp_matches(lower(m), {quote(PRICE_END)})
                AND NOT regexp_matches(m, '^[^0-9]*[€£$]'))
        SELECT ad, language, region, trim(regexp_replace(m, '^[^\\p{{L}}\\p{{N}}+(]', '')) AS span,
               {_apps_sql(lex, "lower(line)")} AS app
        FROM k""")
    rows = con.execute(
        "SELECT DISTINCT span, region, language FROM adx_span "
        "WHERE length(span) >= 8 AND language IS NOT NULL "
        "UNION SELECT DISTINCT span, region, NULL FROM adx_span "
        "WHERE length(span) >= 8 AND language IS NULL"
    ).fetchall()
    parsed = phones.parse_spans(rows, lex)
    con.register("adx_parsed_arrow", pa.table(parsed, schema=_PARSED))
    # Handles: (ad, app, raw, name or number) from the column and the text.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE adx_handle AS
        WITH col AS (
            SELECT id AS ad, handle AS raw, lower(trim(handle)) AS h FROM adx_src
            WHERE handle IS NOT NULL AND trim(handle) <> ''),
        c AS (
            SELECT ad, raw,
                   CASE WHEN regexp_matches(h, '^(whatsapp|wa)\\s*[:/]') THEN 'whatsapp'
                        WHEN regexp_matches(h, '^(telegram|tg)\\s*[:/]') OR h LIKE '%t.me/%'
                             THEN 'telegram'
                        WHEN regexp_matches(h, '^viber\\s*[:/]') THEN 'viber'
                        WHEN regexp_matches(h, '^signal\\s*[:/]') THEN 'signal'
                        WHEN h LIKE '%wa.me/%' THEN 'whatsapp'
                        WHEN starts_with(h, '@') THEN 'telegram' END AS app,
                   trim(regexp_replace(regexp_replace(h,
                       '^(whatsapp|wa|telegram|tg|viber|signal)\\s*[:/]\\s*', ''),
                       '^(https?://)?(t\\.me|wa\\.me)/', '')) AS v
            FROM col),
        t AS (
            SELECT id AS ad, lower(text) AS low FROM adx_src
            WHERE regexp_matches(lower(text), 'telegram|телеграм|tg|t\\.me|wa\\.me')),
        found AS (
            SELECT ad, raw, app, v, FALSE AS from_text FROM c WHERE app IS NOT NULL
            UNION ALL
            SELECT ad, m, 'telegram', '@' || regexp_extract(m, {quote(TELEGRAM)}, 1), TRUE
            FROM (SELECT ad, unnest(regexp_extract_all(low, {quote(TELEGRAM)})) AS m FROM t)
            UNION ALL
            SELECT ad, m, 'telegram', '@' || regexp_extract(m, {quote(TME)}, 1), TRUE
            FROM (SELECT ad, unnest(regexp_extract_all(low, {quote(TME)})) AS m FROM t)
            UNION ALL
            SELECT ad, m, 'whatsapp', '+' || regexp_extract(m, {quote(WAME)}, 1), TRUE
            FROM (SELECT ad, unnest(regexp_extract_all(low, {quote(WAME)})) AS m FROM t))
        SELECT f.ad, f.raw, f.app, f.v, s.region,
               regexp_matches(f.v, '^\\+?[0-9][0-9 .\\-()]{{5,}}$') AS is_number
        FROM found f JOIN adx_src s ON s.id = f.ad""")
    numbers = con.execute("SELECT DISTINCT v, region FROM adx_handle WHERE is_number").fetchall()
    nums: dict[str, list[str]] = {"v": [], "region": [], "e164": []}
    for v, region in numbers:
        e164 = phones.parse_handle_number(v, region)
        if e164:
            nums["v"].append(v)
            nums["region"].append(region)
            nums["e164"].append(e164)
    con.register("adx_handle_num_arrow", pa.table(nums, schema=_NUMS))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE adx_contact AS
        WITH phone_text AS (
            -- A national number the ad's structured phone also gives is that phone: the
            -- source's own region wins over the ad's country (a Dutch agency's ad for work in
            -- Germany writes 06-12345678).
            SELECT s.ad, 'phone' AS kind,
                   CASE WHEN a.phone IS NOT NULL AND a.phone <> p.e164 AND length(d.n) >= 7
                             AND ends_with(a.phone, d.n) THEN a.phone ELSE p.e164 END AS value,
                   p.raw, p.obf AS obfuscated, s.app
            FROM adx_span s JOIN adx_parsed_arrow p
              ON p.span = s.span AND p.region = s.region
             AND p.lang IS NOT DISTINCT FROM s.language
            JOIN adx_src a ON a.id = s.ad,
            LATERAL (SELECT ltrim(regexp_replace(p.raw, '[^0-9]', '', 'g'), '0') AS n) d),
        phone_col AS (
            SELECT id AS ad, 'phone' AS kind, phone AS value, coalesce(phone_raw, phone) AS raw,
                   NOT {PLAIN_SQL.format(x="coalesce(phone_raw, phone)")} AS obfuscated,
                   NULL AS app
            FROM adx_src WHERE phone IS NOT NULL),
        handle AS (
            SELECT h.ad, 'handle' AS kind,
                   h.app || ':' || CASE WHEN h.is_number THEN n.e164 ELSE h.v END AS value,
                   h.raw, FALSE AS obfuscated, h.app
            FROM adx_handle h LEFT JOIN adx_handle_num_arrow n
              ON h.is_number AND n.v = h.v AND n.region = h.region
            WHERE NOT h.is_number OR n.e164 IS NOT NULL),
        handle_phone AS (
            SELECT ad, 'phone', split_part(value, ':', 2), raw, FALSE, app FROM handle
            WHERE app <> 'telegram' AND split_part(value, ':', 2) LIKE '+%'
            UNION ALL
            SELECT ad, 'handle', app || ':' || value, raw, obfuscated, app FROM phone_text
            WHERE app IN ('whatsapp', 'viber', 'signal', 'telegram')),
        email AS (
            SELECT id AS ad, 'email' AS kind, lower(trim(coalesce(email, email_raw))) AS value,
                   coalesce(email_raw, email) AS raw, FALSE AS obfuscated, NULL AS app
            FROM adx_src WHERE coalesce(email, email_raw) IS NOT NULL
                 AND regexp_full_match(lower(trim(coalesce(email, email_raw))), {quote(EMAIL)})
            UNION ALL
            SELECT ad, 'email', m, m, FALSE, NULL
            FROM (SELECT id AS ad, unnest(regexp_extract_all(lower(text), {quote(EMAIL)})) AS m
                  FROM adx_src WHERE text LIKE '%@%')
            UNION ALL
            SELECT ad, 'email', regexp_extract(m, {quote(EMAIL_OBF)}, 1) || '@'
                   || regexp_extract(m, {quote(EMAIL_OBF)}, 2) || '.'
                   || regexp_extract(m, {quote(EMAIL_OBF)}, 3), trim(m), TRUE, NULL
            FROM (SELECT id AS ad,
                         unnest(regexp_extract_all(lower(text), {quote(EMAIL_OBF)})) AS m
                  FROM adx_src
                  WHERE regexp_matches(lower(text), {quote(AT)}))),
        web AS (
            SELECT ad, 'web' AS kind,
                   regexp_replace(regexp_extract(m, {quote(WEB)}, 1), '^(https?://)?(www\\.)?', '')
                       AS value,
                   regexp_extract(m, {quote(WEB)}, 1) AS raw,
                   FALSE AS obfuscated, NULL AS app
            FROM (SELECT id AS ad, unnest(regexp_extract_all(lower(text), {quote(WEB)})) AS m
                  FROM adx_src WHERE regexp_matches(lower(text), '\\.({TLDS})'))),
        allc AS (
            SELECT * FROM phone_text UNION ALL SELECT * FROM phone_col
            UNION ALL SELECT * FROM handle UNION ALL SELECT * FROM handle_phone
            UNION ALL SELECT * FROM email
            UNION ALL SELECT * FROM web WHERE value NOT IN ('t.me', 'wa.me') AND value <> '')
        SELECT ad, kind, value, arg_min(raw, obfuscated::INT) AS raw,
               bool_and(obfuscated) AS obfuscated, max(app) AS app
        FROM allc WHERE value IS NOT NULL AND value <> ''
        GROUP BY ad, kind, value""")
    con.unregister("adx_parsed_arrow")
    con.unregister("adx_handle_num_arrow")


_PARSED = pa.schema(
    [
        ("span", pa.string()),
        ("region", pa.string()),
        ("lang", pa.string()),
        ("e164", pa.string()),
        ("raw", pa.string()),
        ("obf", pa.bool_()),
    ]
)
_NUMS = pa.schema([("v", pa.string()), ("region", pa.string()), ("e164", pa.string())])
