-- Workers found on site but not registered, per inspection.
SELECT employer AS subject_id,
       max(workersUndeclared / greatest(workersObserved, workersUndeclared, 1))
           / (2 * $strong_share) + 0.25 AS strength,
       printf('%d undeclared of %d workers found (%s)', max(workersUndeclared),
              max(workersObserved), max(date)) AS value,
       rows_of('inspection', list(id ORDER BY date)) AS evidence
FROM inspection
WHERE employer IS NOT NULL AND workersUndeclared > 0
GROUP BY employer
