-- One identity, passport or tax number recorded for people who are not the same person: their
-- names differ (word order and small spelling variants aside) and so do their birth dates.
WITH people AS (
    SELECT id, min(name) AS name, arg_min(name_key, name) AS name_key,
           max(birthDate) AS birthDate
    FROM person GROUP BY id),
numbers AS (  -- the three numbers pooled; placeholders (no digit, one repeated sign) left out
    SELECT DISTINCT id, field, number FROM (
        SELECT id, field, upper(regexp_replace(raw, '[^0-9A-Za-z]', '', 'g')) AS number
        FROM (SELECT id, 'identity number' AS field, idNumber AS raw FROM person
              UNION ALL SELECT id, 'passport number', passportNumber FROM person
              UNION ALL SELECT id, 'tax number', taxNumber FROM person))
    WHERE length(number) >= 5 AND regexp_matches(number, '[0-9]')
      AND replace(number, left(number, 1), '') <> ''),
common AS (  -- numbers held by a plausible number of people
    SELECT number FROM numbers GROUP BY number HAVING count(DISTINCT id) <= $max_people),
held AS (
    SELECT n.id, n.field, n.number, p.name, p.birthDate,
           array_to_string(list_sort(string_split(p.name_key, ' ')), ' ') AS words
    FROM numbers n SEMI JOIN common c ON c.number = n.number
    JOIN people p ON p.id = n.id
    WHERE p.name_key IS NOT NULL AND p.birthDate IS NOT NULL),
pairs AS (
    SELECT a.id, a.field, a.number, b.id AS other, b.field AS other_field, b.name AS other_name,
           b.birthDate AS other_born
    FROM held a JOIN held b ON b.number = a.number AND b.id <> a.id
    WHERE jaro_winkler_similarity(a.words, b.words) < $name_similarity
      AND a.birthDate <> b.birthDate
      -- day and month swapped is a typing slip, not another person
      AND NOT (year(a.birthDate) = year(b.birthDate) AND month(a.birthDate) = day(b.birthDate)
               AND day(a.birthDate) = month(b.birthDate))),
per_number AS (
    SELECT id, field, number, count(DISTINCT other) AS others,
           array_to_string(list_sort(list(DISTINCT printf('%s (born %s, as %s)', other_name,
                                                          other_born, other_field))), '; ') AS who,
           list(DISTINCT other) AS ids
    FROM pairs GROUP BY id, field, number)
SELECT id AS subject_id, 0.6 + 0.2 * (max(others) - 1) AS strength,
       array_to_string(list_sort(list(printf('%s %s also recorded for %s', field, number, who))),
                       '; ') AS value,
       [{'tbl': 'person', 'id': id}]
           || list_transform(list_sort(list_distinct(flatten(list(ids)))),
                             x -> {'tbl': 'person', 'id': x}) AS evidence
FROM per_number
GROUP BY id
