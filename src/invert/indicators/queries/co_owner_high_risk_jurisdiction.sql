-- Owners at any level above the company (companies by jurisdiction, people by country of
-- residence, never by nationality), its directors, or its own registration on a FATF list.
WITH RECURSIVE co AS (
    SELECT id, min(name) AS name, any_value(jurisdiction) AS country,
           any_value(address_key) AS address_key
    FROM company GROUP BY id),
party AS (  -- where each possible owner or director sits
    SELECT id, name, country, 'company' AS tbl, 'registered in' AS verb FROM co
    UNION ALL
    SELECT id, min(name), any_value(country), 'person', 'living in' FROM person GROUP BY id),
up(base, node, depth, path, ids) AS (  -- one path kept per company and owner at each step
    SELECT asset, owner, 1, [asset, owner], [id] FROM ownership
    WHERE asset IS NOT NULL AND owner IS NOT NULL AND asset <> owner
    UNION ALL
    SELECT base, node, s.depth, s.path, s.ids FROM (
        SELECT u.base, o.owner AS node,
               any_value({'depth': u.depth + 1, 'path': list_append(u.path, o.owner),
                          'ids': list_append(u.ids, o.id)}) AS s
        FROM up u JOIN ownership o ON o.asset = u.node
        WHERE u.depth < 12 AND NOT list_contains(u.path, o.owner)
        GROUP BY u.base, o.owner)),
ties AS (
    SELECT base AS company,
           CASE WHEN min(depth) = 1 THEN 'owner' ELSE 'indirect owner' END AS role, node AS party,
           list_transform(arg_min(ids, depth), x -> {'tbl': 'ownership', 'id': x}) AS rows
    FROM up GROUP BY base, node
    UNION ALL
    SELECT organization, 'director', director, [{'tbl': 'directorship', 'id': id}]
    FROM directorship WHERE organization IS NOT NULL AND director IS NOT NULL),
found AS (
    SELECT t.company, h.list, printf('%s %s %s %s (%s)', t.role, p.name, p.verb, p.country, h.list)
           AS value, t.rows || [{'tbl': p.tbl, 'id': p.id}] AS rows
    FROM ties t JOIN party p ON p.id = t.party JOIN high_risk_country h ON h.country = p.country
    UNION ALL
    SELECT c.id, h.list, printf('registered in %s (%s)', c.country, h.list),
           [{'tbl': 'company', 'id': c.id}]
    FROM co c JOIN high_risk_country h ON h.country = c.country
    UNION ALL
    SELECT c.id, h.list, printf('registered address in %s (%s)', a.country, h.list),
           [{'tbl': 'company', 'id': c.id}, {'tbl': 'address', 'id': a.id}]
    FROM co c JOIN address a ON a.full_key = c.address_key
    JOIN high_risk_country h ON h.country = a.country
    WHERE a.country IS DISTINCT FROM c.country)
SELECT company AS subject_id,
       max(CASE WHEN list = 'call_for_action' THEN 1.0 ELSE 0.5 END)  -- increased monitoring
       AS strength,
       string_agg(DISTINCT value, '; ' ORDER BY value) AS value,
       list_distinct(flatten(list(rows))) AS evidence
FROM found
GROUP BY company
