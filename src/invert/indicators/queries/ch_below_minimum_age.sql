-- Age on the first day of each paid period or employment spell.
WITH work AS (
    SELECT w.employee AS person, w.periodStart AS day, 'wage_payment' AS tbl, w.id
    FROM wage_payment w WHERE w.periodStart IS NOT NULL
    UNION ALL
    SELECT e.employee, e.startDate, 'employment', e.id FROM employment e
    WHERE e.startDate IS NOT NULL)
SELECT w.person AS subject_id, 1.0 AS strength,
       printf('aged %d when working (%s)', min(age_on(p.birthDate, w.day)), min(w.day))
       AS value,
       list({'tbl': w.tbl, 'id': w.id} ORDER BY w.day) AS evidence
FROM work w JOIN person p ON p.id = w.person
WHERE p.birthDate IS NOT NULL AND age_on(p.birthDate, w.day) < $minimum_age
GROUP BY w.person
