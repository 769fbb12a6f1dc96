-- Age on the first day of each paid period or employment spell, below the age from which
-- national law may allow light work (ILO C138 art. 7): any work at that age is child labour.
-- Children between that age and the general minimum age may do light work; work beyond it is
-- flagged by ch_light_work_exceeded and hazardous work by ch_hazardous_sector_or_night.
WITH work AS (
    SELECT w.employee AS person, w.periodStart AS day, 'wage_payment' AS tbl, w.id
    FROM wage_payment w WHERE w.periodStart IS NOT NULL
    UNION ALL
    SELECT e.employee, e.startDate, 'employment', e.id FROM employment e
    WHERE e.startDate IS NOT NULL)
SELECT w.person AS subject_id, 1.0 AS strength,
       printf('aged %d when working (%s); light work is allowed from %d, other work from %d',
              min(age_on(p.birthDate, w.day)), min(w.day), $light_work_age, $minimum_age)
       AS value,
       list_sort(list({'tbl': w.tbl, 'id': w.id})) AS evidence
FROM work w JOIN person p ON p.id = w.person
WHERE p.birthDate IS NOT NULL AND age_on(p.birthDate, w.day) < $light_work_age
GROUP BY w.person
