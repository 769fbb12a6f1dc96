-- Funnel accounts: cash paid in in several cities within $days days, and deposits taken out
-- again in another city within $out_days day(s).
WITH deposits AS (
    SELECT id, beneficiaryAccount AS account, date, lower(trim(city)) AS city FROM "transaction"
    WHERE channel = 'cash' AND beneficiaryAccount IS NOT NULL AND date IS NOT NULL
      AND nullif(trim(city), '') IS NOT NULL),
withdrawals AS (
    SELECT id, payerAccount AS account, date, lower(trim(city)) AS city FROM "transaction"
    WHERE channel IN ('cash', 'atm') AND payerAccount IS NOT NULL AND date IS NOT NULL
      AND nullif(trim(city), '') IS NOT NULL),
quick AS (  -- deposits taken out in another city soon after
    SELECT d.id, rows_of('transaction', list(w.id ORDER BY w.date, w.id)) AS outs
    FROM deposits d JOIN withdrawals w
      ON w.account = d.account AND w.date >= d.date AND w.date <= d.date + $out_days
     AND w.city <> d.city
    GROUP BY d.id),
flagged AS (
    SELECT d.id, d.account, d.date, d.city, q.outs, q.id IS NOT NULL AS is_quick
    FROM deposits d LEFT JOIN quick q ON q.id = d.id),
windows AS (
    SELECT account, date AS until, count(DISTINCT city) OVER w AS cities,
           sum(is_quick::INTEGER) OVER w AS n_quick
    FROM flagged
    WINDOW w AS (PARTITION BY account ORDER BY date
                 RANGE BETWEEN INTERVAL ($days - 1) DAY PRECEDING AND CURRENT ROW)),
best AS (
    SELECT * FROM windows WHERE cities >= $min_cities AND n_quick >= $min_quick
    QUALIFY row_number() OVER (PARTITION BY account
                               ORDER BY cities DESC, n_quick DESC, until) = 1)
SELECT b.account AS subject_id,
       0.5 + (b.cities - $min_cities) / 10 + (b.n_quick - $min_quick) / 10 AS strength,
       printf('cash paid in in %d cities within %d days; %d deposit(s) taken out in another '
              || 'city within %d day(s)', b.cities, $days, b.n_quick, $out_days) AS value,
       flatten(list([{'tbl': 'transaction', 'id': f.id}] || coalesce(f.outs, [])
                    ORDER BY f.date, f.id)) AS evidence
FROM best b JOIN flagged f
  ON f.account = b.account AND f.date > b.until - $days AND f.date <= b.until
GROUP BY b.account, b.cities, b.n_quick
