-- Housing, transport and food coming from the employer: a home provided or owned by an employer
-- of the worker, and payslip deductions labelled as housing, transport or food.
WITH landlords AS (  -- who provides or owns each home a worker lives in
    SELECT r.id, r.resident, r.provider AS landlord FROM residence r
    WHERE r.resident IS NOT NULL AND r.provider IS NOT NULL
    UNION
    SELECT r.id, r.resident, a.owner FROM residence r JOIN address a ON a.id = r.address
    WHERE r.resident IS NOT NULL AND a.owner IS NOT NULL),
employed AS (  -- ... when that is also their employer
    SELECT DISTINCT employee, employer FROM (
        SELECT e.employee, e.employer FROM employment e
        SEMI JOIN landlords l ON l.resident = e.employee AND l.landlord = e.employer
        UNION ALL
        SELECT w.employee, w.employer FROM wage_payment w
        SEMI JOIN landlords l ON l.resident = w.employee AND l.landlord = w.employer)),
provided AS (
    SELECT DISTINCT l.resident AS person, l.id FROM landlords l
    JOIN employed m ON m.employee = l.resident AND m.employer = l.landlord),
deducted AS (  -- each payslip once, with the kinds its deductions pay for
    SELECT employee AS person, id,
           list_filter([CASE WHEN regexp_matches(labels, $housing) THEN 'housing' END,
                        CASE WHEN regexp_matches(labels, $transport) THEN 'transport' END,
                        CASE WHEN regexp_matches(labels, $food) THEN 'food' END],
                       k -> k IS NOT NULL) AS kinds
    FROM (SELECT employee, id, lower(array_to_string(deductionType, ' | ')) AS labels
          FROM wage_payment WHERE employee IS NOT NULL AND array_length(deductionType) > 0)),
signs AS (
    SELECT person, 'housing' AS kind, 'a home provided by the employer' AS how,
           {'tbl': 'residence', 'id': id} AS ev
    FROM provided
    UNION ALL
    SELECT person, kind, kind || ' deductions', {'tbl': 'wage_payment', 'id': id}
    FROM (SELECT person, id, unnest(kinds) AS kind FROM deducted WHERE array_length(kinds) > 0)),
dependent AS (  -- a first cut: workers with at least the number of kinds asked for
    SELECT person FROM signs GROUP BY person HAVING count(DISTINCT kind) >= $min_kinds),
kinds AS (
    SELECT person, kind, array_to_string(list_sort(list_distinct(list(how))), ' and ') AS how,
           count(*) FILTER (WHERE ev.tbl = 'wage_payment') AS slips, list(ev) AS ev
    FROM signs SEMI JOIN dependent USING (person)
    GROUP BY person, kind)
SELECT person AS subject_id, 0.3 + 0.2 * count(*) AS strength,
       printf('depends on the employer for %s',
              array_to_string(list_sort(list(printf('%s (%s%s)', kind, how,
                                                    CASE WHEN slips > 0
                                                         THEN printf(' in %d payslip(s)', slips)
                                                         ELSE '' END))), ', ')) AS value,
       list_sort(list_distinct(flatten(list(ev)))) AS evidence
FROM kinds
GROUP BY person
