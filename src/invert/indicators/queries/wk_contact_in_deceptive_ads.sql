-- Workers (people with employment or payroll records) whose own phone or e-mail is the contact
-- of deceptive ads.
WITH r AS (SELECT * FROM ad_reach($min_peers, $min_share) WHERE kind = 'person' AND via IS NOT NULL),
workers AS (
    SELECT employee AS person FROM employment UNION SELECT employee FROM wage_payment)
SELECT r.subject AS subject_id,
       least(1.0, 0.7 + 0.01 * count(DISTINCT r.ad)) AS strength,
       printf('gives as own contact the %s of %d deceptive recruitment ad(s)',
              string_agg(DISTINCT split_part(r.via, ':', 1) || ' '
                         || substr(r.via, strpos(r.via, ':') + 1), ', '
                         ORDER BY split_part(r.via, ':', 1) || ' '
                                  || substr(r.via, strpos(r.via, ':') + 1)),
              count(DISTINCT r.ad)) AS value,
       [{'tbl': 'person', 'id': r.subject}] || rows_of('ad', list_sort(list(DISTINCT r.ad))[:20])
       AS evidence
FROM r SEMI JOIN workers w ON w.person = r.subject
GROUP BY r.subject
