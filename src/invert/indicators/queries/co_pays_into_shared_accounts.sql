-- Accounts receiving several workers' wages from one employer. An account held by a company
-- (a legal form in the holder's name, or a registered company's name: a pay-card or
-- client-money account) counts at a fraction of the strength. Counts come first;
-- evidence is gathered for the qualifying employers only (memory on millions of payslips).
WITH slips AS (  -- payslips cut down to their distinct employer, account, worker and holder
    SELECT w.employer, w.iban, w.employee AS worker,
           is_legal_person(w.ibanHolder_key) OR r.name_key IS NOT NULL AS corporate
    FROM wage_payment w LEFT JOIN registered_name r ON r.name_key = w.ibanHolder_key
    WHERE w.employer IS NOT NULL AND w.iban IS NOT NULL GROUP BY ALL),
shared AS (
    SELECT employer, iban, count(DISTINCT worker) AS workers, bool_and(corporate) AS corporate
    FROM slips GROUP BY employer, iban HAVING count(DISTINCT worker) >= $min_workers),
evidence AS (
    SELECT w.employer, rows_of('wage_payment', list(w.id)) AS evidence
    FROM wage_payment w JOIN shared h ON h.employer = w.employer AND h.iban = w.iban
    GROUP BY w.employer)
SELECT h.employer AS subject_id,
       least(1, 0.5 + sum(h.workers) / 10)
       * CASE WHEN bool_and(h.corporate) THEN $corporate_factor ELSE 1 END AS strength,
       printf('pays %d workers into %d shared account(s)%s', sum(h.workers), count(*),
              CASE WHEN bool_and(h.corporate)
                   THEN ' held by a company (pay-card or client-money account?)' ELSE '' END)
       AS value,
       any_value(e.evidence) AS evidence
FROM shared h JOIN evidence e USING (employer)
GROUP BY h.employer
