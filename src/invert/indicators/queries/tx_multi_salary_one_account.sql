-- Accounts named on the payslips of several different workers. An account held by a company
-- (pay-card or client-money account) counts at a fraction of the strength.
WITH slips AS (
    SELECT w.id, w.iban, coalesce(p.taxNumber, p.name_key) AS worker,
           is_legal_person(w.ibanHolder_key) AS corporate
    FROM wage_payment w JOIN person p ON p.id = w.employee WHERE w.iban IS NOT NULL),
shared AS (
    SELECT iban, count(DISTINCT worker) AS workers, bool_and(corporate) AS corporate,
           list({'tbl': 'wage_payment', 'id': id}) AS evidence
    FROM slips GROUP BY iban HAVING count(DISTINCT worker) >= $min_workers)
SELECT a.id AS subject_id,
       least(1, 0.5 + (s.workers - $min_workers) / 8)
       * CASE WHEN s.corporate THEN $corporate_factor ELSE 1 END AS strength,
       printf('%s receives the wages of %d workers%s', s.iban, s.workers,
              CASE WHEN s.corporate THEN ' (held by a company: pay-card or client-money account?)'
                   ELSE '' END) AS value,
       s.evidence
FROM shared s JOIN (SELECT DISTINCT id, iban FROM bank_account) a ON a.iban = s.iban
