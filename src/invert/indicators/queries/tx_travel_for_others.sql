-- $min_tickets or more airline, rail, bus or travel-agency purchases within $days days; several
-- tickets on one day suggest travel bought for others.
WITH tickets AS (
    SELECT id, payerAccount AS account, date FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL
      AND regexp_matches(lpad(trim(mcc), 4, '0'), $travel_mcc)),
windows AS (
    SELECT account, date AS until, count(*) OVER (
        PARTITION BY account ORDER BY date
        RANGE BETWEEN INTERVAL ($days - 1) DAY PRECEDING AND CURRENT ROW) AS n
    FROM tickets),
best AS (
    SELECT * FROM windows WHERE n >= $min_tickets
    QUALIFY row_number() OVER (PARTITION BY account ORDER BY n DESC, until) = 1),
picked AS (
    SELECT t.*, count(*) OVER (PARTITION BY t.account, t.date) AS same_day, b.n
    FROM best b JOIN tickets t
      ON t.account = b.account AND t.date > b.until - $days AND t.date <= b.until)
SELECT account AS subject_id,
       0.4 + (any_value(n) - $min_tickets) / 10
       + CASE WHEN max(same_day) > 1 THEN 0.1 ELSE 0 END AS strength,
       printf('%d travel tickets within %d days (%d bought on a day with several)',
              any_value(n), $days, count(*) FILTER (WHERE same_day > 1)) AS value,
       rows_of('transaction', list(id ORDER BY date, id)) AS evidence
FROM picked GROUP BY account
