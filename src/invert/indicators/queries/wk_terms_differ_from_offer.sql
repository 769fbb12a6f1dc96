-- Effective hourly pay on each payslip (gross / hours worked, else paid) against the wage agreed
-- in the employment covering it, made hourly with the contract hours per week.
WITH agreed AS (
    SELECT id, employee, employer, coalesce(startDate, DATE '0001-01-01') AS startDate,
           coalesce(endDate, DATE '9999-12-31') AS endDate, currency, wage, wagePeriod,
           CASE WHEN regexp_matches(lower(wagePeriod), $hour_words) THEN wage
                WHEN regexp_matches(lower(wagePeriod), $week_words) THEN wage / contractHours
                WHEN regexp_matches(lower(wagePeriod), $month_words)
                    THEN wage * 12 / (52 * contractHours) END AS hourly
    FROM employment
    WHERE employee IS NOT NULL AND employer IS NOT NULL AND wage > 0),
lowest AS (  -- a first cut: the lowest agreed rate between the two
    SELECT employee, employer, min(hourly) AS hourly FROM agreed WHERE hourly > 0
    GROUP BY employee, employer),
below AS (
    SELECT w.id, w.employee, w.employer, w.periodStart, w.currency,
           w.gross / coalesce(w.hoursWorked, w.hoursPaid) AS pay
    FROM wage_payment w JOIN lowest l ON l.employee = w.employee AND l.employer = w.employer
    WHERE w.gross IS NOT NULL AND coalesce(w.hoursWorked, w.hoursPaid) > 0
      AND round(w.gross / coalesce(w.hoursWorked, w.hoursPaid), 2)
          < round(l.hourly * (1 - $tolerance), 2)),
slips AS (  -- against the employment covering the payslip (the lowest rate if several do)
    SELECT w.id, w.employee, w.periodStart, w.pay, a.hourly, a.id AS spell, a.wage, a.wagePeriod
    FROM below w JOIN agreed a ON a.employee = w.employee AND a.employer = w.employer
    WHERE w.periodStart BETWEEN a.startDate AND a.endDate AND a.hourly > 0
      AND (w.currency IS NULL OR a.currency IS NULL OR w.currency = a.currency)
    QUALIFY row_number() OVER (PARTITION BY w.id ORDER BY a.hourly, a.id) = 1),
short AS (
    SELECT * FROM slips WHERE round(pay, 2) < round(hourly * (1 - $tolerance), 2))
SELECT employee AS subject_id, 0.4 + (1 - min(pay / hourly)) * 1.5 AS strength,
       printf('effective pay %.2f/h vs %.2f/h agreed (%.2f, %s) in %d payslip(s)',
              arg_min(pay, pay / hourly), arg_min(hourly, pay / hourly),
              arg_min(wage, pay / hourly), arg_min(wagePeriod, pay / hourly), count(*)) AS value,
       list_sort(list_distinct(rows_of('employment', list(spell))))
           || list_transform(list_sort(list({'day': periodStart, 'id': id})),
                             x -> {'tbl': 'wage_payment', 'id': x.id}) AS evidence
FROM short
GROUP BY employee
HAVING count(*) >= $min_periods
