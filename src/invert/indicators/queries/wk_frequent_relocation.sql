-- Moves between employers or work sites: several distinct ones within a window of days ending at
-- a new start, at least two of them taken up inside the window.
WITH records AS (  -- employment spells, and the payslips of each employer taken together
    SELECT employee, 'employer' AS kind, employer AS place, startDate AS s,
           coalesce(endDate, DATE '9999-12-31') AS e, startDate IS NOT NULL AS recorded,
           {'tbl': 'employment', 'id': id} AS ev
    FROM employment WHERE employee IS NOT NULL AND employer IS NOT NULL
    UNION ALL
    SELECT employee, 'work site', site_key, startDate, coalesce(endDate, DATE '9999-12-31'),
           startDate IS NOT NULL, {'tbl': 'employment', 'id': id}
    FROM employment WHERE employee IS NOT NULL AND site_key IS NOT NULL
    UNION ALL
    SELECT employee, 'employer', employer, min(periodStart),
           max(coalesce(periodEnd, last_day(periodStart))), false,
           {'tbl': 'wage_payment', 'id': arg_min(id, periodStart)}
    FROM wage_payment
    WHERE employee IS NOT NULL AND employer IS NOT NULL AND periodStart IS NOT NULL
    GROUP BY employee, employer),
named AS (
    SELECT id, min(name) AS name
    FROM (SELECT id, name FROM company UNION ALL SELECT id, name FROM person) GROUP BY id),
grouped AS (
    SELECT employee, kind, place, min(s) AS s, max(e) AS e, bool_or(recorded) AS recorded,
           list(ev) AS ev
    FROM records WHERE s IS NOT NULL GROUP BY employee, kind, place),
engagements AS (  -- a start counts when recorded, or seen after the worker's first record
    SELECT g.employee, g.kind, g.place, g.s, g.e, g.ev,
           CASE WHEN g.kind = 'employer' THEN coalesce(n.name, g.place) ELSE g.place END AS label,
           g.recorded OR g.s > min(g.s) OVER (PARTITION BY g.employee) AS new
    FROM grouped g LEFT JOIN named n ON n.id = g.place),
windows AS (  -- ending at each new start: who was worked for in the days before
    SELECT a.employee, a.kind, a.s AS day, count(DISTINCT b.place) AS places,
           count(DISTINCT b.place) FILTER (WHERE b.new AND b.s > a.s - $days) AS started,
           list_transform(list_sort(list({'day': b.s, 'label': b.label})), x -> x.label) AS names,
           flatten(list(b.ev)) AS ev
    FROM engagements a JOIN engagements b
      ON b.employee = a.employee AND b.kind = a.kind
    WHERE a.new AND b.s <= a.s AND b.e > a.s - $days
    GROUP BY a.employee, a.kind, a.s),
hits AS (
    SELECT w.*, row_number() OVER (PARTITION BY w.employee ORDER BY w.places DESC, w.day) AS k
    FROM windows w WHERE w.places >= $min_places AND w.started >= 2)
SELECT h.employee AS subject_id, 0.5 + (h.places - $min_places) / 4 AS strength,
       printf('%d %ss within %d days up to %s (%s)', h.places, h.kind, $days, h.day,
              array_to_string(h.names, ', ')) AS value,
       list_sort(list_distinct(h.ev)) AS evidence
FROM hits h
WHERE h.k = 1
