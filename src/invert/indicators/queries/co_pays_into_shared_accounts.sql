-- Accounts receiving several workers' wages from one employer. An account held by a company
-- (pay-card or client-money account) counts at a fraction of the strength.
WITH slips AS (
    SELECT w.id, w.employer, w.iban, coalesce(p.taxNumber, p.name_key) AS worker,
           is_legal_person(w.ibanHolder_key) AS corporate
    FROM wage_payment w JOIN person p ON p.id = w.employee
    WHERE w.employer IS NOT NULL AND w.iban IS NOT NULL),
shared AS (
    SELECT employer, iban, count(DISTINCT worker) AS workers, bool_and(corporate) AS corporate,
           list(id) AS ids
    FROM slips GROUP BY employer, iban HAVING count(DISTINCT worker) >= $min_workers)
SELECT employer AS subject_id,
       least(1, 0.5 + sum(workers) / 10)
       * CASE WHEN bool_and(corporate) THEN $corporate_factor ELSE 1 END AS strength,
       printf('pays %d workers into %d shared account(s)%s', sum(workers), count(*),
              CASE WHEN bool_and(corporate)
                   THEN ' held by a company (pay-card or client-money account?)' ELSE '' END)
       AS value,
       flatten(list(list_transform(ids, x -> {'tbl': 'wage_payment', 'id': x}))) AS evidence
FROM shared
GROUP BY employer
