-- Minors' wages paid into an account held by someone else: the account's holder (bank record or
-- name on the payslip) shares no word of the child's name and is an adult or of unknown age.
WITH ppl AS (
    SELECT id, min(name) AS name, arg_min(name_key, name) AS name_key,
           max(birthDate) AS birthDate
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
names AS (  -- each (holder name, child name) pair judged once, before any join by name
    -- another name: no word of the holder's name (initials aside) is close to a word of the
    -- child's, allowing for spelling variants (a parent sharing the surname is left out)
    SELECT holder_key, name_key,
           array_length(list_filter(string_split(holder_key, ' '), x -> length(x) > 2
               AND array_length(list_filter(string_split(name_key, ' '),
                                   n -> jaro_winkler_similarity(x, n) >= 0.85)) > 0)) = 0
           AS other
    FROM (SELECT DISTINCT ibanHolder_key AS holder_key, name_key FROM minors
          WHERE ibanHolder_key IS NOT NULL)),
holders AS (  -- who holds each account: the bank's record, else the name on the payslip
    SELECT m.id, b.id AS account, h.id AS holder,
           coalesce(h.name_key, b.holderName_key) AS holder_key,
           coalesce(h.name, b.holderName) AS holder_name, h.birthDate
    FROM minors m JOIN bank_account b ON b.iban = m.iban LEFT JOIN ppl h ON h.id = b.holder
    WHERE h.id IS DISTINCT FROM m.employee),
by_bank AS (
    SELECT m.*, h.account, h.holder, h.holder_name, h.birthDate AS holder_born
    FROM minors m JOIN holders h ON h.id = m.id
    WHERE h.holder_key IS NOT NULL
      AND array_length(list_filter(string_split(h.holder_key, ' '), x -> length(x) > 2
              AND array_length(list_filter(string_split(m.name_key, ' '),
                                  n -> jaro_winkler_similarity(x, n) >= 0.85)) > 0)) = 0),
by_name AS (  -- the payslip's holder name is another name; anyone of that name may hold it
    SELECT m.*, NULL AS account, h.id AS holder, coalesce(h.name, m.ibanHolder_key) AS holder_name,
           h.birthDate AS holder_born
    FROM minors m JOIN names n ON n.holder_key = m.ibanHolder_key AND n.name_key = m.name_key
    LEFT JOIN ppl h ON h.name_key = m.ibanHolder_key
    WHERE n.other AND h.id IS DISTINCT FROM m.employee),
judged AS (
    SELECT * EXCLUDE (holder_born), age_on(holder_born, periodStart) AS holder_age
    FROM (SELECT * FROM by_bank UNION ALL SELECT * FROM by_name)
    WHERE coalesce(age_on(holder_born, periodStart) >= 18, TRUE))
SELECT employee AS subject_id,
       max(CASE WHEN holder_age IS NOT NULL THEN 1.0 ELSE 0.6 END) AS strength,
       printf('aged %d, wages paid into %s held by %s (%s)', min(age), any_value(iban),
              arg_max(holder_name, coalesce(holder_age, -1)),
              coalesce('aged ' || max(holder_age), 'age unknown')) AS value,
       list_distinct(rows_of('wage_payment', list(id))
                     || coalesce(rows_of('bank_account',
                                         list(account) FILTER (WHERE account IS NOT NULL)), [])
                     || coalesce(rows_of('person',
                                         list(holder) FILTER (WHERE holder IS NOT NULL)), []))
       AS evidence
FROM judged
GROUP BY employee
