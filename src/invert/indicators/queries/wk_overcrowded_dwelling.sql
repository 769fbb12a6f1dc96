-- People living in a home at once against its rooms (space standard of the English Housing Act
-- 1985 s.326) and its floor area per person (Dutch SNF standard for migrant workers' housing).
WITH homes AS (
    SELECT id, any_value("full") AS label, max(rooms) AS rooms, max(floorArea) AS area
    FROM address GROUP BY id HAVING max(rooms) > 0 OR max(floorArea) > 0),
born AS (SELECT id, max(birthDate) AS birthDate FROM person GROUP BY id),
stays AS (
    SELECT r.id, r.resident, r.address, coalesce(r.startDate, DATE '0001-01-01') AS s,
           coalesce(r.endDate, DATE '9999-12-31') AS e
    FROM residence r JOIN homes h ON h.id = r.address
    WHERE r.resident IS NOT NULL),
moments AS (SELECT DISTINCT address, s AS day FROM stays),
latest AS (  -- ages at an undated stay are taken on the latest date the residences mention
    SELECT coalesce(max(greatest(startDate, endDate)), current_date) AS day FROM residence),
present AS (  -- who lives there at each moment someone moves in
    SELECT m.address, m.day, x.resident, min(x.id) AS residence
    FROM moments m JOIN stays x ON x.address = m.address AND x.s <= m.day AND x.e >= m.day
    GROUP BY m.address, m.day, x.resident),
counted AS (  -- as in the space standard: under 1 year no one, under 10 half a person
    SELECT p.*,
           CASE WHEN b.birthDate IS NULL THEN 1.0
                WHEN age_on(b.birthDate, CASE WHEN p.day = DATE '0001-01-01' THEN l.day
                                              ELSE p.day END) < 1 THEN 0.0
                WHEN age_on(b.birthDate, CASE WHEN p.day = DATE '0001-01-01' THEN l.day
                                              ELSE p.day END) < 10 THEN 0.5
                ELSE 1.0 END AS units
    FROM present p CROSS JOIN latest l LEFT JOIN born b ON b.id = p.resident),
occupancy AS (
    SELECT address, day, sum(units) AS units, count(*) AS people,
           list(resident) AS residents, list_sort(list(residence)) AS residences
    FROM counted GROUP BY address, day),
judged AS (
    SELECT o.*, h.label, h.rooms, h.area,
           CASE WHEN h.rooms <= array_length($persons_by_rooms) THEN $persons_by_rooms[h.rooms]
                ELSE $per_room * h.rooms END AS permitted,
           greatest(o.units / permitted, $min_area_per_person * o.units / h.area) AS ratio
    FROM occupancy o JOIN homes h ON h.id = o.address
    WHERE o.units > 0),
crowded AS (
    SELECT j.*, unnest(j.residents) AS resident FROM judged j WHERE ratio > 1),
worst AS (
    SELECT resident, max(ratio) AS ratio,
           arg_max({'day': day, 'label': label, 'people': people, 'units': units, 'rooms': rooms,
                    'permitted': permitted, 'area': area, 'address': address,
                    'residences': residences}, ratio) AS w
    FROM crowded GROUP BY resident)
SELECT resident AS subject_id, 0.4 + (ratio - 1) AS strength,
       concat_ws(', ',
           printf('%d people (%.1f by the space standard) at %s on %s', w.people, w.units,
                  w.label, CASE WHEN w.day = DATE '0001-01-01' THEN 'an unknown date'
                                ELSE strftime(w.day, '%Y-%m-%d') END),
           CASE WHEN w.rooms IS NOT NULL
                THEN printf('%d room(s) for at most %g', w.rooms, w.permitted) END,
           CASE WHEN w.area IS NOT NULL
                THEN printf('%.1f m² a person', w.area / w.units) END) AS value,
       [{'tbl': 'address', 'id': w.address}]
           || list_transform(w.residences, x -> {'tbl': 'residence', 'id': x}) AS evidence
FROM worst
