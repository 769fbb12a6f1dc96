-- Pass-through firms of a subcontract chain: work comes in from clients and most of its value
-- goes out again to suppliers in the same period (on the same site where both contracts say),
-- while the firm itself employs hardly anyone. Betweenness is approximated by the number of
-- distinct client → firm → supplier pairs, compared with the firms of the subcontract graph.
-- Without contracts, the money shows the same: a firm's account pays another firm for labour
-- ($labour_purpose: hire of staff, agency work) while outside payers pay it, in the same
-- months; those firms are judged on the share passed on and their staff alone.
WITH contract AS (
    SELECT id, client, supplier, site_key, startDate, endDate, value, currency,
           'subcontract' AS tbl, rows_of('subcontract', [id]) AS ev, TRUE AS labour
    FROM subcontract
    WHERE client IS NOT NULL AND supplier IS NOT NULL AND client <> supplier),
firm_account AS (SELECT account, holder FROM account_holder WHERE kind = 'company'),
hire AS MATERIALIZED (  -- payments between two firms' accounts, the labour ones kept
    SELECT t.id, p.holder AS client, b.holder AS supplier, t.date, t.amount, t.currency
    FROM "transaction" t JOIN firm_account p ON p.account = t.payerAccount
    JOIN firm_account b ON b.account = t.beneficiaryAccount
    WHERE p.holder <> b.holder AND t.amount > 0 AND t.date IS NOT NULL
      AND regexp_matches(lower(t.purpose), $labour_purpose)),
hirer_account AS (
    SELECT account, holder FROM firm_account WHERE holder IN (SELECT client FROM hire)),
paid_in AS (  -- what outside payers paid the firms that hire labour (own transfers left out)
    SELECT t.id, coalesce(ph.holder, t.payerAccount) AS client, h.holder AS supplier, t.date,
           t.amount, t.currency
    FROM "transaction" t JOIN hirer_account h ON h.account = t.beneficiaryAccount
    LEFT JOIN account_holder ph ON ph.account = t.payerAccount
    WHERE t.amount > 0 AND t.date IS NOT NULL AND t.payerAccount IS NOT NULL
      AND ph.holder IS DISTINCT FROM h.holder),
paid AS (
    SELECT *, TRUE AS labour FROM hire UNION ALL SELECT *, FALSE FROM paid_in),
edge AS (
    SELECT * FROM contract
    UNION ALL
    SELECT 'payments ' || client || ' > ' || supplier, client, supplier, NULL, min(date),
           max(date), sum(amount), min(currency), 'transaction',
           rows_of('transaction', list(id ORDER BY amount DESC, id)[1:20]), bool_or(labour)
    FROM paid GROUP BY client, supplier),
through AS (  -- an incoming and an outgoing contract (of labour) of one firm that overlap
    SELECT i.supplier AS firm, i.client, o.supplier, i.id AS in_id, o.id AS out_id,
           o.tbl = 'transaction' AS by_money
    FROM edge i JOIN edge o ON o.client = i.supplier
    WHERE o.supplier <> i.client AND o.labour
      AND (i.site_key IS NULL OR o.site_key IS NULL OR i.site_key = o.site_key)
      AND (i.endDate IS NULL OR o.startDate IS NULL OR o.startDate <= i.endDate)
      AND (i.startDate IS NULL OR o.endDate IS NULL OR o.endDate >= i.startDate)),
paths AS (  -- every firm of the subcontract graph, most of them with no path through them
    SELECT f.firm, count(DISTINCT [t.client, t.supplier]) FILTER (WHERE t.client IS NOT NULL)
           AS paths, coalesce(bool_or(t.by_money), FALSE) AS by_money
    FROM (SELECT client AS firm FROM contract UNION SELECT supplier FROM contract
          UNION SELECT supplier FROM paid) f
    LEFT JOIN through t USING (firm)
    GROUP BY f.firm),
cut AS (  -- the contract graph's cut; firms seen through payments only are not ranked by it
    SELECT quantile_disc(paths, $percentile) AS paths FROM paths
    WHERE firm IN (SELECT client FROM contract UNION SELECT supplier FROM contract)),
taken AS (  -- the contracts in that have a contract out, and the period they cover
    SELECT t.firm, sum(e.value) AS value, count(DISTINCT e.client) AS clients,
           arg_max(e.client, e.value) AS main_client,
           list(e.currency) AS currencies,
           min(e.startDate) AS first_day, max(e.endDate) AS last_day,
           flatten(list(e.ev)) AS ev
    FROM (SELECT DISTINCT firm, in_id FROM through) t JOIN edge e ON e.id = t.in_id
    GROUP BY t.firm),
passed AS (
    SELECT t.firm, sum(e.value) AS value, count(DISTINCT e.supplier) AS suppliers,
           list(e.currency) AS currencies, flatten(list(e.ev)) AS ev
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
co AS (  -- a firm's name as most sources give it, a name made of its number only if no other
    SELECT id, coalesce(mode(name) FILTER (
               WHERE NOT contains(name, coalesce(registrationNumber, chr(0)))),
               min(name)) AS name,
           max(headcount) AS headcount
    FROM company GROUP BY id),
judged AS (
    SELECT t.firm, t.value AS value_in, t.clients, t.ev AS in_ev, n.by_money,
           CASE WHEN array_length(list_distinct(t.currencies || p.currencies)) = 1
                THEN ' ' || list_distinct(t.currencies || p.currencies)[1] ELSE '' END
           AS currency,
           coalesce(c.name, pa.name, t.main_client) AS client_name, p.value AS value_out, p.suppliers,
           p.ev AS out_ev,
           CASE WHEN l.yes THEN coalesce(s.staff, 0) ELSE f.headcount END AS staff
    FROM taken t JOIN passed p USING (firm) JOIN paths n USING (firm)
    CROSS JOIN cut CROSS JOIN loaded l
    LEFT JOIN staff s USING (firm) LEFT JOIN co f ON f.id = t.firm
    LEFT JOIN co c ON c.id = t.main_client
    LEFT JOIN (SELECT id, min(holderName) AS name FROM bank_account GROUP BY id) pa
      ON pa.id = t.main_client
    WHERE (n.paths >= cut.paths OR n.by_money) AND t.value > 0
      AND p.value >= $min_passed_share * t.value)
SELECT firm AS subject_id, 1 - 0.5 * staff / greatest($max_staff, 1) AS strength,
       printf('takes %,.0f%s %s from %s%s and passes %,.0f%s (%.0f%%) to %d '
              || 'supplier(s), with %d staff of its own', value_in, currency,
              CASE WHEN by_money THEN 'in payments' ELSE 'of subcontracts' END, client_name,
              CASE WHEN clients > 1 THEN printf(' and %d other client(s)', clients - 1)
                   ELSE '' END,
              value_out, currency, 100 * value_out / value_in, suppliers, staff) AS value,
       list_distinct(in_ev || out_ev) AS evidence
FROM judged
WHERE staff <= $max_staff
