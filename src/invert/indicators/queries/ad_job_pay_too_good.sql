-- Hourly pay on offer against the other ads of the case for the same occupation and destination
-- country (or the country alone when the occupation has too few ads): above the percentile, or
-- above median_factor times the median.
WITH pay AS (
    SELECT t.ad, t.occupation, t.dest_country AS country, t.pay_hourly_eur AS pay,
           t.pay_amount, t.pay_currency, t.pay_period, t.pay_net
    FROM ad_text t JOIN ad a ON a.id = t.ad
    WHERE coalesce(lower(a.kind), 'job') = 'job' AND t.pay_hourly_eur > 0),
by_job AS (
    SELECT occupation, country, count(*) AS n, quantile_cont(pay, $percentile) AS high,
           median(pay) AS mid
    FROM pay WHERE occupation IS NOT NULL GROUP BY ALL),
by_country AS (
    SELECT country, count(*) AS n, quantile_cont(pay, $percentile) AS high, median(pay) AS mid
    FROM pay GROUP BY ALL),
market AS (
    SELECT p.*,
           CASE WHEN j.n >= $min_market_ads THEN j.high ELSE c.high END AS high,
           CASE WHEN j.n >= $min_market_ads THEN j.mid ELSE c.mid END AS mid,
           CASE WHEN j.n >= $min_market_ads THEN p.occupation || ' in ' || coalesce(p.country, '?')
                ELSE 'all jobs in ' || coalesce(p.country, '?') END AS market,
           CASE WHEN j.n >= $min_market_ads THEN j.n ELSE c.n END AS n
    FROM pay p
    LEFT JOIN by_job j ON j.occupation = p.occupation AND j.country IS NOT DISTINCT FROM p.country
    LEFT JOIN by_country c ON c.country IS NOT DISTINCT FROM p.country)
SELECT ad AS subject_id,
       0.6 + 0.4 * least(1.0, (pay - high) / greatest(mid * $median_factor - high, 0.01))
       AS strength,
       printf('offers %s(%.2f EUR an hour) against %.2f at P%d and median %.2f of %d ads for %s',
              coalesce(printf('%s %s%s per %s ', pay_amount::VARCHAR, pay_currency,
                              CASE WHEN pay_net THEN ' net' ELSE '' END, pay_period), ''),
              pay, high, ($percentile * 100)::INT, mid, n, market) AS value,
       [{'tbl': 'ad', 'id': ad}] AS evidence
FROM market
WHERE n >= $min_market_ads AND (pay > high OR pay > $median_factor * mid)
