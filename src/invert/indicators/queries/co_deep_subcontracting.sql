-- Suppliers deep in a client→supplier chain (same site, overlapping periods), or living off one
-- client with hardly any staff of their own: where buffer firms hide labour abuse.
WITH RECURSIVE co AS (
    SELECT id, min(name) AS name, max(headcount) AS headcount FROM company GROUP BY id),
edge AS (
    SELECT s.id, s.client, s.supplier, s.site_key, s.startDate, s.endDate, s.value,
           coalesce(c.name, s.client) AS client_name, coalesce(p.name, s.supplier) AS supplier_name
    FROM subcontract s LEFT JOIN co c ON c.id = s.client LEFT JOIN co p ON p.id = s.supplier
    WHERE s.client IS NOT NULL AND s.supplier IS NOT NULL AND s.client <> s.supplier),
-- chains of contracts ending in each contract: one path is kept per contract at each step (so
-- dense graphs stay bounded), and a company already on the path ends it (cycle guard)
chain(edge, supplier, site_key, startDate, endDate, depth, path, names, ids) AS (
    SELECT id, supplier, site_key, startDate, endDate, 1, [client, supplier],
           [client_name, supplier_name], [id]
    FROM edge
    UNION ALL
    SELECT edge, s.supplier, s.site_key, s.startDate, s.endDate, s.depth, s.path, s.names, s.ids
    FROM (
        SELECT e.id AS edge, any_value({
                   'supplier': e.supplier, 'site_key': coalesce(c.site_key, e.site_key),
                   'startDate': greatest(c.startDate, e.startDate),
                   'endDate': least(c.endDate, e.endDate), 'depth': c.depth + 1,
                   'path': list_append(c.path, e.supplier),
                   'names': list_append(c.names, e.supplier_name),
                   'ids': list_append(c.ids, e.id)}) AS s
        FROM chain c JOIN edge e ON e.client = c.supplier
        WHERE c.depth < 12 AND NOT list_contains(c.path, e.supplier)
          AND (c.site_key IS NULL OR e.site_key IS NULL OR c.site_key = e.site_key)
          AND (c.endDate IS NULL OR e.startDate IS NULL OR e.startDate <= c.endDate)
          AND (c.startDate IS NULL OR e.endDate IS NULL OR e.endDate >= c.startDate)
        GROUP BY e.id)),
deep AS (
    SELECT supplier, max(depth) AS depth, arg_max(names, depth) AS names,
           arg_max(ids, depth) AS ids
    FROM chain GROUP BY supplier HAVING max(depth) >= $min_depth),
income AS (
    SELECT supplier, client, any_value(client_name) AS client_name, sum(value) AS value,
           list(id) AS ids
    FROM edge WHERE value > 0 GROUP BY supplier, client),
staff AS (
    SELECT employer, count(DISTINCT employee) AS employees FROM employment
    WHERE employer IS NOT NULL GROUP BY employer),
loaded AS (SELECT count(*) > 0 AS yes FROM staff),
dependent AS (  -- one client pays most of the supplier's contracts; own staff from the register
    SELECT i.supplier, max(i.value) / sum(i.value) AS share, arg_max(i.client_name, i.value)
           AS client_name, arg_max(i.ids, i.value) AS ids,
           coalesce(any_value(c.headcount),
                    CASE WHEN any_value(l.yes) THEN coalesce(any_value(s.employees), 0) END)
           AS staff
    FROM income i CROSS JOIN loaded l LEFT JOIN co c ON c.id = i.supplier
    LEFT JOIN staff s ON s.employer = i.supplier
    GROUP BY i.supplier
    HAVING max(i.value) / sum(i.value) > $client_share AND staff <= $max_staff),
found AS (
    SELECT supplier, 0.6 + 0.15 * (depth - $min_depth) AS strength,
           printf('supplier at depth %d of a subcontracting chain: %s', depth,
                  array_to_string(names, ' → ')) AS value, ids
    FROM deep
    UNION ALL
    SELECT supplier, CASE WHEN staff = 0 THEN 0.6 ELSE 0.4 END,
           printf('%.0f%% of its subcontract value from %s, with %d employees of its own',
                  100 * share, client_name, staff), ids
    FROM dependent)
SELECT supplier AS subject_id, max(strength) AS strength,
       string_agg(value, '; ' ORDER BY strength DESC) AS value,
       list_transform(list_distinct(flatten(list(ids))),
                      x -> {'tbl': 'subcontract', 'id': x}) AS evidence
FROM found
GROUP BY supplier
