-- Inspection findings or summaries on occupational safety: unsafe work, no protective equipment or
-- safety training, breaches of the health-and-safety rules (hazardous work).
SELECT employer AS subject_id, 0.6 + 0.2 * count(*) AS strength,
       printf('%d inspection(s) found unsafe working conditions: %s (last on %s)', count(*),
              array_to_string(list_sort(list_distinct(flatten(list(matched)))), '; '),
              max(date)) AS value,
       rows_of('inspection', list(id ORDER BY date)) AS evidence
FROM inspection_says($pattern)
GROUP BY employer
