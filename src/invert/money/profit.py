"""What a network made from its workers, figure by figure, each with its formula, parameters
and the rows behind it, so that it can stand in a confiscation or compensation request.

Components (``network_profit`` rows):

- ``unpaid_wages``: Σ over the payslips of the network's companies of
  max(0, minimum hourly wage for the worker's age on the period start × hours worked − gross).
- ``deductions``: deductions on those payslips; a housing-only deduction counts above
  ``market_rent`` a month, every other deduction (fees, advances, travel, fines) in full; plus
  rent paid to the network's companies or people (residence register) above ``market_rent``.
- ``confiscated``: wage credits into the workers' accounts (or accounts their wages are paid
  into) and what left those accounts within ``days`` days: to other accounts of the network
  always, and to anyone else (not by card: shop spending) or in cash when together at least
  ``share`` of the credit; at most the credit itself. Pay passed on as pay (a pay-card
  provider's account paying its card holders) is not a drain.
- ``fees``: payments out of the workers' accounts described as debt repayments, advances or
  recruitment fees, to accounts that are not the worker's own.
- ``sent_abroad``: payments of the network's other accounts (companies, controllers) to
  accounts in another country than the paying account's. Where the money went, so it is not
  added to the total.
- ``total`` = unpaid_wages + deductions + confiscated + fees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb

from invert.indicators.catalogue import load_catalogue, load_reference
from invert.indicators.run import install_reference
from invert.money import MoneyError, members
from invert.money.accounts import prepare
from invert.money.patterns import SALARY


def _catalogue_parameter(indicator: str, name: str) -> Any:
    return next(i for i in load_catalogue() if i.id == indicator).parameters[name]


def defaults() -> dict[str, Any]:
    debt = _catalogue_parameter("wk_recruitment_debt", "pattern")
    return {
        "country": "NL",
        "market_rent": 0.0,
        "housing": _catalogue_parameter("wk_excessive_rent", "housing"),
        "days": 2,
        "share": 0.8,
        "skip_channels": ["card"],
        "salary": SALARY,
        "fee_words": debt + r"|aflossing|repay|\bfee\b|schuld|debt|commission|provisie",
        "home": "NL",
    }


COMPONENTS = ("unpaid_wages", "deductions", "confiscated", "fees", "sent_abroad")

UNPAID = """
    WITH slips AS (
        SELECT m.network, w.id, w.periodStart AS day, w.gross::DOUBLE AS gross,
               coalesce(w.hoursWorked, w.hoursPaid) AS hours, p.birthDate
        FROM network_member m JOIN wage_payment w ON w.employer = m.entity_id
        JOIN (SELECT id, max(birthDate) AS birthDate FROM person GROUP BY id) p
          ON p.id = w.employee
        WHERE m.kind = 'company' AND w.gross IS NOT NULL
          AND coalesce(w.hoursWorked, w.hoursPaid) > 0 AND w.periodStart IS NOT NULL),
    owed AS (
        SELECT s.network, s.id, s.day, greatest(0, r.rate * s.hours - s.gross) AS amount
        FROM slips s JOIN minimum_wage_at_age r
          ON r.country = $country AND r.age = age_on(s.birthDate, s.day)
        WHERE s.day >= r.valid_from AND s.day < r.valid_to)
    SELECT network, sum(amount) AS amount,
           printf('%d of %d payslips below the minimum for the hours worked', count(*)
                  FILTER (WHERE amount > 0), count(*)) AS computation,
           rows_of('wage_payment', list(id ORDER BY day, id) FILTER (WHERE amount > 0))
           AS evidence
    FROM owed GROUP BY network"""

DEDUCTIONS = """
    WITH slips AS (
        SELECT m.network, w.id, w.periodStart AS day, w.deductions::DOUBLE AS deductions,
               (coalesce(w.periodEnd, last_day(w.periodStart)) - w.periodStart + 1) * 12 / 365
               AS months,
               len(w.deductionType) > 0 AND len(list_filter(w.deductionType,
                   x -> regexp_matches(lower(x), $housing))) = len(w.deductionType) AS housing
        FROM network_member m JOIN wage_payment w ON w.employer = m.entity_id
        WHERE m.kind = 'company' AND w.deductions > 0 AND w.periodStart IS NOT NULL),
    counted AS (
        SELECT network, 'wage_payment' AS tbl, id, day,
               CASE WHEN housing THEN greatest(0, deductions - $market_rent * months)
                    ELSE deductions END AS amount
        FROM slips),
    landlords AS (
        SELECT network, entity_id AS provider FROM network_member
        WHERE kind IN ('company', 'person')),
    rents AS (
        SELECT l.network, 'residence' AS tbl, r.id, r.startDate AS day,
               greatest(0, r.rent * CASE WHEN regexp_matches(lower(coalesce(r.rentPeriod, '')),
                                                              'week|woche|semaine|tydzie')
                                         THEN 52 / 12 ELSE 1 END - $market_rent)
               * (coalesce(r.endDate, (SELECT max(date) FROM payment)) - r.startDate) * 12 / 365
               AS amount
        FROM residence r JOIN landlords l ON l.provider = r.provider
        WHERE r.rent > 0 AND r.startDate IS NOT NULL
          AND r.resident IN (SELECT worker FROM network_worker w WHERE w.network = l.network)),
    every AS (SELECT * FROM counted UNION ALL SELECT * FROM rents)
    SELECT network, sum(amount) AS amount,
           printf('%d payslip deduction(s) and %d rent(s) to the network above %.2f a month',
                  count(*) FILTER (WHERE tbl = 'wage_payment' AND amount > 0),
                  count(*) FILTER (WHERE tbl = 'residence' AND amount > 0), $market_rent::DOUBLE)
           AS computation,
           list({'tbl': tbl, 'id': id} ORDER BY day, id) FILTER (WHERE amount > 0) AS evidence
    FROM every GROUP BY network"""

CONFISCATED = """
    WITH wage_accounts AS (SELECT DISTINCT network, worker, account FROM network_worker
                           WHERE account IS NOT NULL),
    credits AS (
        SELECT DISTINCT a.network, p.id, p.beneficiary AS account, p.date, p.amount
        FROM payment p JOIN wage_accounts a ON a.account = p.beneficiary
        WHERE regexp_matches(lower(p.purpose), $salary)),
    own AS (  -- accounts held by the workers paid into each account (not a drain)
        SELECT DISTINCT a.network, a.account, h.account AS own
        FROM wage_accounts a JOIN account_holder h ON h.holder = a.worker),
    days AS (SELECT *, date + unnest(range(0, $days + 1))::INTEGER AS day FROM credits),
    outs AS (
        SELECT d.network, d.id, d.amount, p.id AS out_id, p.amount AS out,
               p.beneficiary IN (SELECT account FROM network_account n
                                 WHERE n.network = d.network AND n.role <> 'worker')
               AS to_network
        FROM days d JOIN payment p ON p.payer = d.account AND p.date = d.day
        WHERE p.id <> d.id AND NOT list_contains($skip_channels, coalesce(p.channel, ''))
          -- pay passed on as pay (a pay-card account paying its card holders) is no drain
          AND NOT coalesce(regexp_matches(lower(p.purpose), $salary), false)
          AND (p.is_cash_out OR (p.beneficiary <> d.account AND p.beneficiary NOT IN
               (SELECT own FROM own o WHERE o.network = d.network AND o.account = d.account)))),
    drained AS (
        SELECT network, id, amount,
               CASE WHEN sum(out) >= $share * amount THEN least(amount, sum(out))
                    ELSE least(amount, coalesce(sum(out) FILTER (WHERE to_network), 0)) END
               AS taken,
               list(out_id) AS out_ids
        FROM outs GROUP BY network, id, amount)
    SELECT network, sum(taken) AS amount,
           printf('%d of the wage credits drained within %d days (%.2f credited)',
                  count(*) FILTER (WHERE taken > 0), $days, sum(amount)) AS computation,
           rows_of('transaction', flatten(list([id] || out_ids ORDER BY id)
                                          FILTER (WHERE taken > 0))) AS evidence
    FROM drained GROUP BY network"""

FEES = """
    WITH wage_accounts AS (SELECT DISTINCT network, worker, account FROM network_worker
                           WHERE account IS NOT NULL),
    own AS (SELECT DISTINCT w.network, h.account FROM network_worker w
            JOIN account_holder h ON h.holder = w.worker),
    paid AS (
        SELECT DISTINCT a.network, p.id, p.date, p.amount
        FROM payment p JOIN wage_accounts a ON a.account = p.payer
        WHERE regexp_matches(lower(p.purpose), $fee_words) AND p.beneficiary IS NOT NULL
          AND p.beneficiary NOT IN (SELECT account FROM own o WHERE o.network = a.network))
    SELECT network, sum(amount) AS amount,
           printf('%d payment(s) of debts, advances or fees', count(*)) AS computation,
           rows_of('transaction', list(id ORDER BY date, id)) AS evidence
    FROM paid GROUP BY network"""

SENT_ABROAD = """
    WITH senders AS (SELECT DISTINCT network, account FROM network_account
                     WHERE role <> 'worker'),
    sent AS (
        SELECT DISTINCT s.network, p.id, p.date, p.amount,
               coalesce(p.country, h.country) AS country
        FROM senders s JOIN payment p ON p.payer = s.account
        LEFT JOIN account_home h ON h.account = p.beneficiary
        LEFT JOIN account_home o ON o.account = p.payer
        WHERE NOT p.is_cash_out
          AND coalesce(p.country, h.country) <> coalesce(o.country, $home))
    SELECT network, sum(amount) AS amount,
           printf('%d payment(s) to %s', count(*),
                  array_to_string(list_sort(list_distinct(list(country))), ', '))
           AS computation,
           rows_of('transaction', list(id ORDER BY date, id)) AS evidence
    FROM sent GROUP BY network"""

QUERIES = {
    "unpaid_wages": (UNPAID, ("country",)),
    "deductions": (DEDUCTIONS, ("housing", "market_rent")),
    "confiscated": (CONFISCATED, ("salary", "days", "share", "skip_channels")),
    "fees": (FEES, ("fee_words",)),
    "sent_abroad": (SENT_ABROAD, ("home",)),
}


@dataclass
class Figure:
    network: str
    component: str
    amount: float
    computation: str


def estimate(
    con: duckdb.DuckDBPyConnection,
    members_sql: str = "by company",
    parameters: dict[str, Any] | None = None,
    network: str | None = None,
) -> list[Figure]:
    """Estimate each network's profit into ``network_profit``. ``members_sql`` is a table or
    SELECT of ``(network, kind, entity_id)``, or ``'by company'`` (one network per employer).
    ``network`` restricts the estimate to one network."""
    params = {**defaults(), **(parameters or {})}
    unknown = sorted(set(params) - set(defaults()))
    if unknown:
        raise MoneyError(f"profit has no parameter(s) {', '.join(unknown)}")
    prepare(con)
    install_reference(con, load_reference())
    n = members.install(con, members_sql)
    if network is not None:
        con.execute("DELETE FROM network_member WHERE network <> ?", [network])
        if not con.execute("SELECT count(*) FROM network_member").fetchone()[0]:
            raise MoneyError(f"no network {network!r} among the {n} networks given")
        for table in ("network_worker", "network_account"):
            con.execute(f"DELETE FROM {table} WHERE network <> ?", [network])
    con.execute("""
        CREATE TABLE IF NOT EXISTS main.network_profit (
            network VARCHAR, component VARCHAR, amount DOUBLE, computation VARCHAR,
            parameters JSON, evidence STRUCT(tbl VARCHAR, id VARCHAR)[])""")
    con.execute("""CREATE OR REPLACE TEMP TABLE profit_part (
        network VARCHAR, component VARCHAR, amount DOUBLE, computation VARCHAR,
        parameters JSON, evidence STRUCT(tbl VARCHAR, id VARCHAR)[])""")
    for component, (sql, used) in QUERIES.items():
        mine = {k: params[k] for k in used}
        con.execute(
            f"""INSERT INTO profit_part
                SELECT network, $component, round(coalesce(amount, 0), 2), computation,
                       $json::JSON, coalesce(evidence, [])
                FROM ({sql})""",
            {**mine, "component": component, "json": json.dumps(mine)},
        )
    con.execute("""
        INSERT INTO profit_part
        SELECT n.network, c.component, 0, 'nothing found', '{}'::JSON, []
        FROM (SELECT DISTINCT network FROM network_member) n,
             unnest(['unpaid_wages', 'deductions', 'confiscated', 'fees', 'sent_abroad'])
             AS c(component)
        WHERE NOT EXISTS (SELECT 1 FROM profit_part p
                          WHERE p.network = n.network AND p.component = c.component);
        INSERT INTO profit_part
        SELECT network, 'total', round(sum(amount), 2),
               'unpaid_wages + deductions + confiscated + fees (sent_abroad is where it went)',
               '{}'::JSON, []
        FROM profit_part WHERE component <> 'sent_abroad' GROUP BY network""")
    # An estimate of every network replaces the table: networks of an earlier graph (or an
    # earlier grouping) would otherwise stay beside the new ones under reused numbers.
    stale = "" if network is None else "WHERE network IN (SELECT DISTINCT network FROM profit_part)"
    con.execute(f"""
        DELETE FROM main.network_profit {stale};
        INSERT INTO main.network_profit SELECT * FROM profit_part""")
    rows = con.execute("""
        SELECT network, component, amount, computation FROM profit_part
        ORDER BY network, list_position(
            ['unpaid_wages', 'deductions', 'confiscated', 'fees', 'sent_abroad', 'total'],
            component)""").fetchall()
    return [Figure(*r) for r in rows]
