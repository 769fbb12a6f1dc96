-- Accounts named on the payslips of several different workers.
WITH slips AS (
    SELECT w.id, w.iban, coalesce(p.taxNumber, p.name_key) AS worker
    FROM wage_payment w JOIN person p ON p.id = w.employee WHERE w.iban IS NOT NULL),
shared AS (
    SELECT iban, count(DISTINCT worker) AS workers,
           list({'tbl': 'wage_payment', 'id': id}) AS evidence
    FROM slips GROUP BY iban HAVING count(DISTINCT worker) >= $min_workers)
SELECT a.id AS subject_id, 0.5 + (s.workers - $min_workers) / 8 AS strength,
       printf('%s receives the wages of %d workers', s.iban, s.workers) AS value,
       s.evidence
FROM shared s JOIN (SELECT DISTINCT id, iban FROM bank_account) a ON a.iban = s.iban
