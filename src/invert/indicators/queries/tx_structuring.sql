-- Cash paid in or out and wires sent just under a reporting threshold: the best window of $days
-- days in which most of an account's cash/wire transactions sit within $band below it.
WITH own AS (
    SELECT id, payerAccount AS account, date, amount FROM "transaction"
    WHERE payerAccount IS NOT NULL AND channel IN ('cash', 'wire')
    UNION ALL
    SELECT id, beneficiaryAccount, date, amount FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND channel = 'cash'),
marked AS (
    SELECT *, amount >= $threshold * (1 - $band) AND amount < $threshold AS near FROM own
    WHERE date IS NOT NULL AND amount IS NOT NULL),
candidates AS (  -- no window of an account holds more near-threshold rows than it has in all
    SELECT account FROM marked WHERE near GROUP BY account HAVING count(*) >= $min_count),
windows AS (  -- each near-threshold transaction closes a window
    SELECT account, date AS until, near, sum(near::INTEGER) OVER w AS n_near,
           count(*) OVER w AS n_all
    FROM marked WHERE account IN (SELECT account FROM candidates)
    WINDOW w AS (PARTITION BY account ORDER BY date
                 RANGE BETWEEN INTERVAL ($days - 1) DAY PRECEDING AND CURRENT ROW)),
best AS (
    SELECT account, until, n_near, n_all, n_near / n_all AS share FROM windows
    WHERE near AND n_near >= $min_count AND n_near / n_all > $share
    QUALIFY row_number() OVER (PARTITION BY account
                               ORDER BY n_near / n_all DESC, n_near DESC, until) = 1)
SELECT b.account AS subject_id,
       0.5 + (b.share - $share) + (b.n_near - $min_count) / 20 AS strength,
       printf('%d of %d cash/wire transactions (%.0f%%) in %d days between %.0f and %.0f, '
              || 'just under the %.0f threshold', b.n_near, b.n_all, 100 * b.share, $days,
              $threshold * (1 - $band), $threshold::DOUBLE, $threshold::DOUBLE) AS value,
       rows_of('transaction', list(m.id ORDER BY m.date, m.id)) AS evidence
FROM best b JOIN marked m
  ON m.account = b.account AND m.near AND m.date > b.until - $days AND m.date <= b.until
GROUP BY b.account, b.share, b.n_near, b.n_all
