-- Months with more pharmacy, lingerie, cosmetics, beauty-salon and fast-food purchases than the
-- $percentile percentile of all account-months with card spending, at least $min_count of them.
WITH upkeep AS (
    SELECT payerAccount AS account, date_trunc('month', date) AS mon, count(*) AS n,
           sum(amount) AS spend, rows_of('transaction', list(id ORDER BY date, id)) AS ev
    FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL
      AND regexp_matches(lpad(trim(mcc), 4, '0'), $upkeep_mcc)
    GROUP BY ALL),
card AS (  -- the peer group: account-months with card spending, read only when some
    -- month has enough such payments to be a hit at all
    SELECT DISTINCT payerAccount AS account, date_trunc('month', date) AS mon FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL
      AND (channel = 'card' OR nullif(trim(mcc), '') IS NOT NULL)
      AND EXISTS (SELECT 1 FROM upkeep WHERE n >= $min_count)),
peers AS (
    SELECT c.account, c.mon, coalesce(u.n, 0) AS n, u.spend, u.ev
    FROM card c LEFT JOIN upkeep u ON u.account = c.account AND u.mon = c.mon),
cut AS (
    SELECT quantile_cont(n, $percentile) AS p, count(*) AS months,
           count(DISTINCT account) AS accounts FROM peers),
over AS (
    SELECT p.*, c.p AS p95, c.months FROM peers p CROSS JOIN cut c
    WHERE c.accounts >= $min_peers AND p.n >= $min_count AND p.n > c.p)
SELECT account AS subject_id,
       0.5 + 0.15 * ln(max(n) / greatest(any_value(p95), 1)) AS strength,
       printf('%d pharmacy/lingerie/cosmetics/fast-food purchases (%.2f) in %s; the %.0fth '
              || 'percentile of %d account-months with card spending is %.1f', max(n),
              arg_max(spend, n), strftime(arg_max(mon, n), '%Y-%m'), 100 * $percentile,
              any_value(months), any_value(p95)) AS value,
       flatten(list(ev ORDER BY mon)) AS evidence
FROM over GROUP BY account
