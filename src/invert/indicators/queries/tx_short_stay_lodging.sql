-- Lodging payments (hotel MCCs) at the Grant Thornton rates, $per_week in 7 days or $per_month
-- in 30 days, or in $min_cities cities within 7 days; the best window per account.
WITH lodging AS (
    SELECT id, payerAccount AS account, date, lower(nullif(trim(city), '')) AS city
    FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL
      AND regexp_matches(lpad(trim(mcc), 4, '0'), $lodging_mcc)),
windows AS (
    SELECT account, date AS until, count(*) OVER week AS n_week, count(*) OVER month AS n_month,
           count(DISTINCT city) OVER week AS cities
    FROM lodging
    WINDOW week AS (PARTITION BY account ORDER BY date
                    RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW),
           month AS (PARTITION BY account ORDER BY date
                     RANGE BETWEEN INTERVAL 29 DAY PRECEDING AND CURRENT ROW)),
best AS (
    SELECT *, CASE WHEN n_month / $per_month >= greatest(n_week / $per_week, cities / $min_cities)
                   THEN 30 ELSE 7 END AS span
    FROM (SELECT *, greatest(n_week / $per_week, n_month / $per_month, cities / $min_cities)
                    AS ratio FROM windows)
    WHERE ratio >= 1
    QUALIFY row_number() OVER (PARTITION BY account ORDER BY ratio DESC, until) = 1)
SELECT b.account AS subject_id, 0.3 + 0.3 * b.ratio AS strength,
       printf('%d lodging payments in 7 days, %d in 30 days, %d cities in 7 days (to %s)',
              b.n_week, b.n_month, b.cities, strftime(b.until, '%Y-%m-%d')) AS value,
       rows_of('transaction', list(l.id ORDER BY l.date, l.id)) AS evidence
FROM best b JOIN lodging l
  ON l.account = b.account AND l.date > b.until - b.span AND l.date <= b.until
GROUP BY b.account, b.ratio, b.n_week, b.n_month, b.cities, b.until
