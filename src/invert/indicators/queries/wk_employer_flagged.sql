-- Workers employed or paid by a company whose own behaviour adds up to a high risk.
WITH work AS (
    SELECT employee, employer, 'employment' AS tbl, id FROM employment
    UNION ALL
    SELECT employee, employer, 'wage_payment', id FROM wage_payment WHERE employer IS NOT NULL)
SELECT w.employee AS subject_id, max(h.log_odds) / $full_at AS strength,
       printf('works for %s (own risk %.1f log-odds, mainly %s)',
              coalesce(arg_max(c.name, (h.log_odds, w.employer)),
                       arg_max(w.employer, (h.log_odds, w.employer))),
              max(h.log_odds), arg_max(h.top, (h.log_odds, w.employer))) AS value,
       -- the first five rows in (tbl, id) order, without sorting all of them
       arg_min({'tbl': w.tbl, 'id': w.id}, (w.tbl, w.id), 5) AS evidence
FROM work w
JOIN behaviour h ON h.subject = 'company' AND h.subject_id = w.employer
LEFT JOIN (SELECT id, min(name) AS name FROM company GROUP BY id) c ON c.id = w.employer
WHERE h.log_odds >= $min_log_odds
GROUP BY w.employee
