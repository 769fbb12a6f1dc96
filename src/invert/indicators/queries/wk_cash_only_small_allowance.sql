-- Payslips paid in cash.
SELECT employee AS subject_id, 0.5 + count(*) / 12 AS strength,
       printf('%d payslips paid in cash (%.2f in total)', count(*), sum(net)) AS value,
       rows_of('wage_payment', list(id ORDER BY periodStart)) AS evidence
FROM wage_payment
WHERE regexp_matches(lower(payMethod), $cash)
GROUP BY employee
HAVING count(*) >= $min_periods
