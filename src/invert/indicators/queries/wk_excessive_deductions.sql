-- Deductions as a share of gross pay, per payslip; the worst payslip measures the hit.
SELECT employee AS subject_id,
       max(deductions / gross) / ($share * 2) AS strength,
       printf('deductions up to %.0f%% of gross pay (%s) in %d payslips',
              100 * max(deductions / gross),
              array_to_string(list_sort(list_distinct(flatten(list(coalesce(deductionType, []))))), ', '),
              count(*)) AS value,
       rows_of('wage_payment', list(id ORDER BY periodStart)) AS evidence
FROM wage_payment
WHERE gross > 0 AND deductions / gross > $share
GROUP BY employee
