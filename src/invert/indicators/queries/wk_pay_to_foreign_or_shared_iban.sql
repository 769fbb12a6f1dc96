-- Accounts on payslips: shared by several workers, or held in a name sharing nothing with the
-- worker's. Workers are told apart by citizen number, else by name fingerprint. An account
-- held by a company (a legal form in the holder's name) is most often a pay-card or client-money
-- account serving many workers by design: it counts, but at a fraction of the strength.
WITH slips AS (
    SELECT w.id, w.employee, w.iban, w.ibanHolder_key, p.name_key,
           coalesce(p.taxNumber, p.name_key) AS worker
    FROM wage_payment w JOIN person p ON p.id = w.employee
    WHERE w.iban IS NOT NULL),
shared AS (
    SELECT iban, count(DISTINCT worker) AS workers FROM slips GROUP BY iban),
names AS (  -- each (holder name, worker name) pair judged once, not once per payslip
    SELECT holder_key, name_key,
           -- another name: no word of the holder's name (initials aside) is close to a word
           -- of the worker's, allowing for spelling variants and typos
           holder_key IS NOT NULL AND name_key IS NOT NULL
           AND len(list_filter(string_split(holder_key, ' '), h -> len(h) > 2
                   AND len(list_filter(string_split(name_key, ' '),
                                       n -> jaro_winkler_similarity(h, n) >= 0.85)) > 0)) = 0
           AS other_name,
           is_legal_person(holder_key) AS corporate
    FROM (SELECT DISTINCT ibanHolder_key AS holder_key, name_key FROM slips)),
judged AS (
    SELECT s.*, sh.workers, n.other_name, n.corporate
    FROM slips s JOIN shared sh USING (iban)
    JOIN names n ON n.holder_key IS NOT DISTINCT FROM s.ibanHolder_key
                AND n.name_key IS NOT DISTINCT FROM s.name_key)
SELECT employee AS subject_id,
       max(greatest(CASE WHEN workers >= $min_workers
                          THEN least(1, 0.5 + (workers - 1) / 8) ELSE 0 END,
                     CASE WHEN other_name THEN 0.6 ELSE 0 END)
           * CASE WHEN corporate THEN $corporate_factor ELSE 1 END) AS strength,
       printf('paid into %s, %s%s', any_value(iban),
              CASE WHEN max(workers) >= $min_workers
                   THEN 'an account that also receives the wages of '
                        || (max(workers) - 1) || ' other worker(s)'
                   ELSE 'an account in another name' END,
              CASE WHEN bool_and(corporate)
                   THEN ' (held by a company: a pay-card or client-money account?)'
                   ELSE '' END) AS value,
       rows_of('wage_payment', list(id)) AS evidence
FROM judged
WHERE workers >= $min_workers OR other_name
GROUP BY employee
