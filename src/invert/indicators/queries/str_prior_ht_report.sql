-- Accounts in transactions an FIU report names, with the report's wording.
WITH parties AS (
    SELECT id, report, payerAccount AS account FROM "transaction" WHERE report IS NOT NULL
    UNION ALL
    SELECT id, report, beneficiaryAccount FROM "transaction" WHERE report IS NOT NULL),
reported AS (
    SELECT p.id, p.account, r.id AS report, r.reason, r.indicators
    FROM parties p JOIN report r ON r.id = p.report WHERE p.account IS NOT NULL)
SELECT account AS subject_id,
       CASE WHEN bool_or(regexp_matches(lower(coalesce(reason, '') || ' '
                         || array_to_string(coalesce(indicators, []), ' ')), $trafficking))
            THEN 1.0 ELSE 0.6 END AS strength,
       printf('in %d reported transaction(s) of %d report(s)', count(DISTINCT id),
              count(DISTINCT report)) AS value,
       rows_of('report', list(DISTINCT report))
       || rows_of('transaction', list(id)) AS evidence
FROM reported GROUP BY account
