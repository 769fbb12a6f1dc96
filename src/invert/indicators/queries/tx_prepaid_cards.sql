-- Months with $min_per_month or more purchases or loads of prepaid cards (MCC 6540 or a prepaid
-- product named in the payment text).
WITH loads AS (
    SELECT id, payerAccount AS account, date, amount FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL
      AND (regexp_matches(lpad(trim(mcc), 4, '0'), $prepaid_mcc)
           OR regexp_matches(lower(purpose), $prepaid))),
months AS (
    SELECT account, date_trunc('month', date) AS mon, count(*) AS n, sum(amount) AS total,
           rows_of('transaction', list(id ORDER BY date, id)) AS ev
    FROM loads GROUP BY account, mon HAVING count(*) >= $min_per_month)
SELECT account AS subject_id, 0.5 + (max(n) - $min_per_month) / 10 AS strength,
       printf('%d prepaid-card purchases or loads in one month (%.2f; %d such month(s))',
              max(n), arg_max(total, n), count(*)) AS value,
       flatten(list(ev ORDER BY mon)) AS evidence
FROM months GROUP BY account
