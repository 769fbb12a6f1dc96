-- Sexual-services ads carrying min_count or more of the sex-ad indicators (movement wording
-- and the count itself left out).
SELECT subject_id, least(1.0, 0.6 + 0.1 * (n - $min_count)) AS strength,
       printf('%d trafficking signs: %s', n, signs) AS value,
       [{'tbl': 'ad', 'id': subject_id}] AS evidence
FROM ad_signs($counted, $not_counted, 'sex') WHERE n >= $min_count
