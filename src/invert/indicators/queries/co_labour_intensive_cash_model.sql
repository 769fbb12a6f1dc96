-- Labour-heavy firms (staff cost a large share of revenue) whose own accounts take in much of
-- their money as cash: the business model HMRC links to illegal working.
WITH co AS (
    SELECT id, max(revenue) AS revenue, max(staffCost) AS staffCost FROM company GROUP BY id
    HAVING max(revenue) > 0 AND max(staffCost) > 0),
acc AS (  -- accounts held by those companies
    SELECT h.account AS id, h.holder FROM account_holder h JOIN co ON co.id = h.holder),
receipts AS (  -- money into the company's accounts, transfers between its own accounts left out
    SELECT a.holder AS company, t.id, t.amount,
           coalesce(lower(t.channel) = 'cash', FALSE)
           OR coalesce(regexp_matches(t.purpose, $cash_purpose, 'i'), FALSE) AS cash
    FROM "transaction" t JOIN acc a ON a.id = t.beneficiaryAccount
    LEFT JOIN acc p ON p.id = t.payerAccount
    WHERE t.amount > 0 AND p.holder IS DISTINCT FROM a.holder),
mix AS (
    SELECT company, count(*) AS n, sum(amount) AS total,
           coalesce(sum(amount) FILTER (WHERE cash), 0) AS cash_total,
           rows_of('transaction', list(id ORDER BY amount DESC, id) FILTER (WHERE cash))
           AS cash_rows
    FROM receipts GROUP BY company)
SELECT c.id AS subject_id,
       0.5 + (c.staffCost / c.revenue - $labour_share) + (m.cash_total / m.total - $cash_share)
       AS strength,
       printf('staff cost %.0f%% of revenue; %.0f%% of the money into its accounts came in cash '
              || '(%.0f of %.0f over %d receipts)', 100 * c.staffCost / c.revenue,
              100 * m.cash_total / m.total, m.cash_total, m.total, m.n) AS value,
       [{'tbl': 'company', 'id': c.id}] || m.cash_rows[1:50] AS evidence
FROM co c JOIN mix m ON m.company = c.id
WHERE m.n >= $min_receipts AND c.staffCost / c.revenue > $labour_share
  AND m.cash_total / m.total > $cash_share
