-- Accounts named on the payslips of several different workers. An account held by a company
-- (a legal form in the holder's name, or a registered company's name: a pay-card or
-- client-money account) counts at a fraction of the strength. Counts come first;
-- evidence is gathered for the qualifying accounts only (memory on millions of payslips).
WITH slips AS (  -- payslips cut down to their distinct account, worker and holder first
    SELECT w.iban, w.employee AS worker,
           is_legal_person(w.ibanHolder_key) OR r.name_key IS NOT NULL AS corporate
    FROM wage_payment w LEFT JOIN registered_name r ON r.name_key = w.ibanHolder_key
    WHERE w.iban IS NOT NULL GROUP BY ALL),
shared AS (
    SELECT iban, count(DISTINCT worker) AS workers, bool_and(corporate) AS corporate
    FROM slips GROUP BY iban HAVING count(DISTINCT worker) >= $min_workers),
evidence AS (
    SELECT iban, rows_of('wage_payment', list(id)) AS evidence
    FROM wage_payment WHERE iban IN (SELECT iban FROM shared) GROUP BY iban)
SELECT a.id AS subject_id,
       least(1, 0.5 + (s.workers - $min_workers) / 8)
       * CASE WHEN s.corporate THEN $corporate_factor ELSE 1 END AS strength,
       printf('%s receives the wages of %d workers%s', s.iban, s.workers,
              CASE WHEN s.corporate THEN ' (held by a company: pay-card or client-money account?)'
                   ELSE '' END) AS value,
       e.evidence
FROM shared s JOIN evidence e USING (iban)
JOIN (SELECT DISTINCT id, iban FROM bank_account) a ON a.iban = s.iban
