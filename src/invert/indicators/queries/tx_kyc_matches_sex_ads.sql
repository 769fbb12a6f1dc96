-- Accounts whose KYC phone or e-mail is the contact in a commercial-sex advertisement.
WITH ads AS (
    SELECT id, nullif(trim(phone), '') AS phone, lower(nullif(trim(email), '')) AS email
    FROM ad WHERE lower(kind) = 'sex'),
accounts AS (
    SELECT DISTINCT id, nullif(trim(kycPhone), '') AS phone,
           lower(nullif(trim(kycEmail), '')) AS email
    FROM bank_account),
matches AS (
    SELECT a.id, 'phone' AS kind, s.id AS ad FROM accounts a JOIN ads s ON s.phone = a.phone
    UNION ALL
    SELECT a.id, 'e-mail', s.id FROM accounts a JOIN ads s ON s.email = a.email)
SELECT id AS subject_id,
       0.6 + (count(DISTINCT ad) - 1) / 10 + (count(DISTINCT kind) - 1) / 10 AS strength,
       printf('KYC %s found in %d sex-service ad(s)',
              string_agg(DISTINCT kind, ' and ' ORDER BY kind DESC), count(DISTINCT ad))
       AS value,
       [{'tbl': 'bank_account', 'id': id}]
       || list_transform(list_sort(list_distinct(list(ad))), x -> {'tbl': 'ad', 'id': x})
       AS evidence
FROM matches GROUP BY id
