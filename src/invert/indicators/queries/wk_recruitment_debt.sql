-- Deductions labelled as advances, loans, fees or travel costs, in several pay periods.
SELECT employee AS subject_id,
       count(*) / ($min_periods * 3.0) + 0.5 AS strength,
       printf('%d payslips deduct %s (%.2f in total)', count(*),
              array_to_string(list_sort(list_distinct(flatten(list(list_filter(deductionType,
                  x -> regexp_matches(lower(x), $pattern)))))), ', '),
              sum(deductions)) AS value,
       rows_of('wage_payment', list(id ORDER BY periodStart)) AS evidence
FROM wage_payment
WHERE array_length(list_filter(deductionType, x -> regexp_matches(lower(x), $pattern))) > 0
GROUP BY employee
HAVING count(*) >= $min_periods
