-- Months with $min_per_month or more payments to advertising, classifieds, escort or dating
-- sites (MCC or site named in the payment text); repeated small fixed amounts weigh more.
WITH ads AS (
    SELECT id, payerAccount AS account, date, amount FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL
      AND (regexp_matches(lpad(trim(mcc), 4, '0'), $ad_mcc)
           OR regexp_matches(lower(purpose), $ad_sites))),
months AS (
    SELECT account, date_trunc('month', date) AS mon, count(*) AS n, sum(amount) AS total,
           -- small fixed amounts: at most half as many different amounts as payments
           count(DISTINCT amount) * 2 <= count(*) AND max(amount) <= $small_amount AS fixed,
           rows_of('transaction', list(id ORDER BY date, id)) AS ev
    FROM ads GROUP BY account, mon HAVING count(*) >= $min_per_month)
SELECT account AS subject_id,
       0.5 + (max(n) - $min_per_month) / 10 + CASE WHEN bool_or(fixed) THEN 0.2 ELSE 0 END
       AS strength,
       printf('%d payments to ad/classified sites in one month (%.2f; %d such month(s))%s',
              max(n), arg_max(total, n), count(*),
              CASE WHEN bool_or(fixed) THEN ', in repeated small fixed amounts' ELSE '' END)
       AS value,
       flatten(list(ev ORDER BY mon)) AS evidence
FROM months GROUP BY account
