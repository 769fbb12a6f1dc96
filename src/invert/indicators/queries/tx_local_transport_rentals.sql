-- Months with taxi, ride-hailing and car-rental spending above the $percentile percentile of all
-- account-months with card spending in the case, with at least $min_count such payments.
WITH rides AS (
    SELECT payerAccount AS account, date_trunc('month', date) AS mon, count(*) AS n,
           sum(amount) AS spend, rows_of('transaction', list(id ORDER BY date, id)) AS ev
    FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL
      AND regexp_matches(lpad(trim(mcc), 4, '0'), $transport_mcc)
    GROUP BY ALL),
card AS (  -- the peer group: account-months with card spending, read only when some
    -- month has enough such payments to be a hit at all
    SELECT DISTINCT payerAccount AS account, date_trunc('month', date) AS mon FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL
      AND (channel = 'card' OR nullif(trim(mcc), '') IS NOT NULL)
      AND EXISTS (SELECT 1 FROM rides WHERE n >= $min_count)),
peers AS (
    SELECT c.account, c.mon, coalesce(r.spend, 0)::DOUBLE AS spend, coalesce(r.n, 0) AS n, r.ev
    FROM card c LEFT JOIN rides r ON r.account = c.account AND r.mon = c.mon),
cut AS (
    SELECT quantile_cont(spend, $percentile) AS p, count(*) AS months,
           count(DISTINCT account) AS accounts FROM peers),
over AS (
    SELECT p.*, c.p AS p95, c.months FROM peers p CROSS JOIN cut c
    WHERE c.accounts >= $min_peers AND p.n >= $min_count AND p.spend > c.p)
SELECT account AS subject_id,
       0.5 + CASE WHEN any_value(p95) > 0 THEN 0.15 * ln(max(spend) / any_value(p95)) ELSE 0 END
       + (arg_max(n, spend) - $min_count) / 40 AS strength,
       printf('%.2f on %d taxi/ride-hailing/car-rental payments in %s; the %.0fth percentile of '
              || '%d account-months with card spending is %.2f', max(spend), arg_max(n, spend),
              strftime(arg_max(mon, spend), '%Y-%m'), 100 * $percentile, any_value(months),
              any_value(p95)) AS value,
       flatten(list(ev ORDER BY mon)) AS evidence
FROM over GROUP BY account
