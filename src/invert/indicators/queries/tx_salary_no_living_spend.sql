-- Months with a salary credit and (almost) no living-cost debits on the same account. Counts
-- come first; evidence is gathered for the accounts that qualify only (memory at scale).
WITH salary AS (
    SELECT id, beneficiaryAccount AS account, date_trunc('month', date) AS month
    FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND regexp_matches(lower(purpose), $salary)),
salary_months AS (SELECT DISTINCT account, month FROM salary),
living AS (
    SELECT payerAccount AS account, date_trunc('month', date) AS month, count(*) AS n
    FROM "transaction"
    WHERE payerAccount IN (SELECT account FROM salary_months)
      AND (channel = 'card' OR regexp_matches(lower(coalesce(purpose, '')), $living))
    GROUP BY ALL),
bare AS (
    SELECT s.account, s.month FROM salary_months s
    LEFT JOIN living l USING (account, month)
    WHERE coalesce(l.n, 0) <= $max_living),
hit AS (
    SELECT account, count(*) AS months FROM bare GROUP BY account HAVING count(*) >= $months)
SELECT h.account AS subject_id, 0.4 + h.months / 12 AS strength,
       printf('%d months with salary in and at most %d living-cost payments out', h.months,
              $max_living) AS value,
       rows_of('transaction', list(s.id)) AS evidence
FROM hit h JOIN bare b ON b.account = h.account
JOIN salary s ON s.account = b.account AND s.month = b.month
GROUP BY h.account, h.months
