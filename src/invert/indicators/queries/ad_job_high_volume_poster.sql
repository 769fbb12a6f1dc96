-- Posters (ads tied by a contact or template) with more ads in 30 days than the percentile of
-- the case's posters, or ads for min_occupations or more occupations.
WITH posts AS (
    SELECT p.poster, p.ad, a.postedAt, t.occupation,
           count(*) OVER (PARTITION BY p.poster ORDER BY a.postedAt
                          RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW) AS in_30
    FROM ad_poster p JOIN ad a ON a.id = p.ad LEFT JOIN ad_text t ON t.ad = p.ad
    WHERE coalesce(lower(a.kind), 'job') = 'job' AND a.postedAt IS NOT NULL),
posters AS (
    SELECT poster, max(in_30) AS peak, count(DISTINCT occupation) AS jobs,
           coalesce(string_agg(DISTINCT occupation, ', ' ORDER BY occupation), 'not known')
           AS occupations
    FROM posts GROUP BY poster),
norm AS (SELECT quantile_cont(peak, $percentile) AS high FROM posters)
SELECT p.ad AS subject_id,
       least(1.0, 0.5 + 0.1 * (s.jobs >= $min_occupations)::INT
                 + 0.4 * (s.peak > n.high AND s.peak >= $min_ads)::INT) AS strength,
       printf('its poster published %d ads within 30 days (P%d of posters: %.0f), for %d '
              || 'occupation(s) (%s)', s.peak, ($percentile * 100)::INT, n.high, s.jobs,
              s.occupations) AS value,
       [{'tbl': 'ad', 'id': p.ad}] AS evidence
FROM posts p JOIN posters s USING (poster) CROSS JOIN norm n
WHERE (s.peak > n.high AND s.peak >= $min_ads) OR s.jobs >= $min_occupations
