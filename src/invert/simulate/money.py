"""Bank accounts and a year of transactions.

Ordinary money follows household and business routines: wages, wage tax, supplier invoices,
rent, utilities, groceries by card, cash withdrawals and remittances home. The yearly volume is
the size's transaction count; routine payments are thinned evenly to meet it.
"""

from __future__ import annotations

import duckdb

from invert.simulate.config import Settings

TRANSACTION_COLUMNS = """
    id VARCHAR, date DATE, payer_iban VARCHAR, payee_iban VARCHAR, amount DECIMAL(14, 2),
    purpose VARCHAR, channel VARCHAR, kind VARCHAR, network VARCHAR"""


def accounts(con: duckdb.DuckDBPyConnection) -> None:
    """One account per person and company; migrants' families hold accounts back home."""
    con.execute("""
        CREATE OR REPLACE TABLE account AS
        WITH holders AS (
            SELECT id AS holder_id, 'person' AS holder_kind, nat,
                   CASE WHEN nat <> 'NL' AND role = 'worker' AND u(id, 'home-bank') < 0.08
                        THEN 'abroad' ELSE 'host' END AS where_,
                   birth + INTERVAL 18 YEAR AS opened_min, network
            FROM person
            UNION ALL
            SELECT id, 'company', 'NL', 'host', founded, network FROM company
            UNION ALL
            SELECT 'I' || name, 'institution', 'NL', 'host', DATE '1990-01-01', NULL
            FROM institution
            UNION ALL  -- relatives abroad who receive remittances
            SELECT 'F' || substr(id, 2), 'family', nat, 'abroad', DATE '2000-01-01', NULL
            FROM person WHERE role = 'worker' AND nat <> 'NL'),
        placed AS (
            SELECT h.*, CASE WHEN where_ = 'host' THEN hb.bank END AS host_bank,
                   row_number() OVER (ORDER BY holder_id) AS k
            FROM holders h LEFT JOIN host_bank hb
              ON u(h.holder_id, 'bank') >= hb.lo AND u(h.holder_id, 'bank') < hb.hi),
        chosen AS (
            SELECT p.*, n.nat_iban, n.account_digits,
                   coalesce(host_bank, pick(holder_id, 'fbank', n.banks)) AS bank
            FROM placed p LEFT JOIN (SELECT nat, nat AS nat_iban, banks, account_digits FROM nat) n
              ON n.nat = p.nat),
        -- Bank and country codes as IBAN check digits read them, spelled once per code.
        code AS (
            SELECT code, iban_digits(code) AS digits
            FROM (SELECT bank AS code FROM host_bank UNION SELECT unnest(banks) FROM nat
                  UNION SELECT nat FROM nat UNION SELECT 'NL'))
        SELECT CASE WHEN host_bank IS NOT NULL
                    THEN iban('NL', iban_digits('NL'), host_bank, bank_code.digits,
                              lpad(perm(k, 'acct', 9999999967)::VARCHAR, 10, '0'))
                    ELSE iban(nat_iban, country_code.digits, bank, bank_code.digits,
                              lpad(perm(k, 'acct', 9999999967)::VARCHAR, account_digits::INT,
                                   CAST(randint(holder_id, 'pad', 1, 9) AS VARCHAR)))
               END AS iban,
               holder_id, holder_kind, bank,
               CASE WHEN host_bank IS NOT NULL THEN 'NL' ELSE nat_iban END AS country,
               greatest(opened_min, DATE '2024-06-30' - CAST(5000 * u(holder_id, 'opened') AS INT)
                        )::DATE AS opened,
               network
        FROM chosen LEFT JOIN code bank_code ON bank_code.code = chosen.bank
        LEFT JOIN code country_code ON country_code.code = chosen.nat_iban
    """)


