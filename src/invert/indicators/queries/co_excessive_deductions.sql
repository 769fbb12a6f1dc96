-- Workers whose deductions exceed a share of gross pay, per employer.
SELECT employer AS subject_id, 0.5 + count(DISTINCT employee) / 20 AS strength,
       printf('%d workers lose more than %.0f%% of gross pay to deductions (%s)',
              count(DISTINCT employee), 100 * $share,
              array_to_string(list_sort(list_distinct(flatten(list(coalesce(deductionType, []))))), ', '))
       AS value,
       rows_of('wage_payment', list(id)) AS evidence
FROM wage_payment
WHERE employer IS NOT NULL AND gross > 0 AND deductions / gross > $share
GROUP BY employer
HAVING count(DISTINCT employee) >= $min_workers
