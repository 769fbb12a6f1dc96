-- Salary in, (almost) no living costs out: over the months an account receives salary, its card
-- payments and rent, utility and grocery debits stay below a small share of the salary credited.
-- Counts come first; evidence is gathered for the accounts that qualify only (memory at scale).
WITH salary AS (
    SELECT id, beneficiaryAccount AS account, date_trunc('month', date) AS month, amount
    FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND regexp_matches(lower(purpose), $salary)),
credited AS (
    SELECT account, count(DISTINCT month) AS months, sum(amount) AS salary,
           min(month) AS first_month, max(month) AS last_month
    FROM salary GROUP BY account HAVING count(DISTINCT month) >= $months),
living AS (  -- living costs paid from the account between its first and last salary month
    SELECT t.payerAccount AS account, sum(t.amount) AS spent, count(*) AS payments
    FROM "transaction" t JOIN credited c ON c.account = t.payerAccount
    WHERE date_trunc('month', t.date) BETWEEN c.first_month AND c.last_month
      AND (t.channel = 'card' OR regexp_matches(lower(coalesce(t.purpose, '')), $living))
    GROUP BY t.payerAccount),
hit AS (
    SELECT c.*, coalesce(l.spent, 0) AS spent, coalesce(l.payments, 0) AS payments
    FROM credited c LEFT JOIN living l USING (account)
    WHERE coalesce(l.spent, 0) < $share * c.salary)
SELECT h.account AS subject_id, 0.4 + h.months / 12 AS strength,
       printf('salary of %.2f credited in %d months; living costs paid out %.2f (%.1f%%, %d '
              || 'payment(s))', h.salary, h.months, h.spent, 100 * h.spent / h.salary,
              h.payments) AS value,
       rows_of('transaction', list_sort(list(s.id))) AS evidence
FROM hit h JOIN salary s ON s.account = h.account
GROUP BY h.account, h.months, h.salary, h.spent, h.payments
