-- Workers whose job at one firm ends and whose job at a related firm starts within $window_days
-- of that end (either side: paper transfers often overlap). Firms are related when they share a
-- director or a registered address that few firms use. Both firms of a flow are flagged, with
-- the direction and the number of workers; records with one registration number are one firm.
WITH firm AS (
    SELECT id, min(name) AS name, coalesce(any_value(registrationNumber), id) AS firm_key
    FROM company GROUP BY id),
moves AS (
    SELECT a.employee AS worker, a.employer AS origin, b.employer AS destination,
           b.startDate AS day, a.id AS old_job, b.id AS new_job
    FROM employment a JOIN employment b ON b.employee = a.employee
    JOIN firm fa ON fa.id = a.employer JOIN firm fb ON fb.id = b.employer
    WHERE fa.firm_key <> fb.firm_key
      AND abs(date_diff('day', a.endDate, b.startDate)) <= $window_days
      AND (a.startDate IS NULL OR b.startDate > a.startDate)),
pairs AS (SELECT DISTINCT origin, destination FROM moves),
names AS (
    SELECT id, min(name) AS name FROM person GROUP BY id
    UNION ALL
    SELECT id, name FROM firm),
-- only the pairs workers moved between are looked at, so a director of hundreds of firms
-- costs no more than his seats
ties AS (
    SELECT p.origin, p.destination, 'director ' || coalesce(n.name, a.director) AS what,
           rows_of('directorship', [a.id, b.id]) AS rows
    FROM pairs p JOIN directorship a ON a.organization = p.origin
    JOIN directorship b ON b.organization = p.destination AND b.director = a.director
    LEFT JOIN names n ON n.id = a.director
    UNION ALL
    SELECT p.origin, p.destination, 'registered address ' || a.address,
           rows_of('company', [a.id, b.id])
    FROM pairs p JOIN company a ON a.id = p.origin
    JOIN company b ON b.id = p.destination AND b.address_key = a.address_key
    WHERE a.address_key IN (SELECT address_key FROM company GROUP BY address_key
                            HAVING count(DISTINCT coalesce(registrationNumber, id))
                                   <= $max_firms_at_address)),
tied AS (
    SELECT origin, destination, min(what) AS what, count(DISTINCT what) AS n,
           list_distinct(flatten(list(rows))) AS rows
    FROM ties GROUP BY ALL),
flows AS (
    SELECT m.origin, m.destination, count(DISTINCT m.worker) AS workers,
           min(m.day) AS first_day, max(m.day) AS last_day,
           list_distinct(list(m.old_job) || list(m.new_job)) AS jobs
    FROM moves m SEMI JOIN tied t USING (origin, destination)
    GROUP BY ALL HAVING count(DISTINCT m.worker) >= $min_workers),
told AS (
    SELECT f.origin, f.destination, f.workers,
           printf('%d workers moved from %s to %s, each starting within %d days of leaving '
                  || '(%s); the firms share %s%s', f.workers,
                  coalesce(o.name, f.origin), coalesce(d.name, f.destination),
                  $window_days::INT,
                  CASE WHEN f.first_day = f.last_day THEN 'on ' || f.first_day
                       ELSE f.first_day || ' to ' || f.last_day END, t.what,
                  CASE WHEN t.n > 1 THEN printf(' and %d more tie(s)', t.n - 1) ELSE '' END)
           AS value,
           rows_of('employment', f.jobs) || t.rows AS evidence
    FROM flows f JOIN tied t USING (origin, destination)
    LEFT JOIN firm o ON o.id = f.origin LEFT JOIN firm d ON d.id = f.destination),
sides AS (
    SELECT origin AS company, * FROM told
    UNION ALL
    SELECT destination, * FROM told)
SELECT company AS subject_id, max(workers) / $full_at AS strength,
       string_agg(value, '; ' ORDER BY workers DESC, value) AS value,
       list_distinct(flatten(list(evidence))) AS evidence
FROM sides GROUP BY company
