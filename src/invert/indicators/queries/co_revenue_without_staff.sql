-- Revenue from labour-service work (construction, staffing, cleaning, farm work, catering) with no
-- registered staff, or far more revenue per registered employee than such work allows.
WITH co AS (  -- one row per company (several sources may describe the same one)
    SELECT id, max(revenue) AS revenue, max(headcount) AS headcount,
           regexp_replace(upper(any_value(sector)), '[^A-Z0-9.]', '', 'g') AS code
    FROM company GROUP BY id HAVING max(revenue) > 0),
coded AS (SELECT *, nace(code) AS nace FROM co),
staff AS (
    SELECT employer, count(DISTINCT employee) AS employees FROM employment
    WHERE employer IS NOT NULL GROUP BY employer),
loaded AS (SELECT count(*) > 0 AS yes FROM staff),
judged AS (
    SELECT c.*,
           coalesce(c.headcount = 0 OR (c.headcount IS NULL AND s.employees IS NULL AND l.yes),
                    FALSE) AND c.revenue >= $min_revenue AS no_staff,
           c.revenue / nullif(c.headcount, 0) AS per_head
    FROM coded c CROSS JOIN loaded l LEFT JOIN staff s ON s.employer = c.id
    WHERE regexp_matches(c.nace, $sectors))
SELECT id AS subject_id,
       CASE WHEN no_staff THEN 0.5 + 0.5 * log10(revenue / $min_revenue)
            ELSE 0.5 * per_head / $max_revenue_per_employee END AS strength,
       CASE WHEN no_staff
            THEN printf('revenue %.0f € in sector %s with %s', revenue, nace,
                        CASE WHEN headcount = 0 THEN 'no registered employees'
                             ELSE 'no headcount and no employment records' END)
            ELSE printf('revenue %.0f € per registered employee (%d employees, sector %s) '
                        || 'against at most %.0f €', per_head, headcount, nace,
                        $max_revenue_per_employee::DOUBLE) END AS value,
       [{'tbl': 'company', 'id': id}] AS evidence
FROM judged
WHERE no_staff OR per_head > $max_revenue_per_employee
