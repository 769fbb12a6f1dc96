-- Accounts on payslips: shared by several workers, or held in a name sharing nothing with the
-- worker's (any of the names the worker's records carry). An account held by a company (a legal
-- form in the holder's name, or the name of a registered company) is most often a pay-card or
-- client-money account serving many workers by design: it counts, but at a fraction of the
-- strength.
WITH slips AS (
    SELECT id, employee, iban, ibanHolder_key FROM wage_payment WHERE iban IS NOT NULL),
shared AS (
    SELECT iban, count(DISTINCT employee) AS workers FROM slips GROUP BY iban),
words AS (
    SELECT id, flatten(list(DISTINCT string_split(name_key, ' '))) AS words
    FROM person WHERE name_key IS NOT NULL GROUP BY id),
judged_names AS (  -- each (holder name, worker) pair judged once, not once per payslip
    SELECT p.holder_key, p.employee,
           -- another name: no word of the holder's name (initials aside) is close to a word
           -- of the worker's, allowing for spelling variants and typos
           p.holder_key IS NOT NULL AND w.words IS NOT NULL
           AND array_length(list_filter(string_split(p.holder_key, ' '), h -> length(h) > 2
                   AND array_length(list_filter(w.words,
                                       n -> jaro_winkler_similarity(h, n) >= 0.85)) > 0)) = 0
           AS other_name,
           is_legal_person(p.holder_key) OR r.name_key IS NOT NULL AS corporate
    FROM (SELECT DISTINCT ibanHolder_key AS holder_key, employee FROM slips) p
    LEFT JOIN words w ON w.id = p.employee
    LEFT JOIN registered_name r ON r.name_key = p.holder_key),
flagged AS (  -- payslips into a shared account or an account in another name
    SELECT s.* FROM slips s SEMI JOIN shared sh
        ON sh.iban = s.iban AND sh.workers >= $min_workers
    UNION
    SELECT s.* FROM slips s SEMI JOIN judged_names n
        ON n.holder_key IS NOT DISTINCT FROM s.ibanHolder_key AND n.employee = s.employee
       AND n.other_name),
judged AS (
    SELECT s.*, sh.workers, n.other_name, n.corporate
    FROM flagged s JOIN shared sh USING (iban)
    JOIN judged_names n ON n.holder_key IS NOT DISTINCT FROM s.ibanHolder_key
                       AND n.employee = s.employee)
SELECT employee AS subject_id,
       max(greatest(CASE WHEN workers >= $min_workers
                          THEN least(1, 0.5 + (workers - 1) / 8) ELSE 0 END,
                     CASE WHEN other_name THEN 0.6 ELSE 0 END)
           * CASE WHEN corporate THEN $corporate_factor ELSE 1 END) AS strength,
       printf('paid into %s, %s%s', arg_max(iban, (workers, iban)),  -- the most shared
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
