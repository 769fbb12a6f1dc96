-- Pairs (predecessor, successor) linked by an officer or the registered address, where the
-- successor employs at least half of the predecessor's workers soon after it closes.
WITH firms AS (
    SELECT id, any_value(address_key) AS address_key, max(incorporationDate) AS founded,
           max(dissolutionDate) AS closed
    FROM company GROUP BY id),
officers AS (  -- the same resolved person
    SELECT DISTINCT organization, director FROM directorship WHERE director IS NOT NULL),
candidates AS (  -- equi-joins only: same registered address, or an officer in common
    SELECT old.id AS old, new.id AS new, old.closed, new.founded
    FROM firms old JOIN firms new ON new.address_key = old.address_key
    WHERE new.id <> old.id
    UNION
    SELECT a.organization, b.organization, o.closed, n.founded
    FROM officers a JOIN officers b
      ON a.director = b.director
    JOIN firms o ON o.id = a.organization JOIN firms n ON n.id = b.organization
    WHERE a.organization <> b.organization),
pairs AS (
    SELECT DISTINCT old, new, closed FROM candidates
    WHERE closed IS NOT NULL AND founded IS NOT NULL
      AND founded BETWEEN closed - INTERVAL 180 DAY AND closed + INTERVAL ($days) DAY),
staff AS (SELECT DISTINCT employee, employer, startDate, id FROM employment),
headcount AS (
    SELECT employer, count(DISTINCT employee) AS before FROM staff
    WHERE employer IN (SELECT old FROM pairs) GROUP BY employer),
moved AS (
    SELECT p.old, p.new, any_value(h.before) AS before,
           count(DISTINCT s.employee) AS moved, rows_of('employment', list(s.id)) AS ev
    FROM pairs p JOIN headcount h ON h.employer = p.old
    JOIN staff s ON s.employer = p.new
    JOIN (SELECT DISTINCT employer, employee FROM staff) was
      ON was.employer = p.old AND was.employee = s.employee
    WHERE s.startDate BETWEEN p.closed - INTERVAL ($days) DAY
                          AND p.closed + INTERVAL ($days) DAY
    GROUP BY p.old, p.new, p.closed)
SELECT new AS subject_id, 0.5 + moved / before / 2 AS strength,
       printf('took over %d of %d workers of %s, closed nearby in time', moved, before, old)
       AS value,
       ev || [{'tbl': 'company', 'id': old}] AS evidence
FROM moved
WHERE before > 0 AND moved >= $share_moved * before
