-- Ads whose poster holds min_ads or more OTHER ads with many deceptive signs (hits of either
-- count in this run), making up at least min_share of the poster's ads.
SELECT ad AS subject_id, least(1.0, 0.6 + 0.05 * (array_length(peers) - $min_ads)) AS strength,
       printf('same poster (%s) as %d ads with many deceptive-recruitment signs (%d of its %d '
              || 'ads)', poster, array_length(peers), flagged, ads) AS value,
       [{'tbl': 'ad', 'id': ad}] || rows_of('ad', peers[:20]) AS evidence
FROM poster_peers($min_ads, $min_share)
