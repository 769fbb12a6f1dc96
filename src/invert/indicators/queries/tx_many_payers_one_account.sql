-- Accounts receiving repeated payments from many different payers within a month. Counts come
-- first; the evidence lists are gathered for the accounts that qualify only, so the query
-- stays within memory on tens of millions of transactions.
WITH credits AS (
    SELECT id, beneficiaryAccount AS account, payerAccount AS payer,
           date_trunc('month', date) AS month
    FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND payerAccount IS NOT NULL),
windows AS (  -- per account and month: payers paying at least twice
    SELECT account, month, payer FROM credits GROUP BY ALL HAVING count(*) >= $min_each),
crowded AS (
    SELECT account, month, count(*) AS payers
    FROM windows GROUP BY account, month HAVING count(*) >= $min_payers),
-- business accounts (paying wages) are not private collector accounts
business AS (
    SELECT DISTINCT payerAccount AS account FROM "transaction"
    WHERE payerAccount IN (SELECT account FROM crowded)
      AND regexp_matches(lower(purpose), 'salaris|salary|loon|wage')),
hit AS (
    SELECT account, max(payers) AS payers, count(*) AS months FROM crowded
    WHERE account NOT IN (SELECT account FROM business) GROUP BY account)
SELECT h.account AS subject_id, 0.5 + (h.payers - $min_payers) / 10 AS strength,
       printf('%d payers paying repeatedly in one month (%d months)', h.payers, h.months)
       AS value,
       list({'tbl': 'transaction', 'id': c.id}) AS evidence
FROM hit h
JOIN crowded w ON w.account = h.account
JOIN windows p ON p.account = w.account AND p.month = w.month
JOIN credits c ON c.account = p.account AND c.month = p.month AND c.payer = p.payer
GROUP BY h.account, h.payers, h.months
