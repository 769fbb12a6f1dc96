-- Accounts that the earnings of many workers reach, and that send money abroad: a controller
-- gathering wages. A worker's earnings reach an account when it is the account named on their
-- payslips ("paid straight in") or when the account their wages go to pays it ("paid on");
-- accounts credited with salary transfers but named on no payslip count as one earner each.
-- Shops (card takings) and employers (salary payments out) are not controllers.
WITH home AS (
    SELECT id, any_value(iban) AS iban,
           any_value(upper(coalesce(nullif(trim(country), ''), left(iban, 2)))) AS country
    FROM bank_account GROUP BY id),
wage_account AS (
    SELECT DISTINCT w.employee AS earner, h.id AS account
    FROM wage_payment w JOIN home h ON h.iban = w.iban
    WHERE w.employee IS NOT NULL),
earner AS (
    SELECT earner, account FROM wage_account
    UNION
    SELECT 'account ' || beneficiaryAccount, beneficiaryAccount FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND regexp_matches(lower(purpose), $salary)
      AND beneficiaryAccount NOT IN (SELECT account FROM wage_account)),
pair AS (  -- money between two accounts, once per pair
    SELECT payerAccount AS payer, beneficiaryAccount AS account FROM "transaction"
    WHERE payerAccount IS NOT NULL AND beneficiaryAccount IS NOT NULL
      AND payerAccount <> beneficiaryAccount
    GROUP BY ALL),
reach AS (
    SELECT account, earner, true AS straight FROM earner
    UNION ALL
    SELECT p.account, e.earner, false FROM earner e JOIN pair p ON p.payer = e.account),
counted AS (
    SELECT account, count(DISTINCT earner) AS earners,
           count(DISTINCT earner) FILTER (WHERE straight) AS straight
    FROM reach GROUP BY account HAVING count(DISTINCT earner) >= $min_workers),
excluded AS (  -- shops and employers among the candidates
    SELECT DISTINCT beneficiaryAccount AS account FROM "transaction"
    WHERE channel = 'card' AND beneficiaryAccount IN (SELECT account FROM counted)
    UNION
    SELECT DISTINCT payerAccount FROM "transaction"
    WHERE payerAccount IN (SELECT account FROM counted)
      AND regexp_matches(lower(purpose), $salary)),
abroad AS (  -- what each remaining candidate sends to accounts or counterparties abroad
    SELECT t.payerAccount AS account, sum(t.amount) AS amount,
           string_agg(DISTINCT coalesce(b.country, upper(t.country)), ', ') AS countries,
           list(t.id ORDER BY t.date, t.id) AS ids
    FROM "transaction" t JOIN home h ON h.id = t.payerAccount
    LEFT JOIN home b ON b.id = t.beneficiaryAccount
    WHERE t.payerAccount IN (SELECT account FROM counted EXCEPT SELECT account FROM excluded)
      AND coalesce(b.country, upper(t.country)) <> h.country
    GROUP BY t.payerAccount HAVING sum(t.amount) >= $min_abroad),
hub AS (SELECT c.*, a.amount AS abroad, a.countries, a.ids FROM counted c JOIN abroad a USING (account)),
evidence AS (  -- the payslips naming the hub and the payments into it from earners' accounts
    SELECT h.account, w.id AS id, 'wage_payment' AS tbl, NULL::DOUBLE AS amount
    FROM hub h JOIN home a ON a.id = h.account JOIN wage_payment w ON w.iban = a.iban
    UNION ALL
    SELECT h.account, t.id, 'transaction', t.amount
    FROM hub h JOIN "transaction" t ON t.beneficiaryAccount = h.account
    JOIN (SELECT DISTINCT account FROM earner) e ON e.account = t.payerAccount
    WHERE t.payerAccount <> h.account)
SELECT h.account AS subject_id, 0.5 + (h.earners - $min_workers) / 20 AS strength,
       printf('the earnings of %d workers reach this account (%d paid straight in, %d paid on '
              || 'from their own accounts: %.2f); it sent %.2f abroad (%s)',
              h.earners, h.straight, h.earners - h.straight,
              coalesce(sum(e.amount), 0), h.abroad, h.countries) AS value,
       list({'tbl': e.tbl, 'id': e.id} ORDER BY e.tbl DESC, e.id)
       || rows_of('transaction', any_value(h.ids)) AS evidence
FROM hub h JOIN evidence e USING (account)
GROUP BY h.account, h.earners, h.straight, h.abroad, h.countries
