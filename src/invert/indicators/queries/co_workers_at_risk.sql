-- Employers of workers whose own (entity-stage) indicators add up to a high risk; strength
-- grows with the number of such workers.
WITH work AS (
    SELECT DISTINCT employee, employer FROM employment WHERE employer IS NOT NULL
    UNION
    SELECT DISTINCT employee, employer FROM wage_payment WHERE employer IS NOT NULL),
at_risk AS (
    SELECT w.employer, w.employee, max(h.log_odds) AS log_odds,
           arg_max(h.top, (h.log_odds, h.top)) AS top
    FROM work w JOIN behaviour h ON h.subject_id = w.employee AND h.subject IN ('person', 'child')
    WHERE h.log_odds >= $min_log_odds
    GROUP BY ALL),
commonest AS (  -- the reason most of them share (among equally common ones, the same each run)
    SELECT employer, arg_max(top, (n, top)) AS top
    FROM (SELECT employer, top, count(*) AS n FROM at_risk GROUP BY ALL)
    GROUP BY employer)
SELECT a.employer AS subject_id, 0.4 + count(*) / 10 AS strength,
       printf('%d of its workers show a high risk in their own records (mostly %s)',
              count(*), any_value(c.top)) AS value,
       list_sort(rows_of('person', list(a.employee))) AS evidence
FROM at_risk a JOIN commonest c USING (employer)
GROUP BY a.employer
HAVING count(*) >= $min_workers
