"""The payments, account countries and account holders every money query starts from.

A payment reported by a bank statement and again by an FIU report is one payment: rows with
the same payer, beneficiary, day and amount are matched across sources by their order within
each source (the second such payment in one file is the second in the other), so repeated
identical payments stay apart while a payment seen twice is counted once.
"""

from __future__ import annotations

import duckdb


def prepare(con: duckdb.DuckDBPyConnection, force: bool = False) -> None:
    """Create the temp tables ``payment``, ``account_home`` and ``account_holder`` (once per
    connection unless ``force``)."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name IN "
            "('payment', 'account_home', 'account_holder')"
        ).fetchall()
    }
    if len(have) == 3 and not force:
        return
    # One payment per (payer, beneficiary, day, amount) and per copy within one source. The
    # transaction ids behind each payment are listed only where several rows make one
    # payment: a list per group for all eighteen million rows would not fit in memory.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE payment_row AS
        SELECT id, payerAccount AS payer, beneficiaryAccount AS beneficiary, date,
               amount::DOUBLE AS amount, lower(channel) AS channel,
               upper(country) AS country, purpose,
               row_number() OVER (PARTITION BY payerAccount, beneficiaryAccount, date,
                                  amount, source_id ORDER BY id) AS k
        FROM "transaction"
        WHERE date IS NOT NULL AND amount > 0
          AND (payerAccount IS NOT NULL OR beneficiaryAccount IS NOT NULL)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE payment_group AS
        SELECT min(id) AS id, payer, beneficiary, date, amount, k, count(*) AS copies,
               min(channel) AS channel, min(country) AS country, min(purpose) AS purpose
        FROM payment_row GROUP BY payer, beneficiary, date, amount, k""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE payment AS
        WITH copies AS (
            SELECT g.id, list(r.id ORDER BY r.id) AS ids
            FROM payment_group g JOIN payment_row r
              ON r.payer IS NOT DISTINCT FROM g.payer
             AND r.beneficiary IS NOT DISTINCT FROM g.beneficiary
             AND r.date = g.date AND r.amount = g.amount AND r.k = g.k
            WHERE g.copies > 1 GROUP BY g.id)
        SELECT g.id, g.payer, g.beneficiary, g.date, g.amount,
               coalesce(g.channel, CASE WHEN g.beneficiary IS NULL THEN 'cash' END) AS channel,
               g.country, g.purpose, coalesce(c.ids, [g.id]) AS ids,
               coalesce(g.channel IN ('cash', 'atm'), false)
                   OR (g.beneficiary IS NULL AND g.payer IS NOT NULL) AS is_cash_out
        FROM payment_group g LEFT JOIN copies c ON c.id = g.id""")
    con.execute("DROP TABLE payment_row")
    con.execute("DROP TABLE payment_group")
    con.execute("""
        -- An account's country: as the bank gives it, else the IBAN's country code.
        CREATE OR REPLACE TEMP TABLE account_home AS
        SELECT id AS account,
               upper(coalesce(any_value(country), any_value(left(iban, 2)))) AS country
        FROM bank_account GROUP BY id""")
    con.execute("""
        -- Who holds an account: the holder on the account, else the only company or person
        -- of the case with the holder's name fingerprint.
        CREATE OR REPLACE TEMP TABLE account_holder AS
        WITH named AS (
            SELECT name_key, any_value(id) AS id, count(DISTINCT id) AS n, 'company' AS kind
            FROM company WHERE name_key IS NOT NULL GROUP BY name_key
            UNION ALL
            SELECT name_key, any_value(id), count(DISTINCT id), 'person' FROM person
            WHERE name_key IS NOT NULL GROUP BY name_key),
        unique_name AS (
            SELECT name_key, any_value(id) AS id, any_value(kind) AS kind FROM named
            GROUP BY name_key HAVING count(*) = 1 AND max(n) = 1),
        kinds AS (SELECT DISTINCT id, 'company' AS kind FROM company
                  UNION SELECT DISTINCT id, 'person' FROM person)
        SELECT b.id AS account,
               coalesce(any_value(b.holder), any_value(u.id)) AS holder,
               coalesce(any_value(k.kind), any_value(u.kind)) AS kind
        FROM bank_account b LEFT JOIN unique_name u ON u.name_key = b.holderName_key
        LEFT JOIN kinds k ON k.id = b.holder
        GROUP BY b.id HAVING coalesce(any_value(b.holder), any_value(u.id)) IS NOT NULL""")


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
