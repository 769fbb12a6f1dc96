-- Inspections finding equipment made or adapted for children, or children at work on site;
-- flagged for the minors on record at that employer or site around the inspection date.
WITH ppl AS (
    SELECT id, max(birthDate) AS birthDate FROM person GROUP BY id
    HAVING max(birthDate) IS NOT NULL),
seen AS (
    SELECT id, employer, site_key, date,
           list_filter(coalesce(findings, []), x -> regexp_matches(x, $pattern, 'i'))
           || CASE WHEN regexp_matches(summary, $pattern, 'i')
                   THEN [regexp_extract(summary, $pattern, 0, 'i')] ELSE [] END AS matched
    FROM inspection WHERE date IS NOT NULL),
work AS (  -- who worked for whom and where, and when
    SELECT employee AS person, employer, NULL AS site_key, periodStart AS day_from,
           coalesce(periodEnd, last_day(periodStart)) AS day_to, 'wage_payment' AS tbl, id
    FROM wage_payment WHERE periodStart IS NOT NULL
    UNION ALL
    SELECT employee, employer, site_key, startDate, coalesce(endDate, DATE '9999-12-31'),
           'employment', id
    FROM employment WHERE startDate IS NOT NULL),
linked AS (  -- the same employer, or the same work site
    SELECT w.*, s.id AS inspection, s.date, s.matched FROM work w
    JOIN seen s ON s.employer = w.employer WHERE array_length(s.matched) > 0
    UNION ALL
    SELECT w.*, s.id, s.date, s.matched FROM work w
    JOIN seen s ON s.site_key = w.site_key WHERE array_length(s.matched) > 0)
SELECT l.person AS subject_id, 1.0 AS strength,
       printf('aged %d when an inspection on %s found: %s', age_on(p.birthDate, max(l.date)),
              max(l.date), array_to_string(arg_max(l.matched, l.date), '; ')) AS value,
       list_distinct(rows_of('inspection', list(l.inspection))
                     || list({'tbl': l.tbl, 'id': l.id})) AS evidence
FROM linked l JOIN ppl p ON p.id = l.person
WHERE age_on(p.birthDate, l.date) < 18
  AND l.date BETWEEN l.day_from - INTERVAL 92 DAY AND l.day_to + INTERVAL 92 DAY
GROUP BY l.person, p.birthDate
