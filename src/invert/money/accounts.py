"""The payments, account countries and account holders every money query starts from.

A payment reported by a bank statement and again by an FIU report is one payment: rows with
the same payer, beneficiary, day and amount are matched across sources by their order within
each source (the second such payment in one file is the second in the other), so repeated
identical payments stay apart while a payment seen twice is counted once.
"""

from __future__ import annotations

import duckdb

from invert.resolve import holders

# The steps that make the payments, each a temporary table of that name from its query, in
# order. One payment per (payer, beneficiary, day, amount) and per copy within one source.
# Almost every such key has one row, which is its payment as it stands; only the few keys with
# several rows are ranked within each source and grouped, and only there are the transaction
# ids behind a payment listed. (Ranking and grouping all eighteen million rows took three times
# as long, and a list per group for all of them would not fit in memory.)
_SAME_KEY = """r.payer IS NOT DISTINCT FROM g.payer
             AND r.beneficiary IS NOT DISTINCT FROM g.beneficiary
             AND r.date = g.date AND r.amount = g.amount"""
_PAYMENT = """id, payer, beneficiary, date, amount,
               coalesce(channel, CASE WHEN beneficiary IS NULL THEN 'cash' END) AS channel,
               country, purpose, {ids} AS ids,
               coalesce(channel IN ('cash', 'atm'), false)
                   OR (beneficiary IS NULL AND payer IS NOT NULL) AS is_cash_out"""
STEPS = (
    (
        "payment_row",
        """SELECT id, payerAccount AS payer, beneficiaryAccount AS beneficiary, date,
               amount::DOUBLE AS amount, lower(channel) AS channel,
               upper(country) AS country, purpose, source_id
        FROM "transaction"
        WHERE date IS NOT NULL AND amount > 0
          AND (payerAccount IS NOT NULL OR beneficiaryAccount IS NOT NULL)""",
    ),
    (
        "payment_repeated",
        """SELECT payer, beneficiary, date, amount FROM payment_row GROUP BY ALL
        HAVING count(*) > 1""",
    ),
    (
        "payment_group",
        f"""WITH ranked AS (
            SELECT r.*, row_number() OVER (PARTITION BY r.payer, r.beneficiary, r.date,
                                           r.amount, r.source_id ORDER BY r.id) AS k
            FROM payment_row r JOIN payment_repeated g ON {_SAME_KEY})
        SELECT min(id) AS id, payer, beneficiary, date, amount, min(channel) AS channel,
               min(country) AS country, min(purpose) AS purpose, list(id ORDER BY id) AS ids
        FROM ranked GROUP BY payer, beneficiary, date, amount, k""",
    ),
    (
        "payment",
        f"""SELECT {_PAYMENT.format(ids="[r.id]")}
        FROM payment_row r ANTI JOIN payment_repeated g ON {_SAME_KEY}
        UNION ALL
        SELECT {_PAYMENT.format(ids="ids")} FROM payment_group""",
    ),
    (
        # An account's country: as the bank gives it, else the IBAN's country code.
        "account_home",
        """SELECT id AS account, upper(coalesce(min(country), min(left(iban, 2)))) AS country
        FROM bank_account GROUP BY id""",
    ),
    # Who holds an account, and on what basis (see ``invert.resolve.holders``).
    ("account_holder", holders.HOLDERS),
)
# The steps only the next ones read.
INTERMEDIATE = ("payment_row", "payment_repeated", "payment_group")


def prepare(con: duckdb.DuckDBPyConnection, force: bool = False) -> None:
    """Create the temp tables ``payment``, ``account_home`` and ``account_holder`` (once per
    connection unless ``force``). A reader that keeps them elsewhere (the web server, built
    once) puts temporary views of those names on the connection instead."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name IN "
            "('payment', 'account_home', 'account_holder') UNION SELECT view_name "
            "FROM duckdb_views() WHERE temporary AND view_name IN "
            "('payment', 'account_home', 'account_holder')"
        ).fetchall()
    }
    if len(have) == 3 and not force:
        return
    for name, sql in STEPS:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    for name in INTERMEDIATE:
        con.execute(f"DROP TABLE {name}")
    con.execute("DROP TABLE IF EXISTS payment_numbered")  # numbered from the old payments


def accounts_of(con: duckdb.DuckDBPyConnection, subject: str) -> list[str]:
    """The accounts a subject names: an account id, an IBAN, or a person's or company's
    entity id (every account it holds, and those its wages are paid into)."""
    from invert.money import MoneyError

    prepare(con)
    rows = con.execute(
        """
        SELECT DISTINCT id FROM bank_account
        WHERE id = $s OR replace(upper(iban), ' ', '') = replace(upper($s), ' ', '')
        UNION SELECT account FROM account_holder WHERE holder = $s
        UNION SELECT b.id FROM wage_payment w JOIN bank_account b ON b.iban = w.iban
        WHERE w.employee = $s
        ORDER BY 1""",
        {"s": subject},
    ).fetchall()
    if not rows:
        raise MoneyError(
            f"{subject!r} is not an account, IBAN, person or company of this case with a "
            "known account; look it up with: invert leads CASE_DIR --subject account"
        )
    return [r[0] for r in rows]
