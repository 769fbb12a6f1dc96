-- Workers with recorded hours above paid hours, per employer.
SELECT employer AS subject_id,
       0.4 + count(DISTINCT employee) / 20 AS strength,
       printf('%d workers with more hours worked than paid (%.0f vs %.0f hours)',
              count(DISTINCT employee), sum(hoursWorked), sum(hoursPaid)) AS value,
       rows_of('wage_payment', list(id ORDER BY periodStart)) AS evidence
FROM wage_payment
WHERE employer IS NOT NULL AND hoursPaid > 0 AND hoursWorked > hoursPaid * (1 + $tolerance)
GROUP BY employer
HAVING count(DISTINCT employee) >= $min_workers
