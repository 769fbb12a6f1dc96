-- Accounts receiving repeated payments from many different payers within a window.
WITH credits AS (
    SELECT id, beneficiaryAccount AS account, payerAccount AS payer, date FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND payerAccount IS NOT NULL),
windows AS (  -- per account and month: payers paying at least twice
    SELECT account, date_trunc('month', date) AS month, payer, count(*) AS times,
           list({'tbl': 'transaction', 'id': id}) AS ev
    FROM credits GROUP BY ALL HAVING count(*) >= $min_each),
crowded AS (
    SELECT account, month, count(*) AS payers, flatten(list(ev)) AS ev
    FROM windows GROUP BY account, month HAVING count(*) >= $min_payers)
SELECT account AS subject_id, 0.5 + (max(payers) - $min_payers) / 10 AS strength,
       printf('%d payers paying repeatedly in one month (%d months)', max(payers), count(*))
       AS value,
       flatten(list(ev)) AS evidence
FROM crowded
-- business accounts (paid by customers) are not private collector accounts
WHERE account NOT IN (SELECT DISTINCT payerAccount FROM "transaction"
                      WHERE regexp_matches(lower(purpose), 'salaris|salary|loon|wage'))
GROUP BY account
