-- Minors' wages paid into an account held by someone else: the account's holder (bank record or
-- name on the payslip) shares no word of the child's name and is an adult or of unknown age.
WITH ppl AS (
    SELECT id, any_value(name) AS name, any_value(name_key) AS name_key,
           any_value(birthDate) AS birthDate
    FROM person GROUP BY id),
young AS (  -- people who can have been minors on some payslip: a small share of all
    SELECT * FROM ppl
    WHERE birthDate > (SELECT min(periodStart) FROM wage_payment) - INTERVAL 18 YEAR),
minors AS (
    SELECT w.id, w.employee, w.iban, w.ibanHolder_key, w.periodStart, p.name_key,
           age_on(p.birthDate, w.periodStart) AS age
    FROM wage_payment w JOIN young p ON p.id = w.employee
    WHERE w.iban IS NOT NULL AND w.periodStart IS NOT NULL AND p.birthDate IS NOT NULL
      AND age_on(p.birthDate, w.periodStart) < 18),
holders AS (  -- who holds each account: the bank's record, else the name on the payslip
    SELECT m.id, b.id AS account, h.id AS holder,
           coalesce(h.name_key, b.holderName_key) AS holder_key,
           coalesce(h.name, b.holderName) AS holder_name, h.birthDate
    FROM minors m JOIN bank_account b ON b.iban = m.iban LEFT JOIN ppl h ON h.id = b.holder
    UNION ALL
    SELECT m.id, NULL, h.id, m.ibanHolder_key, coalesce(h.name, m.ibanHolder_key), h.birthDate
    FROM minors m LEFT JOIN ppl h ON h.name_key = m.ibanHolder_key
    WHERE m.ibanHolder_key IS NOT NULL),
judged AS (
    SELECT m.*, h.account, h.holder, h.holder_name,
           age_on(h.birthDate, m.periodStart) AS holder_age
    FROM minors m JOIN holders h ON h.id = m.id
    WHERE h.holder_key IS NOT NULL AND h.holder IS DISTINCT FROM m.employee
      -- another name: no word of the holder's name (initials aside) is close to a word of the
      -- child's, allowing for spelling variants (a parent sharing the surname is left out)
      AND len(list_filter(string_split(h.holder_key, ' '), x -> len(x) > 2
              AND len(list_filter(string_split(m.name_key, ' '),
                                  n -> jaro_winkler_similarity(x, n) >= 0.85)) > 0)) = 0
      AND coalesce(age_on(h.birthDate, m.periodStart) >= 18, TRUE))
SELECT employee AS subject_id,
       max(CASE WHEN holder_age IS NOT NULL THEN 1.0 ELSE 0.6 END) AS strength,
       printf('aged %d, wages paid into %s held by %s (%s)', min(age), any_value(iban),
              arg_max(holder_name, coalesce(holder_age, -1)),
              coalesce('aged ' || max(holder_age), 'age unknown')) AS value,
       list_distinct(list({'tbl': 'wage_payment', 'id': id})
                     || coalesce(list({'tbl': 'bank_account', 'id': account})
                                 FILTER (WHERE account IS NOT NULL), [])
                     || coalesce(list({'tbl': 'person', 'id': holder})
                                 FILTER (WHERE holder IS NOT NULL), [])) AS evidence
FROM judged
GROUP BY employee
