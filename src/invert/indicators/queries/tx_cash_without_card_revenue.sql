-- Company accounts whose outside credits are at least $share cash (by amount) for $months or more
-- consecutive months: cash takings without card or transfer receipts.
WITH accounts AS (  -- accounts held by a company
    SELECT account, holder AS company FROM account_holder WHERE kind = 'company'),
credits AS (  -- credits from outside the company (not its own transfers)
    SELECT t.id, ca.account, date_trunc('month', t.date) AS mon, t.date, t.amount,
           coalesce(t.channel = 'cash', false) AS cash
    FROM "transaction" t JOIN accounts ca ON ca.account = t.beneficiaryAccount
    LEFT JOIN accounts own ON own.account = t.payerAccount AND own.company = ca.company
    WHERE own.account IS NULL AND t.date IS NOT NULL AND t.amount > 0),
monthly AS (
    SELECT account, mon, sum(amount) AS total, sum(amount) FILTER (WHERE cash) AS cash,
           rows_of('transaction', list(id ORDER BY date, id) FILTER (WHERE cash)) AS ev
    FROM credits GROUP BY account, mon HAVING count(*) >= $min_credits),
cashy AS (  -- consecutive months get the same run number
    SELECT *, year(mon) * 12 + month(mon)
              - row_number() OVER (PARTITION BY account ORDER BY mon) AS run
    FROM monthly WHERE cash >= $share * total),
runs AS (
    SELECT account, run, count(*) AS months, min(mon) AS first, max(mon) AS last,
           sum(cash) / sum(total) AS share, flatten(list(ev ORDER BY mon)) AS ev
    FROM cashy GROUP BY account, run HAVING count(*) >= $months)
SELECT account AS subject_id, 0.5 + (max(months) - $months) / 12 AS strength,
       printf('%d consecutive months (%s to %s) with %.0f%% of credits in cash',
              max(months), strftime(arg_max(first, months), '%Y-%m'),
              strftime(arg_max(last, months), '%Y-%m'), 100 * arg_max(share, months)) AS value,
       flatten(list(ev ORDER BY first)) AS evidence
FROM runs GROUP BY account
