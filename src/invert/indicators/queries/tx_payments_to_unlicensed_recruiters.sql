-- Payments into accounts held by employment/staffing agencies (NACE 78) with no licence on
-- record; only where the case holds licence data at all (else a missing licence means nothing).
WITH recruiters AS (
    SELECT DISTINCT a.account, c.id AS company, c.name
    FROM company c JOIN account_holder a ON a.holder = c.id
    WHERE nullif(trim(c.licence), '') IS NULL
      AND regexp_matches(replace(upper(c.sector), ' ', ''), $sectors)
      AND EXISTS (SELECT 1 FROM company WHERE nullif(trim(licence), '') IS NOT NULL)),
holders AS (SELECT account AS id, holder FROM account_holder),
paid AS (
    SELECT t.id, t.payerAccount AS account, t.date, t.amount, r.company, r.name
    FROM "transaction" t JOIN recruiters r ON r.account = t.beneficiaryAccount
    LEFT JOIN holders own ON own.id = t.payerAccount AND own.holder = r.company
    WHERE t.payerAccount IS NOT NULL AND own.id IS NULL)
SELECT account AS subject_id, 0.5 + 0.1 * ln(1 + coalesce(sum(amount), 0) / 100) AS strength,
       printf('%d payment(s) of %.2f to unlicensed recruitment agency %s', count(*),
              coalesce(sum(amount), 0), string_agg(DISTINCT name, ', ' ORDER BY name)) AS value,
       rows_of('company', list(DISTINCT company))
       || rows_of('transaction', list(id ORDER BY date, id)) AS evidence
FROM paid GROUP BY account
