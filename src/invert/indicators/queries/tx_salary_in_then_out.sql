-- Salary credits followed within a few days by debits of most of the amount. Pay passed on as
-- pay (a pay-card provider paying its card holders) is no drain. Debits are summed per account
-- and day first and found by an equi-join on (account, day) over the days of each window;
-- evidence is gathered for the accounts that qualify only (memory at scale).
WITH salary AS (
    SELECT id, beneficiaryAccount AS account, date, amount FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND regexp_matches(lower(purpose), $salary)),
daily AS (  -- debits per account and day, of the accounts credited with salary only (the
            -- employers' salary payments are most of the transactions); a salary payment (also
            -- a salary credit the account pays itself) is none
    SELECT payerAccount AS account, date AS day, sum(amount) AS out
    FROM "transaction"
    WHERE payerAccount IN (SELECT account FROM salary) AND date IS NOT NULL
      AND NOT coalesce(regexp_matches(lower(purpose), $salary), false)
    GROUP BY ALL),
days AS (  -- each salary credit with each day it may be drained on
    SELECT s.*, s.date + r.shift::INTEGER AS day
    FROM salary s CROSS JOIN (SELECT unnest(range(0, $days + 1)) AS shift) r),
windows AS (
    SELECT s.id, s.account, s.date, s.amount, sum(d.out) AS out
    FROM days s JOIN daily d ON d.account = s.account AND d.day = s.day
    GROUP BY s.id, s.account, s.date, s.amount),
drained AS (  -- what left of each credit (at most the credit itself)
    SELECT id, account, date, amount, least(amount, out) AS out FROM windows
    WHERE out >= $share * amount),
hit AS (
    SELECT account, count(*) AS n, sum(out) AS out, sum(amount) AS amount FROM drained
    GROUP BY account HAVING count(*) >= $min_periods),
evidence AS (  -- each drained credit and its debits, for the qualifying accounts only
    SELECT s.account, s.id, rows_of('transaction', list(d.id)) AS debits
    FROM drained s JOIN "transaction" d
      ON d.payerAccount = s.account AND d.date >= s.date AND d.date <= s.date + $days
     AND d.id <> s.id
    WHERE s.account IN (SELECT account FROM hit)
      AND NOT coalesce(regexp_matches(lower(d.purpose), $salary), false)
    GROUP BY s.account, s.id, s.date, s.amount)
SELECT h.account AS subject_id, 0.4 + h.n / 10 AS strength,
       printf('%d salary credits of which %.0f%% left within %d days', h.n,
              100 * h.out / h.amount, $days) AS value,
       flatten(list([{'tbl': 'transaction', 'id': e.id}] || e.debits)) AS evidence
FROM hit h JOIN evidence e ON e.account = h.account
GROUP BY h.account, h.n, h.out, h.amount
