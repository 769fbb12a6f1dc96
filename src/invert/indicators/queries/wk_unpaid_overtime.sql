-- Hours worked beyond hours paid, per payslip.
SELECT employee AS subject_id,
       0.4 + count(*) / 10 + avg(hoursWorked / hoursPaid - 1) AS strength,
       printf('%d payslips with %.0f hours worked against %.0f paid', count(*),
              sum(hoursWorked), sum(hoursPaid)) AS value,
       rows_of('wage_payment', list(id ORDER BY periodStart)) AS evidence
FROM wage_payment
WHERE hoursPaid > 0 AND hoursWorked > hoursPaid * (1 + $tolerance)
GROUP BY employee
HAVING count(*) >= $min_periods
