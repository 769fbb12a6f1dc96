-- NACE code in the enforcement sector list (context prior).
SELECT id AS subject_id, 1.0 AS strength, printf('sector %s', any_value(sector)) AS value,
       [{'tbl': 'company', 'id': id}] AS evidence
FROM company
WHERE regexp_matches(replace(upper(sector), ' ', ''), $sectors)
   OR regexp_matches(regexp_replace(upper(sector), '^([A-Z])(\d{2})(\d{2})$', '\1\2.\3'),
                     $sectors)
GROUP BY id
