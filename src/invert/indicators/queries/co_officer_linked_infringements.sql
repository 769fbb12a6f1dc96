-- Companies whose director (the same resolved person) was director of another firm when an inspection there found breaches, in the 36 months before the latest one.
WITH ppl AS (
    SELECT id, min(name) AS name FROM person GROUP BY id),
co AS (
    SELECT id, min(name) AS name, coalesce(any_value(registrationNumber), id) AS firm
    FROM company GROUP BY id),
seats AS (
    SELECT d.id, d.organization, d.startDate, d.endDate, coalesce(p.name, d.director) AS who,
           d.director AS who_key,
           coalesce(c.firm, d.organization) AS firm
    FROM directorship d LEFT JOIN ppl p ON p.id = d.director
    LEFT JOIN co c ON c.id = d.organization
    WHERE d.director IS NOT NULL AND d.organization IS NOT NULL),
latest AS (SELECT max(date) AS day FROM inspection),
breached AS (
    SELECT i.id, i.employer, i.date,
           list_filter(coalesce(i.findings, []), x -> NOT regexp_matches(x, $clean, 'i'))
           || CASE WHEN i.workersUndeclared > 0
                   THEN [printf('%d undeclared workers', i.workersUndeclared)] ELSE [] END
           AS breaches
    FROM inspection i, latest
    WHERE i.employer IS NOT NULL AND i.date >= latest.day - INTERVAL ($months) MONTH),
tainted AS (  -- directors in office at a firm on the day an inspection found breaches there
    SELECT s.who_key, s.who, s.firm, s.id AS seat, b.employer, b.id AS inspection, b.date,
           b.breaches, coalesce(c.name, b.employer) AS employer_name
    FROM breached b JOIN seats s ON s.organization = b.employer
    LEFT JOIN co c ON c.id = b.employer
    WHERE array_length(b.breaches) > 0
      AND (s.startDate IS NULL OR s.startDate <= b.date)
      AND (s.endDate IS NULL OR s.endDate >= b.date))
SELECT s.organization AS subject_id, 0.4 + 0.2 * count(DISTINCT t.inspection) AS strength,
       printf('director %s also directed %s, where inspections found: %s (last on %s)',
              arg_max(t.who, (t.date, t.who)),
              array_to_string(list_sort(list_distinct(list(t.employer_name))), ', '),
              array_to_string(list_sort(list_distinct(flatten(list(t.breaches)))), ', '),
              max(t.date)) AS value,
       list_distinct(rows_of('directorship', list(s.id))
                     || rows_of('directorship', list(t.seat))
                     || rows_of('inspection', list(t.inspection))) AS evidence
FROM seats s JOIN tainted t ON t.who_key = s.who_key AND t.firm <> s.firm
GROUP BY s.organization
