-- Workers registered at homes their employer owns.
WITH employed AS (
    SELECT employee AS person, employer, 'employment' AS tbl, id FROM employment
    UNION ALL
    SELECT employee, employer, 'wage_payment', id FROM wage_payment WHERE employer IS NOT NULL),
owned AS (SELECT DISTINCT id, owner FROM address WHERE owner IS NOT NULL),
housed AS (
    SELECT e.employer, r.resident, r.id AS residence, o.id AS home
    FROM residence r JOIN owned o ON o.id = r.address
    JOIN (SELECT DISTINCT person, employer FROM employed) e
      ON e.person = r.resident AND e.employer = o.owner)
SELECT employer AS subject_id, 0.4 + count(DISTINCT resident) / 20 AS strength,
       printf('houses %d of its workers in %d home(s) it owns', count(DISTINCT resident),
              count(DISTINCT home)) AS value,
       rows_of('residence', list(residence)) AS evidence
FROM housed
GROUP BY employer
HAVING count(DISTINCT resident) >= $min_workers
