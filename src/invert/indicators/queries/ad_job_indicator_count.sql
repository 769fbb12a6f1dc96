-- Job ads carrying min_count or more of the job-ad indicators (ids matching $counted).
SELECT h.subject_id,
       least(1.0, 0.6 + 0.1 * (count(DISTINCT h.indicator) - $min_count)) AS strength,
       printf('%d deceptive-recruitment signs: %s', count(DISTINCT h.indicator),
              string_agg(DISTINCT h.indicator, ', ' ORDER BY h.indicator)) AS value,
       [{'tbl': 'ad', 'id': h.subject_id}] AS evidence
FROM new_hit h JOIN ad a ON a.id = h.subject_id
WHERE h.subject = 'ad' AND regexp_matches(h.indicator, $counted)
  AND coalesce(lower(a.kind), 'job') = 'job'
GROUP BY h.subject_id
HAVING count(DISTINCT h.indicator) >= $min_count
