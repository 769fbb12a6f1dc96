-- Usual weekly hours of 12-14 year olds: all their hours over all their paid days.
SELECT employee AS subject_id, 0.7 + (weekly - $weekly_hours) / 40 AS strength,
       printf('aged %d, %.1f hours a week on average over %d pay periods (up to %.0f)',
              age, weekly, periods, peak) AS value,
       rows_of('wage_payment', ids) AS evidence
FROM usual_hours(12, 14)
WHERE weekly >= $weekly_hours
