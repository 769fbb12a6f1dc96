-- Inspections with findings other than "nothing found", in the window before the latest one.
WITH found AS (
    SELECT id, employer, date,
           list_filter(findings, x -> NOT regexp_matches(lower(x), $clean)) AS breaches
    FROM inspection WHERE employer IS NOT NULL),
latest AS (SELECT max(date) AS day FROM inspection)
SELECT employer AS subject_id, 0.4 + 0.2 * sum(array_length(breaches)) AS strength,
       printf('%d inspection(s) with findings: %s', count(*),
              array_to_string(list_sort(list_distinct(flatten(list(breaches)))), ', ')) AS value,
       rows_of('inspection', list(id ORDER BY date)) AS evidence
FROM found, latest
WHERE array_length(breaches) > 0 AND date >= latest.day - INTERVAL ($months) MONTH
GROUP BY employer
