-- Work without registration: an employment not registered for social security, or pay from an
-- employer whose employment records cover others it pays (so link to its payroll) but not them.
WITH names AS (
    SELECT id, min(name) AS name
    FROM (SELECT id, name FROM company UNION ALL SELECT id, name FROM person) GROUP BY id),
paid AS (SELECT DISTINCT employee, employer FROM wage_payment WHERE employer IS NOT NULL),
recorded AS (SELECT DISTINCT employee, employer FROM employment),
register AS (  -- employers whose employment records demonstrably cover the workers they pay
    SELECT p.employer, count(*) AS paid, count(r.employee) AS recorded
    FROM paid p LEFT JOIN recorded r ON r.employee = p.employee AND r.employer = p.employer
    GROUP BY p.employer
    HAVING count(r.employee) >= $min_register),
missing AS (  -- the workers such an employer pays without a record
    SELECT p.employee, p.employer, g.paid, g.recorded
    FROM paid p JOIN register g ON g.employer = p.employer
    ANTI JOIN recorded r ON r.employee = p.employee AND r.employer = p.employer),
unregistered AS (
    SELECT employee, employer, 'not registered for social security' AS sign, 0.7 AS strength,
           {'tbl': 'employment', 'id': id} AS ev, startDate AS day
    FROM employment WHERE employee IS NOT NULL AND socialSecurityRegistered = false),
unrecorded AS (
    SELECT w.employee, w.employer,
           printf('paid without an employment record (its records cover %d of the %d workers '
                  || 'it pays)', m.recorded, m.paid) AS sign,
           0.6 AS strength, {'tbl': 'wage_payment', 'id': w.id} AS ev, w.periodStart AS day
    FROM wage_payment w JOIN missing m ON m.employee = w.employee AND m.employer = w.employer),
signs AS (SELECT * FROM unregistered UNION ALL SELECT * FROM unrecorded),
per_employer AS (
    SELECT employee, employer, sign, max(strength) AS strength, count(*) AS n,
           list_transform(list_sort(list({'day': day, 'ev': ev})), x -> x.ev) AS ev
    FROM signs GROUP BY employee, employer, sign)
SELECT p.employee AS subject_id, max(p.strength) + (count(*) - 1) * 0.2 AS strength,
       array_to_string(list_sort(list(printf('%s: %s%s',
                                             coalesce(n.name, p.employer, 'unknown employer'),
                                             p.sign, CASE WHEN p.n > 1
                                                          THEN printf(' (%d records)', p.n)
                                                          ELSE '' END))), '; ') AS value,
       flatten(list_transform(list_sort(list({'employer': p.employer, 'sign': p.sign, 'ev': p.ev})),
                              x -> x.ev)) AS evidence
FROM per_employer p LEFT JOIN names n ON n.id = p.employer
GROUP BY p.employee