def transactions(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    target = s.count("transactions")
    con.execute(f"CREATE OR REPLACE TABLE txn ({TRANSACTION_COLUMNS})")
    # Wages, as transfers from the employer to the account on the payslip.
    con.execute("""
        INSERT INTO txn
        SELECT 'W' || p.id, p.pay_date, ca.iban, p.iban, p.net,
               'SALARIS ' || upper(strftime(p.period_start, '%b %Y')) || ' ' || p.employment_id,
               'wire', 'wage', p.network
        FROM payslip p JOIN account ca ON ca.holder_id = p.company_id
        WHERE p.pay_method = 'overboeking' AND p.net > 0
    """)
    # Cash payrolls: the employer withdraws the month's cash wages.
    con.execute("""
        INSERT INTO txn
        SELECT 'K' || p.company_id || strftime(min(p.pay_date), '%Y%m'), min(p.pay_date) - 1,
               a.iban, NULL, sum(p.net), 'GELDOPNAME', 'atm', 'cash-payroll', any_value(p.network)
        FROM payslip p JOIN account a ON a.holder_id = p.company_id
        WHERE p.pay_method = 'contant' AND p.net > 0
        GROUP BY p.company_id, a.iban, date_trunc('month', p.period_start)
    """)
    # Wage tax and contributions, the month after.
    con.execute("""
        INSERT INTO txn
        SELECT 'B' || company_id || strftime(m, '%Y%m'),
               (m + INTERVAL 1 MONTH + INTERVAL 27 DAY)::DATE,
               a.iban, (SELECT iban FROM account WHERE holder_id = 'IBelastingdienst'),
               round(sum_cents(gross) * 0.42, 2), 'LOONHEFFINGEN ' || strftime(m, '%m-%Y'), 'wire',
               'tax', NULL
        FROM (SELECT company_id, date_trunc('month', period_start)::DATE AS m, gross FROM payslip) p
        JOIN account a ON a.holder_id = p.company_id
        WHERE m < DATE '2024-12-01'
        GROUP BY company_id, m, a.iban
    """)
    fixed = con.execute("SELECT count(*) FROM txn").fetchone()[0]
    _routine(con, max(0, target - fixed))


def _routine(con: duckdb.DuckDBPyConnection, budget: int) -> None:
    """Invoices between firms and household payments, thinned to ``budget`` rows."""
    # Expected rows per unit before thinning: firms ~3 invoices a month, households ~9 payments.
    firms, households = con.execute(
        "SELECT (SELECT count(*) FROM company WHERE dissolved IS NULL OR dissolved > '2024-01-01'),"
        " (SELECT count(*) FROM person WHERE role = 'worker')"
    ).fetchone()
    expected = firms * 12 * 3 + households * 12 * 9
    keep = min(1.0, budget / max(1, expected))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE firm_pool AS
        SELECT a.iban, row_number() OVER (ORDER BY a.iban) - 1 AS k
        FROM account a JOIN company c ON c.id = a.holder_id WHERE c.network IS NULL;
        INSERT INTO txn
        WITH slots AS (
            SELECT a.iban, c.id, c.headcount, m, j,
                   c.id || '-' || m || '-' || j AS key
            FROM company c JOIN account a ON a.holder_id = c.id,
                 range(12) t(m), range(3) r(j)
            WHERE (c.dissolved IS NULL OR c.dissolved > DATE '2024-01-01' + INTERVAL (m) MONTH)
              AND c.founded < DATE '2024-01-01' + INTERVAL (m) MONTH),
        n AS (SELECT count(*) AS n FROM firm_pool)
        SELECT 'V' || key, (DATE '2024-01-01' + INTERVAL (m) MONTH
                             + INTERVAL (randint(key, 'day', 0, 27)) DAY)::DATE,
               s.iban, f.iban,
               round(exp(ln(400 + 150 * headcount) + 0.9 * gauss(key, 'amt')), 2),
               'FACTUUR ' || (2024 * 10000 + randint(key, 'inv', 1, 9999))::VARCHAR, 'wire',
               'invoice', NULL
        FROM slots s CROSS JOIN n JOIN firm_pool f
          ON f.k = CAST(floor(u(key, 'supplier') * n.n) AS BIGINT)
        WHERE u(key, 'keep') < {keep} AND f.iban <> s.iban
    """)
    # Household routine: rent, utilities, groceries, cash and remittances.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE merchant AS
        SELECT i.kind, a.iban, row_number() OVER (PARTITION BY i.kind ORDER BY a.iban) - 1 AS k,
               count(*) OVER (PARTITION BY i.kind) AS n
        FROM institution i JOIN account a ON a.holder_id = 'I' || i.name;
        CREATE OR REPLACE TEMP TABLE merchant_n AS SELECT kind, any_value(n) AS n FROM merchant
        GROUP BY kind;
        INSERT INTO txn
        WITH slot AS (  -- a household's payments in a month: (item, j) for the j-th of an item
            SELECT item, j, item || j AS item_j, item || j || u_tail('keep') AS keep_tail
            FROM (VALUES ('rent', 1), ('utility', 1), ('grocery', 4), ('atm', 2),
                         ('remittance', 1)) v(item, times), range(4) r(j)
            WHERE j < times),
        hh AS (
            SELECT p.id, p.nat, wa.iban, fa.iban AS family_iban, ow.iban AS landlord_iban,
                   ad.rooms, m, p.id || '-' || m || '-' AS key_prefix
            FROM person p JOIN account wa ON wa.holder_id = p.id
            LEFT JOIN account fa ON fa.holder_id = 'F' || substr(p.id, 2)
            LEFT JOIN address ad ON ad.id = p.address_id
            -- (an equi-join: 'owner_id <> p.id' beside it would make a nested-loop join)
            LEFT JOIN account ow
                   ON ow.holder_id = CASE WHEN ad.owner_id <> p.id THEN ad.owner_id END,
            range(12) t(m)
            WHERE p.role = 'worker' AND (p.network IS NULL OR p.network LIKE 'L%')),
        -- Every possible payment is drawn, and thinned first: the 'keep' draw is
        -- u(key, 'keep') with the key spelled once (key_prefix || keep_tail).
        items AS (
            SELECT hh.*, item, j, key_prefix || item_j AS key,
                   CASE WHEN item IN ('grocery', 'utility') THEN item END AS shop_kind
            FROM hh, slot
            WHERE u_of(key_prefix || keep_tail) < {keep}
              AND (item = 'rent' AND landlord_iban IS NOT NULL
                   OR item = 'remittance' AND family_iban IS NOT NULL AND u(id, 'remits') < 0.6
                   OR item IN ('utility', 'grocery', 'atm'))),
        -- Which shop or utility (an equi-join key; a join condition reading both sides
        -- would make DuckDB compare every row with every merchant).
        shopping AS (
            SELECT items.*, CAST(floor(u(key, 'shop') * mn.n) AS BIGINT) AS shop_k
            FROM items LEFT JOIN merchant_n mn ON mn.kind = items.shop_kind)
        SELECT 'H' || key,
               (DATE '2024-01-01' + INTERVAL (m) MONTH + INTERVAL (CASE item
                    WHEN 'rent' THEN randint(id, 'rentday', 0, 3)
                    ELSE randint(key, 'day', 0, 27) END) DAY)::DATE,
               items.iban,
               CASE item WHEN 'rent' THEN landlord_iban
                         WHEN 'remittance' THEN family_iban
                         WHEN 'atm' THEN NULL
                         ELSE mm.iban END,
               round(CASE item
                   WHEN 'rent' THEN 280 + 110 * coalesce(rooms, 2) + 40 * u(id, 'rent')
                   WHEN 'utility' THEN 60 + 120 * u(key, 'amt')
                   WHEN 'grocery' THEN exp(3.4 + 0.7 * gauss(key, 'amt'))
                   WHEN 'atm' THEN 20 * randint(key, 'amt', 1, 10)
                   ELSE 100 + 250 * u(id, 'remit') + 30 * u(key, 'amt') END, 2),
               CASE item WHEN 'rent' THEN 'HUUR ' || strftime(DATE '2024-01-01'
                                                              + INTERVAL (m) MONTH, '%m-%Y')
                         WHEN 'utility' THEN 'TERMIJNBEDRAG'
                         WHEN 'grocery' THEN 'BETAALAUTOMAAT'
                         WHEN 'atm' THEN 'GELDAUTOMAAT'
                         ELSE 'TRANSFER FAMILIE' END,
               CASE item WHEN 'grocery' THEN 'card' WHEN 'atm' THEN 'atm' ELSE 'wire' END,
               items.item, NULL
        FROM shopping items
        LEFT JOIN merchant mm ON mm.kind = items.shop_kind AND mm.k = items.shop_k
    """)
