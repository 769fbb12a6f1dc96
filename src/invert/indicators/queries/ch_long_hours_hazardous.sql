-- Weekly hours of 15-17 year olds from their payslips.
SELECT employee AS subject_id, 0.6 + (max(weekly) - $weekly_hours) / 20 AS strength,
       printf('aged %d, up to %.0f hours a week', min(age), max(weekly)) AS value,
       rows_of('wage_payment', list(id ORDER BY periodStart)) AS evidence
FROM payslip_week
WHERE age BETWEEN 15 AND 17 AND weekly >= $weekly_hours
GROUP BY employee
