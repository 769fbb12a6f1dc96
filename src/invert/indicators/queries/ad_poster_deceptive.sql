-- Ads whose poster holds min_ads or more OTHER ads with many deceptive signs (hits of
-- ad_job_indicator_count or ad_sex_indicator_count in this run). Posters, not raw template
-- clusters: a job board's boilerplate is shared by unrelated employers.
WITH flagged AS (
    SELECT DISTINCT subject_id AS ad FROM new_hit
    WHERE indicator IN ('ad_job_indicator_count', 'ad_sex_indicator_count')),
peers AS (
    SELECT p.ad, p.poster, list(DISTINCT q.ad ORDER BY q.ad) AS peers
    FROM ad_poster p JOIN ad_poster q ON q.poster = p.poster AND q.ad <> p.ad
    JOIN flagged f ON f.ad = q.ad
    GROUP BY p.ad, p.poster)
SELECT ad AS subject_id, least(1.0, 0.6 + 0.05 * (len(peers) - $min_ads)) AS strength,
       printf('same poster (%s) as %d ads with many deceptive-recruitment signs', poster,
              len(peers)) AS value,
       [{'tbl': 'ad', 'id': ad}] || rows_of('ad', peers[:20]) AS evidence
FROM peers WHERE len(peers) >= $min_ads
