-- Minors (under 18) paid or employed by a company in a hazardous sector, or by an employer whose
-- inspection near their working time found minors working at night (ILO C182 hazardous work).
WITH work AS (
    SELECT employee AS person, employer, periodStart AS day_from,
           coalesce(periodEnd, last_day(periodStart)) AS day_to, 'wage_payment' AS tbl, id
    FROM wage_payment WHERE employer IS NOT NULL AND periodStart IS NOT NULL
    UNION ALL
    SELECT employee, employer, startDate, coalesce(endDate, DATE '9999-12-31'), 'employment', id
    FROM employment WHERE employer IS NOT NULL AND startDate IS NOT NULL),
ppl AS (  -- people young enough to have been minors at some start (a year's slack): few
    SELECT id, max(birthDate) AS birthDate FROM person GROUP BY id
    HAVING max(birthDate) > least((SELECT min(periodStart) FROM wage_payment),
                                       (SELECT min(startDate) FROM employment))
                                 - INTERVAL 19 YEAR),
minors AS (
    SELECT w.*, p.birthDate, age_on(p.birthDate, w.day_from) AS age
    FROM work w JOIN ppl p ON p.id = w.person
    WHERE age_on(p.birthDate, w.day_from) < 18),
co AS (
    SELECT id, min(name) AS name,
           regexp_replace(upper(any_value(sector)), '[^A-Z0-9.]', '', 'g') AS code
    FROM company GROUP BY id),
coded AS (SELECT *, nace(code) AS nace FROM co),
night AS (
    SELECT id, employer, date,
           list_filter(coalesce(findings, []), x -> regexp_matches(x, $night, 'i'))
           || CASE WHEN regexp_matches(summary, $night, 'i')
                   THEN [regexp_extract(summary, $night, 0, 'i')] ELSE [] END AS matched
    FROM inspection WHERE employer IS NOT NULL AND date IS NOT NULL),
found AS (
    SELECT m.person, 0.5 AS strength, m.day_from AS day,
           printf('aged %d, working for %s in sector %s (from %s)', m.age,
                  coalesce(c.name, c.id), c.nace, m.day_from) AS value,
           [{'tbl': m.tbl, 'id': m.id}, {'tbl': 'company', 'id': c.id}] AS rows
    FROM minors m JOIN coded c ON c.id = m.employer
    WHERE regexp_matches(c.nace, $sectors)
    UNION ALL
    SELECT m.person, 1.0, n.date,
           printf('aged %d when an inspection of the employer on %s found: %s',
                  age_on(m.birthDate, n.date), n.date, array_to_string(n.matched, '; ')),
           [{'tbl': m.tbl, 'id': m.id}, {'tbl': 'inspection', 'id': n.id}]
    FROM minors m JOIN night n ON n.employer = m.employer
    WHERE array_length(n.matched) > 0 AND age_on(m.birthDate, n.date) < 18
      AND n.date BETWEEN m.day_from - INTERVAL 92 DAY AND m.day_to + INTERVAL 92 DAY)
SELECT person AS subject_id, max(strength) AS strength,
       arg_max(value, (strength, day)) AS value,
       list_distinct(flatten(list(rows ORDER BY day))) AS evidence
FROM found
GROUP BY person
