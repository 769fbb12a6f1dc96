-- Accounts that paid or were paid by an account named in a trafficking-coded STR transaction,
-- directly or through one intermediary that is not a hub (the 2-hop part of str_prior_ht_report).
WITH ht AS (
    SELECT id FROM report
    WHERE regexp_matches(lower(coalesce(reason, '') || ' '
                         || array_to_string(coalesce(indicators, []), ' ')), $trafficking)),
named AS (
    SELECT t.id, t.report, t.payerAccount AS account
    FROM "transaction" t JOIN ht ON ht.id = t.report
    UNION ALL
    SELECT t.id, t.report, t.beneficiaryAccount FROM "transaction" t JOIN ht ON ht.id = t.report),
reported AS (
    SELECT account, min(report) AS report, min(id) AS tx FROM named
    WHERE account IS NOT NULL GROUP BY account),
edges AS (
    SELECT payerAccount AS a, beneficiaryAccount AS b, min(id) AS tx FROM "transaction"
    WHERE payerAccount IS NOT NULL AND beneficiaryAccount IS NOT NULL
      AND payerAccount <> beneficiaryAccount
    GROUP BY ALL),
links AS (  -- undirected, one example transaction per pair
    SELECT a, b, min(tx) AS tx
    FROM (SELECT a, b, tx FROM edges UNION ALL SELECT b, a, tx FROM edges) GROUP BY a, b),
degree AS (SELECT a AS account, count(*) AS n FROM links GROUP BY a),
hop1 AS (
    SELECT l.b AS account, l.a AS origin, r.report, r.tx AS rtx, [l.tx] AS path
    FROM links l JOIN reported r ON r.account = l.a
    LEFT JOIN reported x ON x.account = l.b WHERE x.account IS NULL),
hop2 AS (
    SELECT l.b AS account, h.origin, h.report, h.rtx, h.path || [l.tx] AS path
    FROM hop1 h JOIN degree d ON d.account = h.account AND d.n <= $max_degree
    JOIN links l ON l.a = h.account
    LEFT JOIN reported x ON x.account = l.b
    WHERE x.account IS NULL AND l.b <> h.origin),
near AS (
    SELECT *, 1 AS hops FROM hop1
    UNION ALL
    SELECT *, 2 FROM hop2 WHERE account NOT IN (SELECT account FROM hop1))
SELECT n.account AS subject_id,
       CASE WHEN min(hops) = 1 THEN 0.6 + (count(DISTINCT origin) - 1) / 10
            ELSE 0.3 + (count(DISTINCT origin) - 1) / 20 END AS strength,
       printf('exchanged money with %d account(s) named in trafficking STRs, %s',
              count(DISTINCT origin),
              CASE WHEN min(hops) = 1 THEN 'directly' ELSE 'through one intermediary' END)
       AS value,
       list_transform(list_sort(list_distinct(list(report))), x -> {'tbl': 'report', 'id': x})
       || list_transform(list_sort(list_distinct(flatten(list([rtx] || path)))),
                         x -> {'tbl': 'transaction', 'id': x}) AS evidence
FROM near n JOIN degree d ON d.account = n.account AND d.n <= $max_degree
GROUP BY n.account
