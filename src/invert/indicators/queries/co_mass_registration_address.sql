-- Active companies per normalised registered address.
WITH active AS (
    SELECT id, address_key FROM company
    WHERE address_key IS NOT NULL AND dissolutionDate IS NULL),
crowded AS (
    SELECT address_key, count(DISTINCT id) AS firms FROM active GROUP BY address_key
    HAVING count(DISTINCT id) >= $min_firms)
SELECT a.id AS subject_id, 0.5 + (c.firms - $min_firms) / (4.0 * $min_firms) AS strength,
       printf('one of %d active companies registered at %s', c.firms, a.address_key) AS value,
       [{'tbl': 'company', 'id': a.id}] AS evidence
FROM active a JOIN crowded c USING (address_key)
