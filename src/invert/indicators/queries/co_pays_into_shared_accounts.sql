-- Accounts receiving several workers' wages from one employer.
WITH slips AS (
    SELECT w.id, w.employer, w.iban, coalesce(p.taxNumber, p.name_key) AS worker
    FROM wage_payment w JOIN person p ON p.id = w.employee
    WHERE w.employer IS NOT NULL AND w.iban IS NOT NULL),
shared AS (
    SELECT employer, iban, count(DISTINCT worker) AS workers, list(id) AS ids
    FROM slips GROUP BY employer, iban HAVING count(DISTINCT worker) >= $min_workers)
SELECT employer AS subject_id, 0.5 + sum(workers) / 10 AS strength,
       printf('pays %d workers into %d shared account(s)', sum(workers), count(*)) AS value,
       flatten(list(list_transform(ids, x -> {'tbl': 'wage_payment', 'id': x}))) AS evidence
FROM shared
GROUP BY employer
