-- Homes that are workplaces: a worker's home (residence or own address) is the work site of their
-- employment, the registered address of their employer, or a place recorded as a site kind.
WITH places AS (
    SELECT DISTINCT id, "full" AS label, full_key,
           coalesce(regexp_matches(lower(kind), $site_kinds), false) AS site_kind, kind
    FROM address WHERE full_key IS NOT NULL),
homes AS (
    SELECT r.resident AS person, p.full_key, p.label, p.site_kind, p.kind,
           coalesce(r.startDate, DATE '0001-01-01') AS s,
           coalesce(r.endDate, DATE '9999-12-31') AS e,
           {'tbl': 'residence', 'id': r.id} AS ev
    FROM residence r JOIN places p ON p.id = r.address
    WHERE r.resident IS NOT NULL
    UNION ALL
    SELECT x.id, x.address_key, x.address, coalesce(k.site_kind, false), k.kind,
           DATE '0001-01-01', DATE '9999-12-31', {'tbl': 'person', 'id': x.id}
    FROM person x
    LEFT JOIN (SELECT full_key, bool_or(site_kind) AS site_kind,
                      arg_max(kind, site_kind) AS kind
               FROM places GROUP BY full_key) k ON k.full_key = x.address_key
    WHERE x.address_key IS NOT NULL),
registered AS (  -- homes at the registered address of a company ...
    SELECT h.person, h.label, h.ev, f.id AS firm, f.name
    FROM homes h JOIN (SELECT DISTINCT id, name, address_key FROM company) f
      ON f.address_key = h.full_key),
employers AS (  -- ... that employs or pays the worker
    SELECT e.employee, e.employer, 'employment' AS tbl, e.id FROM employment e
    SEMI JOIN registered g ON g.person = e.employee AND g.firm = e.employer
    UNION ALL
    SELECT w.employee, w.employer, 'wage_payment', min(w.id) FROM wage_payment w
    SEMI JOIN registered g ON g.person = w.employee AND g.firm = w.employer
    GROUP BY w.employee, w.employer),
signs AS (
    SELECT h.person, h.label, 3 AS rank,
           printf('the work site of their employment%s', coalesce(' at ' || c.name, '')) AS sign,
           [h.ev, {'tbl': 'employment', 'id': e.id}] AS ev
    FROM homes h JOIN employment e ON e.employee = h.person AND e.site_key = h.full_key
    LEFT JOIN (SELECT id, min(name) AS name FROM company GROUP BY id) c ON c.id = e.employer
    WHERE coalesce(e.startDate, DATE '0001-01-01') <= h.e
      AND coalesce(e.endDate, DATE '9999-12-31') >= h.s
    UNION ALL
    SELECT g.person, g.label, 1, printf('the registered address of employer %s', g.name),
           [g.ev, {'tbl': 'company', 'id': g.firm}, {'tbl': m.tbl, 'id': m.id}]
    FROM registered g JOIN employers m ON m.employee = g.person AND m.employer = g.firm
    UNION ALL
    SELECT person, label, 2, printf('recorded as a place of kind ''%s''', kind), [ev]
    FROM homes WHERE site_kind)
SELECT person AS subject_id,
       0.3 + 0.2 * max(rank) + 0.15 * (count(DISTINCT rank) - 1) AS strength,
       printf('lives at %s: %s', arg_max(label, rank),
              array_to_string(list_sort(list_distinct(list(sign))), '; ')) AS value,
       list_sort(list_distinct(flatten(list(ev)))) AS evidence
FROM signs
GROUP BY person
