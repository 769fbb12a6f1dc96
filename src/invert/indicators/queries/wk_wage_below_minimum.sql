-- Effective hourly pay per payslip against the minimum for the worker's age on the period start.
-- Any pay below the minimum (beyond the tolerance) breaks the law, so a hit starts at 0.4 and
-- reaches full strength when pay is 30% short.
WITH slips AS (
    SELECT w.id, w.employee, w.periodStart AS day, w.gross,
           coalesce(w.hoursWorked, w.hoursPaid) AS hours, p.birthDate
    FROM wage_payment w JOIN person p ON p.id = w.employee
    WHERE w.gross IS NOT NULL AND coalesce(w.hoursWorked, w.hoursPaid) > 0
      AND p.birthDate IS NOT NULL AND w.periodStart IS NOT NULL),
rated AS (
    SELECT s.*, s.gross / s.hours AS effective, m.rate
    FROM slips s JOIN minimum_wage_at_age m
      ON m.country = $country AND m.age = age_on(s.birthDate, s.day)
    WHERE s.day >= m.valid_from AND s.day < m.valid_to),
underpaid AS (  -- counted first: the payslips are listed for these workers only
    SELECT employee FROM rated
    GROUP BY employee HAVING bool_or(effective < rate * (1 - $tolerance)))
SELECT employee AS subject_id,
       0.4 + (1 - min(effective / rate)) * 2 AS strength,
       printf('effective pay %.2f €/h vs minimum %.2f €/h in %d of %d payslips',
              arg_min(effective, (effective / rate, day)), arg_min(rate, (effective / rate, day)),
              count(*) FILTER (WHERE effective < rate * (1 - $tolerance)), count(*)) AS value,
       rows_of('wage_payment', list(id ORDER BY day, id)
           FILTER (WHERE effective < rate * (1 - $tolerance))) AS evidence
FROM rated SEMI JOIN underpaid USING (employee)
GROUP BY employee
