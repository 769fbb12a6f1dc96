-- Months with $min_per_month or more small virtual-currency purchases (crypto channel, MCC 6051
-- or an exchange named in the payment text); repeated fixed amounts weigh more.
WITH buys AS (
    SELECT id, payerAccount AS account, date, amount FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL AND amount <= $max_amount
      AND (channel = 'crypto' OR regexp_matches(lpad(trim(mcc), 4, '0'), $crypto_mcc)
           OR regexp_matches(lower(purpose), $crypto))),
months AS (
    SELECT account, date_trunc('month', date) AS mon, count(*) AS n, sum(amount) AS total,
           count(DISTINCT amount) * 2 <= count(*) AS fixed,
           rows_of('transaction', list(id ORDER BY date, id)) AS ev
    FROM buys GROUP BY account, mon HAVING count(*) >= $min_per_month)
SELECT account AS subject_id,
       0.5 + (max(n) - $min_per_month) / 10 + CASE WHEN bool_or(fixed) THEN 0.2 ELSE 0 END
       AS strength,
       printf('%d crypto purchases of at most %.0f in one month (%.2f; %d such month(s))%s',
              max(n), $max_amount::DOUBLE, arg_max(total, n), count(*),
              CASE WHEN bool_or(fixed) THEN ', in repeated fixed amounts' ELSE '' END) AS value,
       flatten(list(ev ORDER BY mon)) AS evidence
FROM months GROUP BY account
