-- Pairs (predecessor, successor) linked by an officer or the registered address, where the
-- successor employs at least half of the predecessor's workers soon after it closes.
WITH firms AS (
    SELECT id, any_value(address_key) AS address_key, max(incorporationDate) AS founded,
           max(dissolutionDate) AS closed
    FROM company GROUP BY id),
officers AS (
    SELECT DISTINCT d.organization, p.name_key, p.birthDate
    FROM directorship d JOIN person p ON p.id = d.director),
pairs AS (
    SELECT DISTINCT old.id AS old, new.id AS new, old.closed
    FROM firms old JOIN firms new
      ON new.id <> old.id AND old.closed IS NOT NULL AND new.founded IS NOT NULL
     AND new.founded BETWEEN old.closed - INTERVAL 180 DAY AND old.closed + INTERVAL ($days) DAY
    WHERE old.address_key = new.address_key
       OR EXISTS (SELECT 1 FROM officers a JOIN officers b
                    ON a.name_key = b.name_key AND a.birthDate IS NOT DISTINCT FROM b.birthDate
                  WHERE a.organization = old.id AND b.organization = new.id)),
staff AS (SELECT DISTINCT employee, employer, startDate, id FROM employment),
moved AS (
    SELECT p.old, p.new,
           (SELECT count(DISTINCT employee) FROM staff WHERE employer = p.old) AS before,
           count(DISTINCT s.employee) AS moved, list({'tbl': 'employment', 'id': s.id}) AS ev
    FROM pairs p JOIN staff s ON s.employer = p.new
     AND s.startDate BETWEEN p.closed - INTERVAL ($days) DAY AND p.closed + INTERVAL ($days) DAY
     AND s.employee IN (SELECT employee FROM staff WHERE employer = p.old)
    GROUP BY p.old, p.new, p.closed)
SELECT new AS subject_id, 0.5 + moved / before / 2 AS strength,
       printf('took over %d of %d workers of %s, closed nearby in time', moved, before, old)
       AS value,
       ev || [{'tbl': 'company', 'id': old}] AS evidence
FROM moved
WHERE before > 0 AND moved >= $share_moved * before
