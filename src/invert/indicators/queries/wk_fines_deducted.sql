-- Payslips with a deduction labelled as a fine, penalty or damage charge (discipline through pay).
SELECT employee AS subject_id, 0.6 + (count(*) - $min_periods) / 6 AS strength,
       printf('%d payslip(s) deduct %s (%.2f in deductions)', count(*),
              array_to_string(list_sort(list_distinct(flatten(list(list_filter(deductionType,
                  x -> regexp_matches(lower(x), $pattern)))))), ', '),
              coalesce(sum(deductions), 0)) AS value,
       list_transform(list_sort(list({'day': periodStart, 'id': id})),
                      x -> {'tbl': 'wage_payment', 'id': x.id}) AS evidence
FROM wage_payment
WHERE employee IS NOT NULL
  AND array_length(list_filter(deductionType, x -> regexp_matches(lower(x), $pattern))) > 0
GROUP BY employee
HAVING count(*) >= $min_periods
