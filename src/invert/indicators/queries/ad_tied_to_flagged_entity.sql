-- Ads tied in the entity graph to a company, person or account whose own behaviour is risky:
-- directly (an employer named, a name an e-mail spells) or through a phone, e-mail or handle.
WITH hop AS (
    SELECT source AS ad, target AS node, target_kind AS kind, type
    FROM graph_edge WHERE source_kind = 'ad'),
reach AS (
    SELECT ad, node AS subject, kind, type AS how FROM hop
    WHERE kind IN ('company', 'person', 'account')
    UNION ALL
    SELECT h.ad, e.source, e.source_kind, 'shares ' || h.kind || ' ' || n.label
    FROM hop h JOIN graph_edge e ON e.target = h.node
    JOIN graph_node n ON n.node = h.node
    WHERE h.kind IN ('phone', 'email', 'handle')
      AND e.source_kind IN ('company', 'person', 'account')),
risky AS (
    SELECT r.ad, r.subject, coalesce(min(n.label), r.subject) AS name, r.kind, r.how,
           max(b.log_odds) AS log_odds, arg_max(b.top, (b.log_odds, b.top)) AS top
    FROM reach r
    JOIN behaviour b ON b.subject_id = r.subject
     AND (b.subject = r.kind OR (r.kind = 'person' AND b.subject = 'child'))
    LEFT JOIN graph_node n ON n.node = r.subject
    WHERE b.log_odds >= $min_log_odds
    GROUP BY r.ad, r.subject, r.kind, r.how)
-- the riskiest tie (among equal ones, the same every run)
SELECT ad AS subject_id, max(log_odds) / $full_at AS strength,
       printf('%s %s %s (own risk %.1f log-odds, mainly %s)%s',
              CASE WHEN arg_max(how, (log_odds, subject, how)) = 'names employer' THEN 'names as employer'
                   WHEN arg_max(how, (log_odds, subject, how)) = 'e-mail names' THEN 'its e-mail names'
                   ELSE arg_max(how, (log_odds, subject, how)) || ' with' END,
              arg_max(kind, (log_odds, subject, how)), arg_max(name, (log_odds, subject, how)), max(log_odds),
              arg_max(top, (log_odds, subject, how)),
              CASE WHEN count(DISTINCT subject) > 1
                   THEN printf(' and %d more risky tie(s)', count(DISTINCT subject) - 1)
                   ELSE '' END) AS value,
       [{'tbl': 'ad', 'id': ad}]
       || list(DISTINCT {'tbl': CASE kind WHEN 'account' THEN 'bank_account' ELSE kind END,
                         'id': subject}) AS evidence
FROM risky GROUP BY ad
