"""Offered pay: amount, currency, period and net/gross, normalised to euro per hour and month.

The structured columns (``offeredWage``, ``wagePeriod``, ``currency``) come first. Otherwise the
text is read line by line: the first amount with a currency (symbol, code or word of any
lexicon, before or after it; of a range, the lower end) on each line, its period from the
words after it (else anywhere on its line), net or gross from its line. Of several lines the one
naming pay (``pay_words``) and a period wins; a line about costs (``pay_not``: housing, per
km, deposit) is never taken as pay. "2.400" and "3 000" are thousands, "14,85" a decimal.

Normalisation assumes a 40-hour week of 5 days: 173.33 hours (40 x 52 / 12), 21.67 days and
4.33 weeks a month, 2,080 hours a year. When no period is written it is inferred from the
amount in euro: under 60 an hour, 600 to 20,000 a month, else unknown. Currencies become euro
at the reference rates of ``data/eur_rates.yml`` (their date and source are in the file).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from invert.ads.lexicon import PERIODS, Lexicon
from invert.ads.sql import alt, quote

RATES = Path(__file__).parent / "data" / "eur_rates.yml"
HOURS = {"hour": 1.0, "day": 8.0, "week": 40.0, "month": 40 * 52 / 12, "year": 40 * 52.0}
MONTH_HOURS = HOURS["month"]
AMOUNT = "[0-9]{1,3}(?:[ .,'][0-9]{3})+(?:[.,][0-9]{1,2})?|[0-9]+(?:[.,][0-9]{1,2})?"


def rates() -> dict[str, float]:
    data = yaml.safe_load(RATES.read_text(encoding="utf-8"))
    return {str(k).upper(): float(v) for k, v in data["rates"].items()}


def _amount_sql(x: str) -> str:
    """A written amount as a number: a last separator before 1-2 digits is the decimal one."""
    return (
        f"TRY_CAST(replace(regexp_replace(regexp_replace({x}, '[.,]([0-9]{{1,2}})$', '#\\1'), "
        f"'[^0-9#]', '', 'g'), '#', '.') AS DOUBLE)"
    )


def build(con: duckdb.DuckDBPyConnection, lex: Lexicon) -> None:
    """Temp table ``adx_pay(ad, pay_amount, pay_currency, pay_period, pay_net,
    pay_hourly_eur, pay_monthly_eur)``."""
    langs = list(lex.langs)
    codes = lex.keys("currencies")
    cur_of: dict[str, str] = {}
    for c in codes:
        if p := alt(x for lang in langs for x in lex.patterns(lang, "currencies", c)):
            cur_of[c] = p
    cur = alt(cur_of.values()) or "€"
    to = "[ \\t]?[-–][ \\t]?"  # a range: the lower end is kept
    money = (
        f"(?:(?:^|[^\\p{{L}}])({cur})[ \\t]?({AMOUNT})(?:{to}(?:{cur})?[ \\t]?(?:{AMOUNT}))?"
        f"|({AMOUNT})(?:{to}(?:{AMOUNT}))?[ \\t]?({cur})(?:[^\\p{{L}}]|$))([^\\n]{{0,40}})"
    )
    code_case = " ".join(
        f"WHEN regexp_full_match(c, {quote(p)}) THEN {quote(code)}" for code, p in cur_of.items()
    )
    period_pats: dict[str, str] = {}
    for p in PERIODS:
        if x := alt(y for lang in langs for y in lex.patterns(lang, "periods", p)):
            period_pats[p] = x

    def period_sql(x: str) -> str:
        # The period whose words come first in x.
        items = ", ".join(
            f"{{'at': CASE WHEN regexp_matches({x}, {quote(pat)}) THEN "
            f"instr({x}, regexp_extract({x}, {quote(pat)})) END, 'p': {quote(p)}}}"
            for p, pat in period_pats.items()
        )
        return (
            f"list_sort(list_filter([{items}], s -> s.at IS NOT NULL), 'ASC')[1].p"
            if items
            else "NULL"
        )

    net = alt(p for lang in langs for p in lex.patterns(lang, "net")) or "$^"
    gross = alt(p for lang in langs for p in lex.patterns(lang, "gross")) or "$^"
    pay_words = alt(p for lang in langs for p in lex.patterns(lang, "pay_words")) or "$^"
    pay_not = alt(p for lang in langs for p in lex.patterns(lang, "pay_not")) or "$^"
    rate_rows = ", ".join(f"({quote(k)}, {v})" for k, v in rates().items())
    con.execute("CREATE OR REPLACE TEMP TABLE adx_rate(code VARCHAR, per_eur DOUBLE)")
    con.execute(f"INSERT INTO adx_rate VALUES {rate_rows}")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE adx_money AS
        WITH l AS (
            SELECT ad, n, strip_accents(lower(regexp_replace(line, '[\\x{{00A0}}\\x{{202F}}]', ' ',
                   'g'))) AS low
            FROM adx_line WHERE regexp_matches(line, '[0-9]')),
        m AS (SELECT ad, n, low, regexp_extract(low, {quote(money)},
                     ['c1', 'a1', 'a2', 'c2', 'tail']) AS x FROM l),
        v AS (SELECT ad, n, low, coalesce(nullif(x.c1, ''), x.c2) AS c,
                     {_amount_sql("coalesce(nullif(x.a1, ''), x.a2)")} AS amount, x.tail
              FROM m WHERE x.c1 <> '' OR x.c2 <> '')
        SELECT ad, n, amount, CASE {code_case} END AS currency,
               coalesce({period_sql("tail")}, {period_sql("low")}) AS period,
               CASE WHEN regexp_matches(low, {quote(net)}) THEN TRUE
                    WHEN regexp_matches(low, {quote(gross)}) THEN FALSE END AS net,
               2 * regexp_matches(low, {quote(pay_words)})::INT
                 - 9 * regexp_matches(low, {quote(pay_not)})::INT AS score
        FROM v WHERE amount > 0""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE adx_pay AS
        WITH best AS (
            SELECT ad, arg_max({{'amount': amount, 'currency': currency, 'period': period,
                                 'net': net}}, (score + (period IS NOT NULL)::INT) * 1000 - n) AS b
            FROM adx_money WHERE score >= 0 GROUP BY ad),
        src AS (
            SELECT s.id AS ad,
                   coalesce(s.wage, b.b.amount) AS amount,
                   CASE WHEN s.wage IS NOT NULL THEN coalesce(s.currency, b.b.currency, 'EUR')
                        ELSE coalesce(b.b.currency, s.currency) END AS currency,
                   CASE WHEN s.wage IS NOT NULL THEN s.period ELSE b.b.period END AS period,
                   b.b.net AS net
            FROM adx_src s LEFT JOIN best b ON b.ad = s.id),
        eur AS (SELECT src.*, amount / r.per_eur AS amount_eur
                FROM src LEFT JOIN adx_rate r ON r.code = src.currency),
        p AS (SELECT *, coalesce(period, CASE WHEN amount_eur < 60 THEN 'hour'
                   WHEN amount_eur >= 600 AND amount_eur < 20000 THEN 'month' END) AS per
              FROM eur)
        SELECT ad, amount AS pay_amount, CASE WHEN amount IS NOT NULL THEN currency END
                   AS pay_currency,
               CASE WHEN amount IS NOT NULL THEN per END AS pay_period, net AS pay_net,
               amount_eur / CASE per {" ".join(f"WHEN '{k}' THEN {v}" for k, v in HOURS.items())}
                   END AS pay_hourly_eur,
               amount_eur / CASE per {" ".join(f"WHEN '{k}' THEN {v}" for k, v in HOURS.items())}
                   END * {MONTH_HOURS} AS pay_monthly_eur
        FROM p""")
