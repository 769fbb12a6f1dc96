-- A work permit tied to the employer together with another sign in the same employment: pay below
-- the minimum wage, deductions above a share of gross pay, or more hours worked than paid.
WITH tied AS (
    SELECT id, employee, employer, permitType, coalesce(startDate, DATE '0001-01-01') AS s,
           coalesce(endDate, DATE '9999-12-31') AS e
    FROM employment
    WHERE permitEmployerTied AND employee IS NOT NULL AND employer IS NOT NULL),
slips AS (
    SELECT min(t.id) AS spell, w.id, w.employee, w.periodStart, w.gross, w.deductions,
           w.hoursPaid, w.hoursWorked, w.gross / coalesce(w.hoursWorked, w.hoursPaid) AS pay
    FROM tied t JOIN wage_payment w ON w.employee = t.employee AND w.employer = t.employer
    WHERE w.periodStart BETWEEN t.s AND t.e
    GROUP BY ALL),
minimum AS (
    SELECT s.id, m.rate
    FROM slips s JOIN person p ON p.id = s.employee
    JOIN minimum_wage m
      ON m.country = $country AND s.periodStart >= m.valid_from AND s.periodStart < m.valid_to
     AND age_on(p.birthDate, s.periodStart) >= m.age_from
     AND age_on(p.birthDate, s.periodStart) < m.age_to
    WHERE p.birthDate IS NOT NULL),
signs AS (
    SELECT s.spell, 'low' AS kind, s.id, s.periodStart, s.pay AS measure, m.rate AS against
    FROM slips s JOIN (SELECT id, min(rate) AS rate FROM minimum GROUP BY id) m ON m.id = s.id
    WHERE s.pay < m.rate * (1 - $min_tolerance)
    UNION ALL
    SELECT spell, 'deducted', id, periodStart, deductions / gross, NULL FROM slips
    WHERE gross > 0 AND deductions / gross > $deduction_share
    UNION ALL
    SELECT spell, 'hours', id, periodStart, hoursWorked, hoursPaid FROM slips
    WHERE hoursPaid > 0 AND hoursWorked > hoursPaid * (1 + $hours_tolerance)),
kinds AS (
    SELECT spell, kind, count(*) AS n,
           CASE kind
               WHEN 'low' THEN printf('pay %.2f €/h vs minimum %.2f €/h',
                                      min(measure), arg_min(against, measure))
               WHEN 'deducted' THEN printf('deductions up to %.0f%% of gross pay',
                                           100 * max(measure))
               ELSE printf('%.0f hours worked vs %.0f paid', sum(measure), sum(against)) END
               AS what,
           list(id) AS ids
    FROM signs GROUP BY spell, kind)
SELECT t.employee AS subject_id, 0.4 + 0.2 * count(DISTINCT k.kind) AS strength,
       printf('permit tied to the employer (%s) with %s',
              coalesce(any_value(t.permitType), 'type not given'),
              array_to_string(list_sort(list(printf('%s in %d payslip(s)', k.what, k.n))),
                              '; ')) AS value,
       list_distinct(rows_of('employment', list(t.id)))
           || list_transform(list_sort(list_distinct(flatten(list(k.ids)))),
                             x -> {'tbl': 'wage_payment', 'id': x}) AS evidence
FROM kinds k JOIN tied t ON t.id = k.spell
GROUP BY t.employee
