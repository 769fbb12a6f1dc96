-- Weekly hours from payslips (worked, else paid) averaged over a rolling reference period (EU
-- Working Time Directive: 48 h over up to 17 weeks), and pay periods at a severe weekly rate.
WITH slips AS (
    SELECT id, employee, employer, periodStart, coalesce(periodEnd, last_day(periodStart)) AS pe,
           coalesce(hoursWorked, hoursPaid) AS hours
    FROM wage_payment
    WHERE employee IS NOT NULL AND periodStart IS NOT NULL
      AND coalesce(periodEnd, last_day(periodStart)) >= periodStart
      AND coalesce(hoursWorked, hoursPaid) > 0),
busy AS (  -- a cheap first cut: workers with a period above a limit even before duplicates go
    SELECT employee
    FROM (SELECT employee, periodStart, pe, sum(hours) AS hours FROM slips
          GROUP BY employee, periodStart, pe)
    GROUP BY employee
    HAVING max(7 * hours / (pe - periodStart + 1)) > least($max_average, $severe_weekly)),
unique_slips AS (  -- one payslip per employer and period, however many sources list it
    SELECT employee, employer, periodStart, pe, hours, min(id) AS id
    FROM slips SEMI JOIN busy USING (employee)
    GROUP BY ALL),
periods AS (  -- concurrent jobs in the same period add up
    SELECT employee, periodStart, pe, pe - periodStart + 1 AS days, sum(hours) AS hours
    FROM unique_slips GROUP BY employee, periodStart, pe),
rolling AS (
    SELECT *, 7 * hours / days AS weekly,
           sum(hours) OVER w AS window_hours, sum(days) OVER w AS window_days,
           sum(days) OVER (PARTITION BY employee) AS all_days
    FROM periods
    WINDOW w AS (PARTITION BY employee ORDER BY periodStart
                 RANGE BETWEEN to_days(CAST($reference_weeks * 7 - 1 AS INTEGER)) PRECEDING
                           AND CURRENT ROW)),
averaged AS (
    -- over the whole reference period, or the whole record when it is shorter; weeks without a
    -- payslip inside a reference period count as not worked
    SELECT *, greatest(window_days, least($reference_weeks * 7, all_days)) AS span,
           7 * window_hours / greatest(window_days, least($reference_weeks * 7, all_days))
               AS average
    FROM rolling),
worker AS (
    -- the worst reference period and pay period; among equal ones, the latest
    SELECT employee, max(average) AS average,
           arg_max(span, (average, periodStart, pe)) AS span,
           arg_max(periodStart, (average, periodStart, pe)) AS anchor,
           arg_max(pe, (average, periodStart, pe)) AS until,
           max(weekly) AS weekly, arg_max(periodStart, (weekly, periodStart, pe)) AS worst_start,
           list({'start': periodStart, 'end': pe}) FILTER (WHERE weekly > $severe_weekly)
               AS severe
    FROM averaged GROUP BY employee
    HAVING max(average) > $max_average OR max(weekly) > $severe_weekly),
proof AS (  -- the payslips of the worst reference period and of the severe pay periods
    SELECT w.employee, list(DISTINCT s.id) AS ids
    FROM worker w JOIN unique_slips s ON s.employee = w.employee
    WHERE (w.average > $max_average AND s.periodStart <= w.anchor
           AND s.periodStart >= w.anchor - to_days(CAST($reference_weeks * 7 - 1 AS INTEGER)))
       OR list_contains(w.severe, {'start': s.periodStart, 'end': s.pe})
    GROUP BY w.employee)
SELECT w.employee AS subject_id,
       greatest(CASE WHEN average > $max_average THEN 0.5 + (average - $max_average) / 24 END,
                CASE WHEN weekly > $severe_weekly THEN 0.7 + (weekly - $severe_weekly) / 40 END)
           AS strength,
       printf('%.1f h/week on average over %.0f weeks to %s; up to %.1f h/week in the pay '
              || 'period from %s', average, span / 7, until, weekly, worst_start) AS value,
       list_transform(list_sort(p.ids), x -> {'tbl': 'wage_payment', 'id': x}) AS evidence
FROM worker w JOIN proof p ON p.employee = w.employee
