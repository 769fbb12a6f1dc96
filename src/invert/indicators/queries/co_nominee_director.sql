-- Directors (told apart by name fingerprint and birth date) with many active directorships or
-- many appointments within a year; every company they direct is flagged.
WITH seats AS (
    SELECT d.id, d.organization, d.startDate, d.endDate, p.name_key, p.birthDate
    FROM directorship d JOIN person p ON p.id = d.director),
counted AS (
    SELECT name_key, birthDate,
           count(*) FILTER (WHERE endDate IS NULL) OVER (PARTITION BY name_key, birthDate)
           AS active,
           count(*) OVER (PARTITION BY name_key, birthDate ORDER BY startDate
                          RANGE BETWEEN INTERVAL 365 DAY PRECEDING AND CURRENT ROW) AS new_in_year
    FROM seats WHERE startDate IS NOT NULL),
nominees AS (
    SELECT name_key, birthDate, max(active) AS active, max(new_in_year) AS new_in_year
    FROM counted GROUP BY ALL
    HAVING max(active) >= $max_active OR max(new_in_year) >= $max_new_in_year)
SELECT s.organization AS subject_id,
       0.5 + greatest(max(n.active) - $max_active, max(n.new_in_year) - $max_new_in_year) / 10
       AS strength,
       printf('director %s holds %d active directorships, %d appointed within a year',
              any_value(n.name_key), max(n.active), max(n.new_in_year)) AS value,
       rows_of('directorship', list(s.id)) AS evidence
FROM seats s JOIN nominees n
  ON n.name_key = s.name_key AND n.birthDate IS NOT DISTINCT FROM s.birthDate
GROUP BY s.organization
