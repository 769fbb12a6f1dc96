-- Months with a salary credit and (almost) no living-cost debits on the same account.
WITH salary AS (
    SELECT beneficiaryAccount AS account, date_trunc('month', date) AS month,
           list({'tbl': 'transaction', 'id': id}) AS ev
    FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND regexp_matches(lower(purpose), $salary)
    GROUP BY ALL),
living AS (
    SELECT payerAccount AS account, date_trunc('month', date) AS month, count(*) AS n
    FROM "transaction"
    WHERE payerAccount IS NOT NULL
      AND (channel = 'card' OR regexp_matches(lower(coalesce(purpose, '')), $living))
    GROUP BY ALL),
bare AS (
    SELECT s.account, s.month, s.ev FROM salary s
    LEFT JOIN living l USING (account, month)
    WHERE coalesce(l.n, 0) <= $max_living)
SELECT account AS subject_id, 0.4 + count(*) / 12 AS strength,
       printf('%d months with salary in and at most %d living-cost payments out', count(*),
              $max_living) AS value,
       flatten(list(ev)) AS evidence
FROM bare GROUP BY account HAVING count(*) >= $months
