-- Usual weekly hours of 15-17 year olds: all their hours over all their paid days.
WITH usual AS (
    SELECT employee, sum(hours) / sum(days) * 7 AS weekly, max(hours / days * 7) AS peak,
           min(age) AS age, count(*) AS periods, flatten(list(ids ORDER BY periodStart)) AS ids
    FROM payslip_week
    WHERE age BETWEEN 15 AND 17
    GROUP BY employee)
SELECT employee AS subject_id, 0.6 + (weekly - $weekly_hours) / 20 AS strength,
       printf('aged %d, %.1f hours a week on average over %d pay periods (up to %.0f)',
              age, weekly, periods, peak) AS value,
       rows_of('wage_payment', ids) AS evidence
FROM usual
WHERE weekly >= $weekly_hours
