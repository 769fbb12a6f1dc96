-- Lifespan from incorporation to dissolution.
SELECT id AS subject_id,
       1 - (dissolutionDate - incorporationDate) / ($months * 30.44) / 2 AS strength,
       printf('dissolved %s, %d months after incorporation on %s', dissolutionDate,
              date_diff('month', incorporationDate, dissolutionDate), incorporationDate) AS value,
       [{'tbl': 'company', 'id': id}] AS evidence
FROM company
WHERE dissolutionDate IS NOT NULL AND incorporationDate IS NOT NULL
  AND dissolutionDate - incorporationDate < $months * 30.44
