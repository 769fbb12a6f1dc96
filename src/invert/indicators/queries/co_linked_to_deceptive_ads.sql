-- Companies that deceptive ads name as employer or share a contact with, and employers of
-- workers whose own contact is such an ad's phone or e-mail.
WITH r AS (SELECT * FROM ad_reach($min_peers, $min_share)),
ties AS (
    SELECT ad, subject AS company,
           CASE WHEN via IS NULL THEN 'named as employer'
                ELSE 'its ' || split_part(via, ':', 1) || ' ' || substr(via, strpos(via, ':') + 1)
                     || ' is the ads'' contact' END AS how,
           NULL::VARCHAR AS worker, NULL::VARCHAR AS job
    FROM r WHERE kind = 'company'
    UNION ALL
    SELECT r.ad, e.employer, 'employs workers whose contact is the ads'' '
           || split_part(r.via, ':', 1) || ' ' || substr(r.via, strpos(r.via, ':') + 1),
           r.subject, e.id
    FROM r JOIN employment e ON e.employee = r.subject
    WHERE r.kind = 'person' AND r.via IS NOT NULL AND e.employer IS NOT NULL)
SELECT company AS subject_id,
       least(1.0, 0.6 + 0.1 * (count(DISTINCT how) - 1) + 0.01 * count(DISTINCT ad)) AS strength,
       printf('%d deceptive recruitment ad(s) tie to it: %s%s', count(DISTINCT ad),
              string_agg(DISTINCT how, '; ' ORDER BY how),
              CASE WHEN count(DISTINCT worker) > 0
                   THEN printf(' (%d worker(s))', count(DISTINCT worker)) ELSE '' END) AS value,
       rows_of('ad', list_sort(list(DISTINCT ad))[:20])
       || rows_of('employment', list_sort(list(DISTINCT job) FILTER (WHERE job IS NOT NULL))[:20])
       AS evidence
FROM ties GROUP BY company
