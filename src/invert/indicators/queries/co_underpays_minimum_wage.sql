-- Payslips below the minimum for the worker's age, per employer (the rate quoted is the highest
-- one applying at the lowest pay, so that ties between payslips resolve the same every run).
WITH slips AS (
    SELECT w.id, w.employer, w.employee, w.periodStart AS day,
           w.gross / coalesce(w.hoursWorked, w.hoursPaid) AS effective,
           age_on(p.birthDate, w.periodStart) AS age
    FROM wage_payment w JOIN person p ON p.id = w.employee
    WHERE w.employer IS NOT NULL AND coalesce(w.hoursWorked, w.hoursPaid) > 0),
rated AS (  -- the rate by an equi-join on the worker's age (see minimum_wage_at_age)
    SELECT s.id, s.employer, s.employee, s.effective, m.rate
    FROM slips s JOIN minimum_wage_at_age m ON m.country = $country AND m.age = s.age
    WHERE s.day >= m.valid_from AND s.day < m.valid_to)
SELECT employer AS subject_id, 0.5 + count(DISTINCT employee) / 10 AS strength,
       printf('%d workers paid below the minimum (as low as %.2f €/h against %.2f €/h)',
              count(DISTINCT employee), min(effective), arg_min(rate, (effective, -rate))) AS value,
       rows_of('wage_payment', list(id)) AS evidence
FROM rated
WHERE effective < rate * (1 - $tolerance)
GROUP BY employer
HAVING count(DISTINCT employee) >= $min_workers
