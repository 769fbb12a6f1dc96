-- Salary credits followed within a few days by debits of most of the amount. Debits are found by
-- an equi-join on account and day (each day of the window listed), and counts come first: the
-- evidence is gathered for the accounts that qualify only (memory at scale).
WITH salary AS (
    SELECT id, beneficiaryAccount AS account, date, amount FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND regexp_matches(lower(purpose), $salary)),
windows AS (  -- each salary credit with each day it may be drained on
    SELECT s.*, s.date + r.k::INTEGER AS day FROM salary s, range(0, $days + 1) AS r(k)),
debits AS (
    SELECT w.id, w.account, w.date, w.amount, d.id AS debit, d.amount AS out
    FROM windows w JOIN "transaction" d ON d.payerAccount = w.account AND d.date = w.day
    WHERE d.id <> w.id),
drained AS (
    SELECT id, account, date, amount, sum(out) AS out FROM debits
    GROUP BY id, account, date, amount HAVING sum(out) >= $share * amount),
hit AS (
    SELECT account, count(*) AS n, sum(out) AS out, sum(amount) AS amount FROM drained
    GROUP BY account HAVING count(*) >= $min_periods),
evidence AS (  -- each drained credit and its debits, for the qualifying accounts only
    SELECT d.account, flatten(list([{'tbl': 'transaction', 'id': d.id}] || e.debits)) AS ev
    FROM drained d JOIN hit h ON h.account = d.account
    JOIN (SELECT id, account, date, amount, rows_of('transaction', list(debit)) AS debits
          FROM debits WHERE account IN (SELECT account FROM hit)
          GROUP BY id, account, date, amount) e
      ON e.id = d.id AND e.account = d.account AND e.date = d.date AND e.amount = d.amount
    GROUP BY d.account)
SELECT h.account AS subject_id, 0.4 + h.n / 10 AS strength,
       printf('%d salary credits of which %.0f%% left within %d days', h.n,
              100 * h.out / h.amount, $days) AS value,
       e.ev AS evidence
FROM hit h JOIN evidence e ON e.account = h.account
