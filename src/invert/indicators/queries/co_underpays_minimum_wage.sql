-- Payslips below the minimum for the worker's age, per employer.
WITH rated AS (
    SELECT w.id, w.employer, w.employee, w.gross / coalesce(w.hoursWorked, w.hoursPaid)
           AS effective, m.rate
    FROM wage_payment w JOIN person p ON p.id = w.employee
    JOIN minimum_wage m
      ON m.country = $country AND w.periodStart >= m.valid_from AND w.periodStart < m.valid_to
     AND age_on(p.birthDate, w.periodStart) >= m.age_from
     AND age_on(p.birthDate, w.periodStart) < m.age_to
    WHERE w.employer IS NOT NULL AND coalesce(w.hoursWorked, w.hoursPaid) > 0)
SELECT employer AS subject_id, 0.5 + count(DISTINCT employee) / 10 AS strength,
       printf('%d workers paid below the minimum (as low as %.2f €/h against %.2f €/h)',
              count(DISTINCT employee), min(effective), arg_min(rate, effective)) AS value,
       list({'tbl': 'wage_payment', 'id': id}) AS evidence
FROM rated
WHERE effective < rate * (1 - $tolerance)
GROUP BY employer
HAVING count(DISTINCT employee) >= $min_workers
