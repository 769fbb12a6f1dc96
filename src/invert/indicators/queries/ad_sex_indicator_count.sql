-- Sexual-services ads carrying min_count or more of the sex-ad indicators (movement wording
-- and the count itself left out).
SELECT h.subject_id,
       least(1.0, 0.6 + 0.1 * (count(DISTINCT h.indicator) - $min_count)) AS strength,
       printf('%d trafficking signs: %s', count(DISTINCT h.indicator),
              string_agg(DISTINCT h.indicator, ', ' ORDER BY h.indicator)) AS value,
       [{'tbl': 'ad', 'id': h.subject_id}] AS evidence
FROM new_hit h JOIN ad a ON a.id = h.subject_id
WHERE h.subject = 'ad' AND regexp_matches(h.indicator, $counted)
  AND NOT regexp_matches(h.indicator, $not_counted) AND lower(a.kind) = 'sex'
GROUP BY h.subject_id
HAVING count(DISTINCT h.indicator) >= $min_count
