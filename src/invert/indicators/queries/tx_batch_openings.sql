-- Accounts of $min_accounts or more different holders opened within $days days with the same
-- KYC address, phone or e-mail: batches opened by or for a third party.
WITH accounts AS (
    SELECT id, any_value(openingDate) AS opened,
           any_value(coalesce(holder, holderName_key, id)) AS who,
           any_value(nullif(trim(kycAddress_key), '')) AS address,
           any_value(nullif(trim(kycPhone), '')) AS phone,
           any_value(lower(nullif(trim(kycEmail), ''))) AS email
    FROM bank_account WHERE openingDate IS NOT NULL GROUP BY id),
keys AS (
    SELECT id, opened, who, 'address' AS kind, address AS val FROM accounts
    WHERE address IS NOT NULL
    UNION ALL
    SELECT id, opened, who, 'phone', phone FROM accounts WHERE phone IS NOT NULL
    UNION ALL
    SELECT id, opened, who, 'e-mail', email FROM accounts WHERE email IS NOT NULL),
starts AS (  -- windows of $days days starting at each opening, with their distinct holders
    SELECT DISTINCT kind, val, opened AS start, count(DISTINCT who) OVER (
        PARTITION BY kind, val ORDER BY opened
        RANGE BETWEEN CURRENT ROW AND INTERVAL ($days - 1) DAY FOLLOWING) AS holders
    FROM keys),
batches AS (
    SELECT s.kind, s.val, s.start, s.holders, list(k.id ORDER BY k.id) AS ids
    FROM starts s JOIN keys k
      ON k.kind = s.kind AND k.val = s.val AND k.opened >= s.start
     AND k.opened < s.start + $days
    WHERE s.holders >= $min_accounts
    GROUP BY s.kind, s.val, s.start, s.holders),
members AS (SELECT unnest(ids) AS id, * FROM batches)
SELECT id AS subject_id,
       0.5 + (max(holders) - $min_accounts) / 10 + (count(DISTINCT kind) - 1) / 10 AS strength,
       printf('one of %d accounts of different holders opened within %d days with the same %s',
              max(holders), $days, string_agg(DISTINCT kind, ' and ' ORDER BY kind)) AS value,
       list_transform(list_sort(list_distinct(flatten(list(ids)))),
                      x -> {'tbl': 'bank_account', 'id': x}) AS evidence
FROM members GROUP BY id
