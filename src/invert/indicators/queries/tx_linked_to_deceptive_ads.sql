-- Accounts whose customer contact is a deceptive ad's contact, whose holder's rare name such an
-- ad's e-mail spells, or held by a person that e-mail names.
WITH r AS (SELECT * FROM ad_reach($min_peers, $min_share)),
ties AS (
    SELECT ad, subject AS account,
           CASE WHEN via IS NULL THEN 'the ads'' e-mail spells its holder''s name'
                ELSE 'its customer ' || split_part(via, ':', 1) || ' is the ads'' contact' END
           AS how
    FROM r WHERE kind = 'account'
    UNION ALL
    SELECT r.ad, h.account, 'held by a person the ads'' e-mail names'
    FROM r JOIN account_holder h ON h.holder = r.subject
    WHERE r.kind = 'person' AND r.via IS NULL)
SELECT account AS subject_id,
       least(1.0, 0.6 + 0.1 * (count(DISTINCT how) - 1) + 0.01 * count(DISTINCT ad)) AS strength,
       printf('%d deceptive recruitment ad(s): %s', count(DISTINCT ad),
              string_agg(DISTINCT how, '; ' ORDER BY how)) AS value,
       [{'tbl': 'bank_account', 'id': account}] || rows_of('ad', list_sort(list(DISTINCT ad))[:20])
       AS evidence
FROM ties GROUP BY account
