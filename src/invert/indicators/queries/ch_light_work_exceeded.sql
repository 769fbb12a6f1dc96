-- Weekly hours of 12-14 year olds from their payslips.
WITH weeks AS (
    SELECT w.id, w.employee, w.periodStart,
           coalesce(w.hoursWorked, w.hoursPaid)
           / ((coalesce(w.periodEnd, last_day(w.periodStart)) - w.periodStart + 1) / 7.0)
           AS weekly,
           age_on(p.birthDate, w.periodStart) AS age
    FROM wage_payment w JOIN person p ON p.id = w.employee
    WHERE p.birthDate IS NOT NULL AND w.periodStart IS NOT NULL)
SELECT employee AS subject_id, 0.7 + (max(weekly) - $weekly_hours) / 40 AS strength,
       printf('aged %d, up to %.0f hours a week', min(age), max(weekly)) AS value,
       list({'tbl': 'wage_payment', 'id': id} ORDER BY periodStart) AS evidence
FROM weeks
WHERE age BETWEEN 12 AND 14 AND weekly >= $weekly_hours
GROUP BY employee
