-- Ad phones and e-mails that are a worker's contact in the case's records or a bank customer's
-- KYC contact.
WITH contacts AS (
    SELECT DISTINCT ad, kind, value FROM ad_contact WHERE kind IN ('phone', 'email')),
known AS (
    SELECT 'phone' AS kind, phone AS value, 'person' AS tbl, id, 'worker' AS who FROM person
    WHERE phone IS NOT NULL
    UNION ALL
    SELECT 'email', lower(email), 'person', id, 'worker' FROM person WHERE email IS NOT NULL
    UNION ALL
    SELECT 'phone', kycPhone, 'bank_account', id, 'bank customer' FROM bank_account
    WHERE kycPhone IS NOT NULL
    UNION ALL
    SELECT 'email', lower(kycEmail), 'bank_account', id, 'bank customer' FROM bank_account
    WHERE kycEmail IS NOT NULL),
matches AS (
    SELECT c.ad, c.value, k.tbl, k.id, k.who
    FROM contacts c JOIN known k ON k.kind = c.kind AND k.value = c.value)
SELECT ad AS subject_id,
       least(1.0, 0.6 + 0.1 * (count(DISTINCT id) - 1)) AS strength,
       printf('contact %s is that of %s', string_agg(DISTINCT value, ', ' ORDER BY value),
              string_agg(DISTINCT printf('%d %s(s)', n, who), ' and '
                         ORDER BY printf('%d %s(s)', n, who))) AS value,
       [{'tbl': 'ad', 'id': ad}] || list(DISTINCT {'tbl': tbl, 'id': id}) AS evidence
FROM (SELECT *, count(DISTINCT id) OVER (PARTITION BY ad, who) AS n FROM matches)
GROUP BY ad
