-- Phones and e-mails given by several people (resolved persons) who do not share a surname.
WITH contacts AS (
    SELECT id, 'phone' AS kind, phone AS contact, name_key, taxNumber, lastName FROM person
    WHERE phone IS NOT NULL
    UNION ALL
    SELECT id, 'e-mail', email, name_key, taxNumber, lastName FROM person WHERE email IS NOT NULL),
people AS (  -- one row per distinct person behind a contact
    SELECT DISTINCT kind, contact, id AS who,
           lower(coalesce(lastName, split_part(name_key, ' ', -1))) AS family, id
    FROM contacts),
shared AS (
    SELECT kind, contact, count(DISTINCT who) AS people, count(DISTINCT family) AS families
    FROM people GROUP BY kind, contact
    HAVING count(DISTINCT who) >= $min_people AND count(DISTINCT family) >= $min_people)
SELECT p.id AS subject_id, 0.5 + (s.people - $min_people) / 6 AS strength,
       printf('%s %s also given by %d other people', s.kind, s.contact, s.people - 1) AS value,
       [{'tbl': 'person', 'id': p.id}] AS evidence
FROM people p JOIN shared s USING (kind, contact)
