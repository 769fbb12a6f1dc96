-- Accounts receiving repeated payments from many different payers within a month. Counts come
-- first, on one fixed-size hash per account, payer and month (nearly every such triple occurs
-- once, so exact string grouping of all of them is the cost); the few hashes seen often enough
-- are then counted exactly, and evidence is gathered for the accounts that qualify only.
WITH credits AS NOT MATERIALIZED (  -- read afresh each time: cheaper than storing them all
    SELECT id, beneficiaryAccount AS account, payerAccount AS payer,
           date_trunc('month', date) AS month
    FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND payerAccount IS NOT NULL),
often AS (  -- a superset of the repeated triples: a hash collision only adds candidates
    SELECT hash(account, payer, month) AS h FROM credits
    GROUP BY h HAVING count(*) >= $min_each),
windows AS (  -- per account and month: payers paying at least $min_each times
    SELECT account, month, payer FROM credits
    WHERE hash(account, payer, month) IN (SELECT h FROM often)
    GROUP BY ALL HAVING count(*) >= $min_each),
crowded AS (
    SELECT account, month, count(*) AS payers
    FROM windows GROUP BY account, month HAVING count(*) >= $min_payers),
-- business accounts (paying wages) are not private collector accounts
paid_by_crowded AS MATERIALIZED (  -- their payments first, the text test on these only
    SELECT payerAccount AS account, purpose FROM "transaction"
    WHERE payerAccount IN (SELECT account FROM crowded)),
business AS (
    SELECT DISTINCT account FROM paid_by_crowded
    WHERE regexp_matches(lower(purpose), 'salaris|salary|loon|wage')),
hit AS (
    SELECT account, max(payers) AS payers, count(*) AS months FROM crowded
    WHERE account NOT IN (SELECT account FROM business) GROUP BY account)
SELECT h.account AS subject_id, 0.5 + (h.payers - $min_payers) / 10 AS strength,
       printf('%d payers paying repeatedly in one month (%d months)', h.payers, h.months)
       AS value,
       rows_of('transaction', list(c.id)) AS evidence
FROM hit h
JOIN crowded w ON w.account = h.account
JOIN windows p ON p.account = w.account AND p.month = w.month
JOIN credits c ON c.account = p.account AND c.month = p.month AND c.payer = p.payer
GROUP BY h.account, h.payers, h.months
