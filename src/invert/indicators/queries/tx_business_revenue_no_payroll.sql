-- Company accounts with outside revenue of at least $min_monthly in $months or more months while
-- no account of the company pays wages, payroll taxes or the accounts its payslips name. Only
-- accounts whose own described debits show in as many months count (else absence says nothing).
WITH accounts AS (
    SELECT account, holder AS company FROM account_holder WHERE kind = 'company'),
revenue AS (
    SELECT t.id, ca.account, ca.company, date_trunc('month', t.date) AS mon, t.amount
    FROM "transaction" t JOIN accounts ca ON ca.account = t.beneficiaryAccount
    LEFT JOIN accounts own ON own.account = t.payerAccount AND own.company = ca.company
    WHERE own.account IS NULL AND t.date IS NOT NULL),
months AS (
    SELECT account, company, mon, sum(amount) AS total,
           rows_of('transaction', list(id ORDER BY amount DESC, id))[1:20] AS ev
    FROM revenue GROUP BY account, company, mon HAVING sum(amount) >= $min_monthly),
active AS (
    SELECT account, company, count(*) AS n, sum(total) AS total, min(mon) AS first,
           max(mon) AS last, flatten(list(ev ORDER BY mon)) AS ev
    FROM months GROUP BY account, company HAVING count(*) >= $months),
debit_months AS (  -- the account's own statement, with payment texts, is in the case
    SELECT t.payerAccount AS account, count(DISTINCT date_trunc('month', t.date)) AS n
    FROM "transaction" t JOIN active a ON a.account = t.payerAccount
    WHERE t.date IS NOT NULL AND nullif(trim(t.purpose), '') IS NOT NULL GROUP BY 1),
candidates AS (  -- only these companies' payments need reading for payroll
    SELECT a.* FROM active a JOIN debit_months d ON d.account = a.account AND d.n >= $months),
their_accounts AS (
    SELECT account, company FROM accounts WHERE company IN (SELECT company FROM candidates)),
paid AS MATERIALIZED (  -- their payments first, the text test on these only
    SELECT ca.company, t.purpose, t.beneficiaryAccount
    FROM "transaction" t JOIN their_accounts ca ON ca.account = t.payerAccount),
wage_accounts AS (  -- accounts receiving the company's wages according to its payslips
    SELECT DISTINCT w.employer AS company, a.id AS account
    FROM wage_payment w JOIN bank_account a ON a.iban = w.iban
    WHERE w.employer IN (SELECT company FROM candidates)),
payroll AS (
    SELECT DISTINCT company FROM paid WHERE regexp_matches(lower(purpose), $payroll)
    UNION
    SELECT DISTINCT p.company FROM paid p
    JOIN wage_accounts wa ON wa.account = p.beneficiaryAccount AND wa.company = p.company)
SELECT a.account AS subject_id, 0.4 + (a.n - $months) / 12 AS strength,
       printf('revenue of %.2f in %d months (%s to %s) and no wage, payroll-tax or payslip '
              || 'payments from any account of the company', a.total, a.n,
              strftime(a.first, '%Y-%m'), strftime(a.last, '%Y-%m')) AS value,
       [{'tbl': 'company', 'id': a.company}] || a.ev AS evidence
FROM candidates a
LEFT JOIN payroll p ON p.company = a.company
WHERE p.company IS NULL
