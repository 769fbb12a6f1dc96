-- Accounts held by a risky company or person: the holder on the account, or else the holder's
-- name when it matches exactly one company or person of the case (same name fingerprint).
WITH named AS (
    SELECT name_key, any_value(id) AS id, count(DISTINCT coalesce(registrationNumber, id)) AS n
    FROM company WHERE name_key IS NOT NULL GROUP BY name_key
    UNION ALL
    SELECT name_key, any_value(id), count(DISTINCT id) FROM person
    WHERE name_key IS NOT NULL GROUP BY name_key),
unique_name AS (
    SELECT name_key, any_value(id) AS id FROM named GROUP BY name_key
    HAVING count(*) = 1 AND max(n) = 1),
held AS (
    SELECT b.id, b.iban, coalesce(b.holder, u.id) AS holder, b.holderName
    FROM bank_account b LEFT JOIN unique_name u ON u.name_key = b.holderName_key)
SELECT a.id AS subject_id, max(h.log_odds) / $full_at AS strength,
       printf('%s is held by %s (own risk %.1f log-odds, mainly %s)',
              coalesce(any_value(a.iban), a.id), coalesce(any_value(a.holderName),
              any_value(a.holder)), max(h.log_odds), arg_max(h.top, h.log_odds)) AS value,
       [{'tbl': 'bank_account', 'id': a.id}] AS evidence
FROM held a JOIN behaviour h ON h.subject_id = a.holder AND h.subject IN ('company', 'person')
WHERE h.log_odds >= $min_log_odds
GROUP BY a.id
