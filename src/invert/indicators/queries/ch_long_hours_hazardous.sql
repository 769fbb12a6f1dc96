-- Usual weekly hours of 15-17 year olds: all their hours over all their paid days.
SELECT employee AS subject_id, 0.6 + (weekly - $weekly_hours) / 20 AS strength,
       printf('aged %d, %.1f hours a week on average over %d pay periods (up to %.0f)',
              age, weekly, periods, peak) AS value,
       rows_of('wage_payment', ids) AS evidence
FROM usual_hours(15, 17)
WHERE weekly >= $weekly_hours
