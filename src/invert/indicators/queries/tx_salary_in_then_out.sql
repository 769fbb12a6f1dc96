-- Salary credits followed within a few days by debits of most of the amount.
WITH salary AS (
    SELECT id, beneficiaryAccount AS account, date, amount FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND regexp_matches(lower(purpose), $salary)),
drained AS (
    SELECT s.id, s.account, s.date, s.amount, sum(d.amount) AS out,
           list({'tbl': 'transaction', 'id': d.id}) AS debits
    FROM salary s JOIN "transaction" d
      ON d.payerAccount = s.account AND d.date >= s.date AND d.date <= s.date + $days
     AND d.id <> s.id
    GROUP BY s.id, s.account, s.date, s.amount
    HAVING sum(d.amount) >= $share * s.amount)
SELECT account AS subject_id, 0.4 + count(*) / 10 AS strength,
       printf('%d salary credits of which %.0f%% left within %d days', count(*),
              100 * sum(out) / sum(amount), $days) AS value,
       flatten(list([{'tbl': 'transaction', 'id': id}] || debits)) AS evidence
FROM drained
GROUP BY account
HAVING count(*) >= $min_periods
