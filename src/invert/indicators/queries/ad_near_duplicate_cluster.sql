-- Ads of a template cluster of min_size or more whose ads all come from at most max_posters
-- posters; the template (shared text, [...] for the varying slots) is shown where known.
WITH clusters AS (
    SELECT k.cluster, count(DISTINCT k.ad) AS n, count(DISTINCT p.poster) AS posters,
           list(DISTINCT k.ad ORDER BY k.ad) AS ads
    FROM ad_cluster k LEFT JOIN ad_poster p ON p.ad = k.ad
    GROUP BY k.cluster
    HAVING count(DISTINCT k.ad) >= $min_size AND count(DISTINCT p.poster) <= $max_posters)
SELECT k.ad AS subject_id, least(1.0, 0.5 + 0.02 * c.n) AS strength,
       printf('one of %d near-identical ads of one poster%s', c.n,
              coalesce(': "' || left(t.template, 160) || '"', '')) AS value,
       [{'tbl': 'ad', 'id': k.ad}] || rows_of('ad', list_filter(c.ads, x -> x <> k.ad)[:20])
       AS evidence
FROM ad_cluster k JOIN clusters c USING (cluster) LEFT JOIN ad_template t USING (cluster)
