-- Inspection findings or summaries saying the employer could not show wage or time records,
-- workers' right-to-work papers or their registration (any of the case's languages).
SELECT employer AS subject_id, 0.6 + 0.2 * count(*) AS strength,
       printf('%d inspection(s) found missing records: %s (last on %s)', count(*),
              array_to_string(list_sort(list_distinct(flatten(list(matched)))), '; '),
              max(date)) AS value,
       rows_of('inspection', list(id ORDER BY date)) AS evidence
FROM inspection_says($pattern)
GROUP BY employer
