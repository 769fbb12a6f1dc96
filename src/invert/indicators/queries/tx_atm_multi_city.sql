-- ATM withdrawals in $min_cities or more cities within $days days, in at least $min_windows
-- separate such windows (overlapping hot windows are merged; a long run counts per $days).
WITH atm AS (
    SELECT id, payerAccount AS account, date, lower(trim(city)) AS city FROM "transaction"
    WHERE channel = 'atm' AND payerAccount IS NOT NULL AND date IS NOT NULL
      AND nullif(trim(city), '') IS NOT NULL),
hot AS (  -- window ends with enough cities
    SELECT DISTINCT account, until, cities FROM (
        SELECT account, date AS until, count(DISTINCT city) OVER (
            PARTITION BY account ORDER BY date
            RANGE BETWEEN INTERVAL ($days - 1) DAY PRECEDING AND CURRENT ROW) AS cities
        FROM atm)
    WHERE cities >= $min_cities),
runs AS (  -- hot window ends less than $days apart belong to one run
    SELECT *, sum(CASE WHEN gap IS NULL OR gap >= $days THEN 1 ELSE 0 END)
              OVER (PARTITION BY account ORDER BY until) AS run
    FROM (SELECT *, until - lag(until) OVER (PARTITION BY account ORDER BY until) AS gap
          FROM hot)),
counted AS (
    SELECT account, sum(1 + (last - first) // $days) AS windows, max(cities) AS cities
    FROM (SELECT account, run, min(until) AS first, max(until) AS last, max(cities) AS cities
          FROM runs GROUP BY account, run)
    GROUP BY account HAVING sum(1 + (last - first) // $days) >= $min_windows),
ev AS (
    SELECT DISTINCT a.account, a.id, a.date FROM atm a JOIN hot h
      ON h.account = a.account AND a.date > h.until - $days AND a.date <= h.until
    WHERE a.account IN (SELECT account FROM counted))
SELECT c.account AS subject_id,
       0.5 + (c.windows - $min_windows) / 10 + (c.cities - $min_cities) / 10 AS strength,
       printf('ATM withdrawals in %d or more cities within %d days, in %d separate windows '
              || '(up to %d cities)', $min_cities, $days, c.windows, c.cities) AS value,
       rows_of('transaction', list(e.id ORDER BY e.date, e.id)) AS evidence
FROM counted c JOIN ev e ON e.account = c.account
GROUP BY c.account, c.windows, c.cities
