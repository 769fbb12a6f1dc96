-- Closed firms whose business went on in a successor with the same director, premises, phone or
-- e-mail, set up from $before_days before to $after_days after the closing, and whose own
-- records are risky: the predecessor of a phoenix, whose workers the records may no longer show.
-- Records of one registered firm are not its own successor; busy addresses are no tie.
WITH firms AS (
    SELECT id, coalesce(max(registrationNumber), id) AS firm_key,
           coalesce(mode(name) FILTER (
               WHERE NOT contains(name, coalesce(registrationNumber, chr(0)))),
               min(name)) AS name,
           max(incorporationDate) AS founded, max(dissolutionDate) AS closed
    FROM company GROUP BY id),
busy AS (
    SELECT address_key FROM company WHERE address_key IS NOT NULL GROUP BY address_key
    HAVING count(DISTINCT coalesce(registrationNumber, id)) > $max_firms_at_address),
people AS (SELECT id, mode(name) AS name FROM person GROUP BY id),
tie AS (
    SELECT d.organization AS id, 'director' AS kind, d.director AS key,
           'director ' || coalesce(p.name, d.director) AS what, 'directorship' AS tbl,
           d.id AS row_id
    FROM directorship d LEFT JOIN people p ON p.id = d.director
    WHERE d.director IS NOT NULL AND d.organization IS NOT NULL
    UNION ALL
    SELECT id, 'address', address_key, 'address ' || address_key, 'company', id FROM company
    WHERE address_key IS NOT NULL AND address_key NOT IN (SELECT address_key FROM busy)
    UNION ALL
    SELECT id, 'phone', phone, 'phone ' || phone, 'company', id FROM company
    WHERE phone IS NOT NULL
    UNION ALL
    SELECT id, 'e-mail', lower(email), 'e-mail ' || lower(email), 'company', id FROM company
    WHERE email IS NOT NULL),
succession AS (
    SELECT o.id AS old, n.id AS new, any_value(o.closed) AS closed,
           any_value(o.founded) AS founded, any_value(n.founded) AS successor_founded,
           any_value(n.name) AS successor, count(DISTINCT a.kind) AS kinds,
           string_agg(DISTINCT a.what, ', ' ORDER BY a.what) AS shared,
           list_distinct(flatten(list([{'tbl': a.tbl, 'id': a.row_id},
                                       {'tbl': b.tbl, 'id': b.row_id}]))) AS ev
    FROM firms o JOIN tie a ON a.id = o.id
    JOIN tie b ON b.kind = a.kind AND b.key = a.key AND b.id <> a.id
    JOIN firms n ON n.id = b.id
    WHERE o.closed IS NOT NULL AND n.founded IS NOT NULL AND n.firm_key <> o.firm_key
      AND n.founded BETWEEN o.closed - INTERVAL ($before_days) DAY
                        AND o.closed + INTERVAL ($after_days) DAY
    GROUP BY o.id, n.id),
risky AS (
    SELECT s.*, h.log_odds, h.top,
           least(1.0, 0.25 + 0.25 * s.kinds) AS strength
    FROM succession s JOIN behaviour h ON h.subject = 'company' AND h.subject_id = s.new
    WHERE h.log_odds >= $min_log_odds)
SELECT old AS subject_id, max(strength) AS strength,
       printf('closed on %s%s; %s, set up on %s, shares its %s and has a risk of its own '
              || '(%.1f log-odds, mainly %s)',
              strftime(any_value(closed), '%Y-%m-%d'),
              CASE WHEN any_value(founded) IS NOT NULL
                   THEN printf(', %d months after it was set up',
                               datediff('month', any_value(founded), any_value(closed)))
                   ELSE '' END,
              arg_max(successor, (strength, log_odds, new)),
              strftime(arg_max(successor_founded, (strength, log_odds, new)), '%Y-%m-%d'),
              arg_max(shared, (strength, log_odds, new)),
              arg_max(log_odds, (strength, log_odds, new)),
              arg_max(top, (strength, log_odds, new))) AS value,
       list_distinct([{'tbl': 'company', 'id': old}]
                     || flatten(list(ev ORDER BY strength DESC, new))) AS evidence
FROM risky
GROUP BY old
