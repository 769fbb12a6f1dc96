-- Inspection findings or summaries saying the employer could not show wage or time records,
-- workers' right-to-work papers or their registration (any of the case's languages).
WITH said AS (
    SELECT id, employer, date,
           list_filter(coalesce(findings, []), x -> regexp_matches(x, $pattern, 'i'))
           || CASE WHEN regexp_matches(summary, $pattern, 'i')
                   THEN [regexp_extract(summary, $pattern, 0, 'i')] ELSE [] END AS matched
    FROM inspection WHERE employer IS NOT NULL)
SELECT employer AS subject_id, 0.6 + 0.2 * count(*) AS strength,
       printf('%d inspection(s) found missing records: %s (last on %s)', count(*),
              array_to_string(list_sort(list_distinct(flatten(list(matched)))), '; '),
              max(date)) AS value,
       list({'tbl': 'inspection', 'id': id} ORDER BY date) AS evidence
FROM said
WHERE len(matched) > 0
GROUP BY employer
