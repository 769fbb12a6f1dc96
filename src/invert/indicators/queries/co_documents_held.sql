-- Inspection findings or summaries saying the employer or its agent holds the workers' passports,
-- identity cards or permits (ILO indicator: retention of identity documents); copies that
-- employers must keep on file do not count.
WITH said AS (
    SELECT id, employer, date,
           list_filter(list_transform(coalesce(findings, []) || [summary],
                                      x -> regexp_extract(x, '.{0,25}(?:' || $pattern || ')', 0,
                                                          'i')),
                       x -> x <> '' AND NOT regexp_matches(x, $copies, 'i')) AS matched
    FROM inspection WHERE employer IS NOT NULL)
SELECT employer AS subject_id, 0.8 + 0.2 * count(*) AS strength,
       printf('%d inspection(s) found identity documents held: %s (last on %s)', count(*),
              array_to_string(list_sort(list_distinct(flatten(list(matched)))), '; '),
              max(date)) AS value,
       rows_of('inspection', list(id ORDER BY date)) AS evidence
FROM said
WHERE array_length(matched) > 0
GROUP BY employer
