-- Pay periods holding more hours than fit around the EU minimum rest (Directive 2003/88/EC, 11 h
-- daily and 24 h weekly rest), so the rest cannot have been taken.
WITH slips AS (
    SELECT id, employee, employer, periodStart, coalesce(periodEnd, last_day(periodStart)) AS pe,
           coalesce(hoursWorked, hoursPaid) AS hours
    FROM wage_payment
    WHERE employee IS NOT NULL AND periodStart IS NOT NULL
      AND coalesce(periodEnd, last_day(periodStart)) >= periodStart
      AND coalesce(hoursWorked, hoursPaid) > 0),
limits AS (  -- the most hours a period can hold; a first cut before duplicates go. 11 h daily
             -- rest leaves 13 h a day and 24 h weekly rest 6 working days in 7: 6 x 13 = 78 h
             -- per whole week, plus 13 h for each remaining day (6 at most).
    SELECT *, CAST((24 - $daily_rest) * ($work_days_per_week * (days // 7)
                                         + least(days % 7, $work_days_per_week)) AS DOUBLE) AS most
    FROM (SELECT employee, periodStart, pe, pe - periodStart + 1 AS days, sum(hours) AS hours
          FROM slips GROUP BY employee, periodStart, pe)
    WHERE hours > (24 - $daily_rest) * ($work_days_per_week * (days // 7)
                                        + least(days % 7, $work_days_per_week))),
unique_slips AS (  -- one payslip per employer and period, however many sources list it
    SELECT employee, employer, periodStart, pe, hours, min(id) AS id
    FROM slips SEMI JOIN limits USING (employee, periodStart, pe)
    GROUP BY ALL),
judged AS (  -- concurrent jobs in the same period add up
    SELECT u.employee, u.periodStart, l.days, l.most, sum(u.hours) AS hours, list(u.id) AS ids
    FROM unique_slips u JOIN limits l USING (employee, periodStart, pe)
    GROUP BY u.employee, u.periodStart, u.pe, l.days, l.most)
SELECT employee AS subject_id,
       0.6 + (max(hours / most) - 1) * 4 AS strength,
       printf('%.0f hours in the %d days from %s (%.1f h/week), more than the %.0f h that leave '
              || '%g h daily and a weekly day of rest; %d pay period(s) like this',
              arg_max(hours, hours / most), arg_max(days, hours / most),
              arg_max(periodStart, hours / most), 7 * arg_max(hours / days, hours / most),
              arg_max(most, hours / most), CAST($daily_rest AS DOUBLE), count(*)) AS value,
       list_transform(list_sort(flatten(list(ids))), x -> {'tbl': 'wage_payment', 'id': x})
           AS evidence
FROM judged
WHERE hours > most
GROUP BY employee
