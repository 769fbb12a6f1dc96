-- Labour providers (NACE 78, or suppliers invoicing labour supply) without a licence on record;
-- judged only where the case holds licence data for some company.
WITH co AS (  -- one row per company (several sources may describe the same one)
    SELECT id, min(name) AS name, any_value(licence) AS licence,
           regexp_replace(upper(any_value(sector)), '[^A-Z0-9.]', '', 'g') AS code
    FROM company GROUP BY id),
coded AS (SELECT *, nace(code) AS nace FROM co),
loaded AS (SELECT count(*) > 0 AS yes FROM company WHERE licence IS NOT NULL),
supply AS (  -- contracts that supply or hire out workers
    SELECT supplier, any_value(description) AS description, list(id) AS ids FROM subcontract
    WHERE supplier IS NOT NULL AND regexp_matches(description, $labour_supply, 'i')
    GROUP BY supplier),
judged AS (
    SELECT c.*, s.description, s.ids, coalesce(regexp_matches(c.nace, $sectors), FALSE) AS agency
    FROM coded c CROSS JOIN loaded l LEFT JOIN supply s ON s.supplier = c.id
    WHERE l.yes
      AND (c.licence IS NULL OR trim(c.licence) = ''
           OR regexp_matches(c.licence, $no_licence, 'i')))
SELECT id AS subject_id,
       CASE WHEN agency AND ids IS NOT NULL THEN 1.0 WHEN agency THEN 0.8 ELSE 0.7 END AS strength,
       printf('%s, licence: %s',
              concat_ws(' and ',
                        CASE WHEN agency THEN 'labour provider (sector ' || nace || ')' END,
                        CASE WHEN ids IS NOT NULL
                             THEN printf('supplies labour under %d contract(s) ("%s")', array_length(ids),
                                         description) END),
              coalesce(nullif(trim(licence), ''), 'none on record')) AS value,
       [{'tbl': 'company', 'id': id}]
       || list_transform(coalesce(ids, []), x -> {'tbl': 'subcontract', 'id': x}) AS evidence
FROM judged
WHERE agency OR ids IS NOT NULL
