-- Job ads carrying min_count or more of the job-ad indicators (ids matching $counted).
SELECT subject_id, least(1.0, 0.6 + 0.1 * (n - $min_count)) AS strength,
       printf('%d deceptive-recruitment signs: %s', n, signs) AS value,
       [{'tbl': 'ad', 'id': subject_id}] AS evidence
FROM ad_signs($counted, '^$', 'job') WHERE n >= $min_count
