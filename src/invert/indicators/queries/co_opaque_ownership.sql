-- Ownership above each company: three or more corporate layers, a cycle, or a foreign corporate
-- owner whose chain ends in a company with no recorded owner instead of a natural person.
WITH RECURSIVE co AS (
    SELECT id, min(name) AS name, any_value(jurisdiction) AS jurisdiction
    FROM company GROUP BY id),
ppl AS (SELECT id, min(name) AS name FROM person GROUP BY id),
own AS (
    SELECT o.id, o.owner, o.asset, o.startDate, o.endDate, c.id IS NOT NULL AS corporate,
           c.jurisdiction, coalesce(c.name, p.name, o.owner) AS owner_name
    FROM ownership o LEFT JOIN co c ON c.id = o.owner LEFT JOIN ppl p ON p.id = o.owner
    WHERE o.owner IS NOT NULL AND o.asset IS NOT NULL AND o.owner <> o.asset),  -- not own shares
owned AS (SELECT DISTINCT asset FROM own),
-- walk up from each company; only companies have owners above them, the periods of the shares
-- must overlap, and reaching a company already on the path closes a cycle. One path is kept per
-- company and owner at each step, so dense ownership graphs stay bounded.
up(base, base_j, node, corporate, depth, layers, path, names, ids, abroad, cyc, startDate,
   endDate) AS (
    SELECT o.asset, b.jurisdiction, o.owner, o.corporate, 1, o.corporate::INT, [o.asset, o.owner],
           [coalesce(b.name, o.asset), o.owner_name], [o.id],
           CASE WHEN o.corporate AND o.jurisdiction <> b.jurisdiction
                THEN [printf('%s (%s)', o.owner_name, o.jurisdiction)] ELSE [] END,
           FALSE, o.startDate, o.endDate
    FROM own o LEFT JOIN co b ON b.id = o.asset
    UNION ALL
    SELECT base, s.base_j, node, s.corporate, s.depth, s.layers, s.path, s.names, s.ids, s.abroad,
           s.cyc, s.startDate, s.endDate
    FROM (
        SELECT u.base, o.owner AS node, any_value({
                   'base_j': u.base_j, 'corporate': o.corporate, 'depth': u.depth + 1,
                   'layers': u.layers + o.corporate::INT,
                   'path': list_append(u.path, o.owner),
                   'names': list_append(u.names, o.owner_name),
                   'ids': list_append(u.ids, o.id),
                   'abroad': CASE WHEN o.corporate AND o.jurisdiction <> u.base_j
                                  THEN list_append(u.abroad, printf('%s (%s)', o.owner_name,
                                                                    o.jurisdiction))
                                  ELSE u.abroad END,
                   'cyc': list_contains(u.path, o.owner),
                   'startDate': greatest(u.startDate, o.startDate),
                   'endDate': least(u.endDate, o.endDate)}) AS s
        FROM up u JOIN own o ON o.asset = u.node
        WHERE u.corporate AND NOT u.cyc AND u.depth < 12
          AND (u.endDate IS NULL OR o.startDate IS NULL OR o.startDate <= u.endDate)
          AND (u.startDate IS NULL OR o.endDate IS NULL OR o.endDate >= u.startDate)
        GROUP BY u.base, o.owner)),
found AS (
    SELECT base, 1.0 AS strength,
           'circular ownership: ' || array_to_string(arg_min(names, depth), ' → ') AS value,
           arg_min(ids, depth) AS ids
    FROM up WHERE cyc GROUP BY base
    UNION ALL
    SELECT base, 0.6 + 0.15 * (max(layers) - $min_layers),
           printf('%d corporate layers above it: %s', max(layers),
                  array_to_string(arg_max(names, layers), ' → ')), arg_max(ids, layers)
    FROM up WHERE NOT cyc AND corporate GROUP BY base HAVING max(layers) >= $min_layers
    UNION ALL
    SELECT u.base, 0.6,
           arg_min(printf('foreign corporate owner %s with no natural person at the top: %s',
                          array_to_string(u.abroad, ', '), array_to_string(u.names, ' → ')),
                   u.depth), arg_min(u.ids, u.depth)
    FROM up u LEFT JOIN owned h ON h.asset = u.node
    WHERE NOT u.cyc AND u.corporate AND h.asset IS NULL AND array_length(u.abroad) > 0
    GROUP BY u.base)
SELECT base AS subject_id, max(strength) AS strength,
       string_agg(DISTINCT value, '; ' ORDER BY value) AS value,
       list_transform(list_distinct(flatten(list(ids))),
                      x -> {'tbl': 'ownership', 'id': x}) AS evidence
FROM found
GROUP BY base
