-- Pay withheld: whole calendar months of employment without a payslip between paid months
-- (arrears), payslips with hours worked but nothing paid, and pay arriving several periods late.
WITH spells AS (
    SELECT id, employee, employer, startDate, coalesce(endDate, DATE '9999-12-31') AS endDate
    FROM employment
    WHERE employee IS NOT NULL AND employer IS NOT NULL AND startDate IS NOT NULL),
pairs AS (SELECT DISTINCT employee, employer FROM spells),
attributed AS (  -- payslips of employments; one naming no employer counts for each of them
    SELECT w.id, w.employee, w.employer, w.periodStart AS ps,
           coalesce(w.periodEnd, last_day(w.periodStart)) AS pe
    FROM wage_payment w SEMI JOIN pairs p ON p.employee = w.employee AND p.employer = w.employer
    WHERE w.periodStart IS NOT NULL
    UNION ALL
    SELECT w.id, w.employee, p.employer, w.periodStart,
           coalesce(w.periodEnd, last_day(w.periodStart))
    FROM wage_payment w JOIN pairs p ON p.employee = w.employee
    WHERE w.periodStart IS NOT NULL AND w.employer IS NULL),
ordered AS (  -- the latest pay period end before each payslip of the same employment
    SELECT *, max(pe) OVER before AS paid_until, lag(id) OVER before_one AS previous
    FROM attributed
    WINDOW before AS (PARTITION BY employee, employer ORDER BY ps, id
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
           before_one AS (PARTITION BY employee, employer ORDER BY ps, id)),
holes AS (  -- whole calendar months between the last paid period and the next payslip
    SELECT employee, employer, id, previous, CAST(m AS DATE) AS month
    FROM ordered,
         unnest(generate_series(date_trunc('month', paid_until) + INTERVAL 1 MONTH,
                                date_trunc('month', ps) - INTERVAL 1 MONTH,
                                INTERVAL 1 MONTH)) AS t(m)
    WHERE ps > paid_until + 28),
gaps AS (  -- ... that an employment covers
    SELECT h.employee, h.month,
           [{'tbl': 'employment', 'id': min(s.id)}, {'tbl': 'wage_payment', 'id': h.previous},
            {'tbl': 'wage_payment', 'id': h.id}] AS ev
    FROM holes h JOIN spells s ON s.employee = h.employee AND s.employer = h.employer
    WHERE s.startDate <= h.month AND s.endDate >= last_day(h.month)
    GROUP BY h.employee, h.employer, h.month, h.previous, h.id),
slips AS (
    SELECT id, employee, periodStart AS ps, coalesce(periodEnd, last_day(periodStart)) AS pe,
           paymentDate, hoursWorked, gross, net
    FROM wage_payment
    WHERE employee IS NOT NULL AND periodStart IS NOT NULL
      AND (hoursWorked > 0 AND (gross = 0 OR net = 0) OR paymentDate IS NOT NULL)),
signs AS (
    SELECT employee, 'gap' AS kind, month AS day, 0.0 AS hours, ev FROM gaps
    UNION ALL
    SELECT employee, 'unpaid', ps, hoursWorked, [{'tbl': 'wage_payment', 'id': id}] FROM slips
    WHERE hoursWorked > 0 AND (gross = 0 OR net = 0)
    UNION ALL
    SELECT employee, 'late', ps, 0.0, [{'tbl': 'wage_payment', 'id': id}] FROM slips
    WHERE pe >= ps AND paymentDate - pe > $arrears_periods * (pe - ps + 1)),
counted AS (
    SELECT employee, count(DISTINCT day) FILTER (WHERE kind = 'gap') AS gaps,
           list_sort(list(DISTINCT strftime(day, '%Y-%m')) FILTER (WHERE kind = 'gap')) AS months,
           count(*) FILTER (WHERE kind = 'unpaid') AS unpaid,
           sum(hours) FILTER (WHERE kind = 'unpaid') AS hours,
           count(*) FILTER (WHERE kind = 'late') AS late,
           list_sort(list_distinct(flatten(list(ev)))) AS evidence
    FROM signs GROUP BY employee)
SELECT employee AS subject_id, 0.4 + (gaps + unpaid + late) / 8 AS strength,
       concat_ws('; ',
           CASE WHEN gaps > 0
                THEN printf('%d month(s) of employment without pay between paid months (%s)',
                            gaps, array_to_string(months, ', ')) END,
           CASE WHEN unpaid > 0
                THEN printf('%d payslip(s) with %.0f hours worked and nothing paid', unpaid, hours)
                END,
           CASE WHEN late > 0
                THEN printf('%d payslip(s) paid more than %d pay periods late', late,
                            $arrears_periods) END) AS value,
       evidence
FROM counted
WHERE gaps + unpaid + late >= $min_periods
