-- Residents registered per home against its rooms (rooms from any source describing the home).
WITH homes AS (
    SELECT id, any_value("full") AS label, max(rooms) AS rooms FROM address GROUP BY id),
residents AS (
    SELECT r.address, r.id AS residence, r.resident,
           count(DISTINCT r.resident) OVER (PARTITION BY r.address) AS people
    FROM residence r)
SELECT x.resident AS subject_id,
       0.5 + (x.people - greatest($min_people, $per_room * coalesce(h.rooms, 0))) / 10 AS strength,
       printf('registered at %s with %d others%s', h.label, x.people - 1,
              CASE WHEN h.rooms IS NOT NULL THEN printf(' (%d rooms)', h.rooms) ELSE '' END)
       AS value,
       [{'tbl': 'residence', 'id': x.residence}] AS evidence
FROM residents x JOIN homes h ON h.id = x.address
WHERE x.people >= greatest($min_people, $per_room * coalesce(h.rooms, 0))
