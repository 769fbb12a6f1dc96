-- Workers whose job, home and transport or pay are in the same hands: employed by the firm, living
-- in a home owned or provided by the firm, one of its directors or owners, or a firm sharing a
-- director or owner with it; and charged for transport on their payslips, or paid into an
-- account held by one of those same people or firms.
WITH jobs AS (
    SELECT DISTINCT employee AS worker, employer FROM employment
    WHERE employee IS NOT NULL AND employer IS NOT NULL
    UNION
    SELECT DISTINCT employee, employer FROM wage_payment
    WHERE employee IS NOT NULL AND employer IS NOT NULL),
officers AS (
    SELECT organization AS company, director AS person, 'directorship' AS tbl, id
    FROM directorship WHERE organization IS NOT NULL AND director IS NOT NULL
    UNION ALL
    SELECT asset, owner, 'ownership', id FROM ownership
    WHERE asset IS NOT NULL AND owner IS NOT NULL),
control AS (  -- who holds each employer, and the rows that show it
    SELECT DISTINCT employer AS company, employer AS who, 'itself' AS role,
           []::STRUCT(tbl VARCHAR, id VARCHAR)[] AS ev
    FROM jobs
    UNION ALL
    SELECT company, person, 'its director or owner', [{'tbl': tbl, 'id': id}] FROM officers
    UNION ALL
    SELECT a.company, b.company, 'a firm sharing its director or owner',
           [{'tbl': a.tbl, 'id': a.id}, {'tbl': b.tbl, 'id': b.id}]
    FROM officers a JOIN officers b ON b.person = a.person AND b.company <> a.company),
names AS (
    SELECT id, min(name) AS name FROM person GROUP BY id
    UNION ALL
    SELECT id, min(name) FROM company GROUP BY id),
housed AS (
    SELECT id, resident AS worker, provider AS landlord FROM residence
    WHERE resident IS NOT NULL AND provider IS NOT NULL
    UNION
    SELECT r.id, r.resident, a.owner FROM residence r JOIN address a ON a.id = r.address
    WHERE r.resident IS NOT NULL AND a.owner IS NOT NULL),
home AS (
    SELECT j.employer, j.worker, coalesce(n.name, c.who) AS who, c.role,
           c.ev || [{'tbl': 'residence', 'id': h.id}] AS ev
    FROM jobs j JOIN housed h ON h.worker = j.worker
    JOIN control c ON c.company = j.employer AND c.who = h.landlord
    LEFT JOIN names n ON n.id = c.who),
held AS (  -- transport charged by the employer, or pay into an account of its people
    SELECT employer, employee AS worker, 'transport' AS leg, [{'tbl': 'wage_payment', 'id': id}] AS ev
    FROM wage_payment
    WHERE employer IS NOT NULL
      AND regexp_matches(lower(array_to_string(deductionType, ' | ')), $transport)
    UNION ALL
    SELECT w.employer, w.employee, 'pay',
           c.ev || [{'tbl': 'wage_payment', 'id': w.id}, {'tbl': 'bank_account', 'id': a.id}]
    FROM wage_payment w JOIN bank_account a ON a.iban = w.iban
    JOIN account_holder ah ON ah.account = a.id
    JOIN control c ON c.company = w.employer AND c.who = ah.holder
    WHERE c.role <> 'itself'),
caught AS (  -- per employer and worker: the home's holders and the other leg(s)
    SELECT h.employer, h.worker, list_distinct(list(h.who)) AS landlords,
           list_distinct(list(h.role)) AS roles, list_distinct(list(d.leg)) AS legs,
           list_distinct(flatten(list(h.ev)) || flatten(list(d.ev))) AS ev
    FROM home h JOIN held d ON d.employer = h.employer AND d.worker = h.worker
    GROUP BY h.employer, h.worker)
SELECT c.employer AS subject_id, 0.5 + (count(*) - $min_workers) / 10 AS strength,
       printf('%d of its workers live in homes of %s (%s) and have %s in the same hands',
              count(*),
              array_to_string(list_sort(list_distinct(flatten(list(c.landlords)))), ', '),
              array_to_string(list_sort(list_distinct(flatten(list(c.roles)))), ', '),
              array_to_string(list_transform(list_sort(list_distinct(flatten(list(c.legs)))),
                                             x -> CASE x WHEN 'pay' THEN 'their pay'
                                                         ELSE 'their transport' END),
                              ' and ')) AS value,
       list_sort(list_distinct(flatten(list(c.ev)))) AS evidence
FROM caught c
GROUP BY c.employer
HAVING count(*) >= $min_workers
