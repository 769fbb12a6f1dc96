-- Pass-through firms of a subcontract chain: work comes in from clients and most of its value
-- goes out again to suppliers in the same period (on the same site where both contracts say),
-- while the firm itself employs hardly anyone. Betweenness is approximated by the number of
-- distinct client → firm → supplier pairs, compared with the firms of the subcontract graph.
WITH edge AS (
    SELECT id, client, supplier, site_key, startDate, endDate, value, currency
    FROM subcontract
    WHERE client IS NOT NULL AND supplier IS NOT NULL AND client <> supplier),
through AS (  -- an incoming and an outgoing contract of one firm that overlap
    SELECT i.supplier AS firm, i.client, o.supplier, i.id AS in_id, o.id AS out_id
    FROM edge i JOIN edge o ON o.client = i.supplier
    WHERE o.supplier <> i.client
      AND (i.site_key IS NULL OR o.site_key IS NULL OR i.site_key = o.site_key)
      AND (i.endDate IS NULL OR o.startDate IS NULL OR o.startDate <= i.endDate)
      AND (i.startDate IS NULL OR o.endDate IS NULL OR o.endDate >= i.startDate)),
paths AS (  -- every firm of the subcontract graph, most of them with no path through them
    SELECT f.firm, count(DISTINCT [t.client, t.supplier]) FILTER (WHERE t.client IS NOT NULL)
           AS paths
    FROM (SELECT client AS firm FROM edge UNION SELECT supplier FROM edge) f
    LEFT JOIN through t USING (firm)
    GROUP BY f.firm),
cut AS (SELECT quantile_disc(paths, $percentile) AS paths FROM paths),
taken AS (  -- the contracts in that have a contract out, and the period they cover
    SELECT t.firm, sum(e.value) AS value, count(DISTINCT e.client) AS clients,
           arg_max(e.client, e.value) AS main_client,
           list(e.currency) AS currencies,
           min(e.startDate) AS first_day, max(e.endDate) AS last_day, list(e.id) AS ids
    FROM (SELECT DISTINCT firm, in_id FROM through) t JOIN edge e ON e.id = t.in_id
    GROUP BY t.firm),
passed AS (
    SELECT t.firm, sum(e.value) AS value, count(DISTINCT e.supplier) AS suppliers,
           list(e.currency) AS currencies, list(e.id) AS ids
    FROM (SELECT DISTINCT firm, out_id FROM through) t JOIN edge e ON e.id = t.out_id
    GROUP BY t.firm),
work AS (
    SELECT employer, employee, startDate AS first_day, endDate AS last_day FROM employment
    UNION ALL
    SELECT employer, employee, periodStart, coalesce(periodEnd, periodStart) FROM wage_payment),
staff AS (  -- distinct workers employed or paid by the firm while its contracts ran
    SELECT t.firm, count(DISTINCT w.employee) AS staff
    FROM taken t JOIN work w ON w.employer = t.firm
    WHERE (t.last_day IS NULL OR w.first_day IS NULL OR w.first_day <= t.last_day)
      AND (t.first_day IS NULL OR w.last_day IS NULL OR w.last_day >= t.first_day)
    GROUP BY t.firm),
-- without any payroll records in the case, the register's headcount stands in
loaded AS (SELECT count(*) > 0 AS yes FROM (SELECT 1 FROM work LIMIT 1)),
co AS (SELECT id, min(name) AS name, max(headcount) AS headcount FROM company GROUP BY id),
judged AS (
    SELECT t.firm, t.value AS value_in, t.clients, t.ids AS in_ids,
           CASE WHEN array_length(list_distinct(t.currencies || p.currencies)) = 1
                THEN ' ' || list_distinct(t.currencies || p.currencies)[1] ELSE '' END
           AS currency,
           coalesce(c.name, t.main_client) AS client_name, p.value AS value_out, p.suppliers,
           p.ids AS out_ids,
           CASE WHEN l.yes THEN coalesce(s.staff, 0) ELSE f.headcount END AS staff
    FROM taken t JOIN passed p USING (firm) JOIN paths n USING (firm)
    CROSS JOIN cut CROSS JOIN loaded l
    LEFT JOIN staff s USING (firm) LEFT JOIN co f ON f.id = t.firm
    LEFT JOIN co c ON c.id = t.main_client
    WHERE n.paths >= cut.paths AND t.value > 0 AND p.value >= $min_passed_share * t.value)
SELECT firm AS subject_id, 1 - 0.5 * staff / greatest($max_staff, 1) AS strength,
       printf('takes %,.0f%s of subcontracts from %s%s and passes %,.0f%s (%.0f%%) to %d '
              || 'supplier(s), with %d staff of its own', value_in, currency, client_name,
              CASE WHEN clients > 1 THEN printf(' and %d other client(s)', clients - 1)
                   ELSE '' END,
              value_out, currency, 100 * value_out / value_in, suppliers, staff) AS value,
       rows_of('subcontract', list_distinct(in_ids || out_ids)) AS evidence
FROM judged
WHERE staff <= $max_staff
