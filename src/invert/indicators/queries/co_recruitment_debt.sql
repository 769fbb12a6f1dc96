-- Workers repaying advances, loans or fees through payroll deductions, per employer.
SELECT employer AS subject_id, 0.5 + count(DISTINCT employee) / 20 AS strength,
       printf('deducts %s from %d workers',
              array_to_string(list_sort(list_distinct(flatten(list(list_filter(deductionType,
                  x -> regexp_matches(lower(x), $pattern)))))), ', '),
              count(DISTINCT employee)) AS value,
       rows_of('wage_payment', list(id)) AS evidence
FROM wage_payment
WHERE employer IS NOT NULL
  AND array_length(list_filter(deductionType, x -> regexp_matches(lower(x), $pattern))) > 0
GROUP BY employer
HAVING count(DISTINCT employee) >= $min_workers
