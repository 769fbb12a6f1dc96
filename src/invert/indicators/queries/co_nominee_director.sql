-- Directors (resolved persons) with many active directorships or
-- many appointments within a year; every company they direct is flagged.
WITH seats AS (
    SELECT d.id, d.organization, d.startDate, d.endDate, d.director, p.name
    FROM directorship d
    LEFT JOIN (SELECT id, min(name) AS name FROM person GROUP BY id) p ON p.id = d.director
    WHERE d.director IS NOT NULL),
counted AS (
    SELECT director, name,
           count(*) FILTER (WHERE endDate IS NULL) OVER (PARTITION BY director)
           AS active,
           count(*) OVER (PARTITION BY director ORDER BY startDate
                          RANGE BETWEEN INTERVAL 365 DAY PRECEDING AND CURRENT ROW) AS new_in_year
    FROM seats WHERE startDate IS NOT NULL),
nominees AS (
    SELECT director, min(name) AS name, max(active) AS active, max(new_in_year) AS new_in_year
    FROM counted GROUP BY director
    HAVING max(active) >= $max_active OR max(new_in_year) >= $max_new_in_year)
SELECT s.organization AS subject_id,
       0.5 + greatest(max(n.active) - $max_active, max(n.new_in_year) - $max_new_in_year) / 10
       AS strength,
       printf('director %s holds %d active directorships, %d appointed within a year',
              coalesce(any_value(n.name), any_value(n.director)), max(n.active), max(n.new_in_year)) AS value,
       rows_of('directorship', list(s.id)) AS evidence
FROM seats s JOIN nominees n ON n.director = s.director
GROUP BY s.organization
