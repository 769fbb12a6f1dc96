-- Accounts named on the payslips of several different workers. An account held by a company
-- (pay-card or client-money account) counts at a fraction of the strength. Counts come first;
-- evidence is gathered for the qualifying accounts only (memory on millions of payslips).
WITH pairs AS (  -- payslips cut down to their distinct account, worker and holder first
    SELECT iban, employee, ibanHolder_key FROM wage_payment WHERE iban IS NOT NULL GROUP BY ALL),
slips AS (
    SELECT w.iban, coalesce(p.taxNumber, p.name_key) AS worker,
           is_legal_person(w.ibanHolder_key) AS corporate
    FROM pairs w JOIN person p ON p.id = w.employee),
shared AS (
    SELECT iban, count(DISTINCT worker) AS workers, bool_and(corporate) AS corporate
    FROM slips GROUP BY iban HAVING count(DISTINCT worker) >= $min_workers),
evidence AS (  -- each payslip once per person record of its worker, as the counts saw it
    SELECT w.iban, rows_of('wage_payment', list(w.id)) AS evidence
    FROM wage_payment w JOIN person p ON p.id = w.employee
    WHERE w.iban IN (SELECT iban FROM shared) GROUP BY w.iban)
SELECT a.id AS subject_id,
       least(1, 0.5 + (s.workers - $min_workers) / 8)
       * CASE WHEN s.corporate THEN $corporate_factor ELSE 1 END AS strength,
       printf('%s receives the wages of %d workers%s', s.iban, s.workers,
              CASE WHEN s.corporate THEN ' (held by a company: pay-card or client-money account?)'
                   ELSE '' END) AS value,
       e.evidence
FROM shared s JOIN evidence e USING (iban)
JOIN (SELECT DISTINCT id, iban FROM bank_account) a ON a.iban = s.iban
