-- Staff cost too small for the firm: below the yearly adult minimum wage per registered employee,
-- a tiny share of revenue in a labour-service sector, or revenue and staff but no payroll at all.
WITH co AS (  -- one row per company (several sources may describe the same one)
    SELECT id, max(revenue) AS revenue, max(staffCost) AS staffCost, max(headcount) AS headcount,
           any_value(status) AS status, max(dissolutionDate) AS dissolved,
           regexp_replace(upper(any_value(sector)), '[^A-Z0-9.]', '', 'g') AS code
    FROM company GROUP BY id),
coded AS (SELECT *, nace(code) AS nace FROM co),
day AS (  -- the case's latest payroll or hiring date decides which minimum wage applies
    SELECT coalesce(greatest((SELECT max(periodStart) FROM wage_payment),
                             (SELECT max(startDate) FROM employment)), current_date) AS d),
minimum AS (  -- lowest adult hourly minimum in force in the year up to that day
    SELECT min(m.rate) AS rate FROM minimum_wage m, day
    WHERE m.country = $country AND m.age_to >= 200
      AND m.valid_from <= day.d AND m.valid_to > day.d - INTERVAL 1 YEAR),
payroll AS (
    SELECT DISTINCT employer FROM wage_payment WHERE employer IS NOT NULL
    UNION
    SELECT DISTINCT employer FROM employment WHERE employer IS NOT NULL),
loaded AS (SELECT count(*) > 0 AS yes FROM payroll),
judged AS (
    SELECT c.id, c.revenue, c.staffCost, c.headcount, c.nace, m.rate,
           round(m.rate * $hours_per_year, 2) AS yearly,
           c.staffCost / nullif(c.headcount, 0) AS per_head,
           c.staffCost / nullif(c.revenue, 0) AS share,
           coalesce(c.headcount > 0
                    AND c.staffCost / c.headcount < round(m.rate * $hours_per_year, 2), FALSE)
           AS low_pay,
           coalesce(c.headcount > 0 AND c.revenue > 0 AND regexp_matches(c.nace, $sectors)
                    AND c.staffCost / c.revenue < $share, FALSE) AS low_share,
           coalesce(l.yes AND p.employer IS NULL AND c.headcount > 0 AND c.revenue > 0
                    AND c.dissolved IS NULL AND NOT regexp_matches(coalesce(c.status, ''),
                                                                  $inactive, 'i'),
                    FALSE) AS no_payroll
    FROM coded c CROSS JOIN minimum m CROSS JOIN loaded l
    LEFT JOIN payroll p ON p.employer = c.id)
SELECT id AS subject_id,
       greatest(CASE WHEN low_pay THEN 0.5 + 0.5 * (1 - per_head / yearly) END,
                CASE WHEN low_share THEN 0.5 + 0.5 * (1 - share / $share) END,
                CASE WHEN no_payroll THEN 0.3 END) AS strength,
       concat_ws('; ',
           CASE WHEN low_pay THEN printf(
               'staff cost %.0f € per registered employee (%d employees) against a yearly '
               || 'minimum of %.0f € (%.2f €/h × %.0f h)', per_head, headcount, yearly, rate,
               $hours_per_year::DOUBLE) END,
           CASE WHEN low_share THEN printf(
               'staff cost %.1f%% of revenue in sector %s (below %.0f%%)', 100 * share, nace,
               100 * $share::DOUBLE) END,
           CASE WHEN no_payroll THEN printf(
               'revenue %.0f € and %d registered employees but no payslips or employment '
               || 'records', revenue, headcount) END) AS value,
       [{'tbl': 'company', 'id': id}] AS evidence
FROM judged
WHERE low_pay OR low_share OR no_payroll
