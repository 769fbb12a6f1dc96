-- Accounts that paid or were paid by an account named in a trafficking-coded STR transaction,
-- directly or through one intermediary that is not a hub (the 2-hop part of str_prior_ht_report).
-- Only transfers touching the reported accounts, then their counterparties, are read: the links
-- and degrees of the accounts on a path, not of every account pair in the case.
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
transfers AS (  -- money between two different accounts
    SELECT id, payerAccount AS a, beneficiaryAccount AS b FROM "transaction"
    WHERE payerAccount IS NOT NULL AND beneficiaryAccount IS NOT NULL
      AND payerAccount <> beneficiaryAccount),
hop1 AS (  -- undirected links of reported accounts to others, one example transaction each
    SELECT x.other AS account, x.origin, r.report, r.tx AS rtx, [min(x.id)] AS path
    FROM (SELECT a AS origin, b AS other, id FROM transfers
          WHERE a IN (SELECT account FROM reported)
          UNION ALL
          SELECT b, a, id FROM transfers WHERE b IN (SELECT account FROM reported)) x
    JOIN reported r ON r.account = x.origin
    WHERE x.other NOT IN (SELECT account FROM reported)
    GROUP BY x.other, x.origin, r.report, r.tx),
degree1 AS (  -- counterparties of the accounts one hop away
    SELECT account, count(DISTINCT other) AS n
    FROM (SELECT a AS account, b AS other FROM transfers WHERE a IN (SELECT account FROM hop1)
          UNION ALL
          SELECT b, a FROM transfers WHERE b IN (SELECT account FROM hop1))
    GROUP BY account),
via AS (  -- non-hub accounts one hop away, through which a second hop is followed
    SELECT account FROM degree1 WHERE n <= $max_degree),
links2 AS (  -- their undirected links, one example transaction each
    SELECT account, other, min(id) AS tx
    FROM (SELECT a AS account, b AS other, id FROM transfers
          WHERE a IN (SELECT account FROM via)
          UNION ALL
          SELECT b, a, id FROM transfers WHERE b IN (SELECT account FROM via))
    GROUP BY account, other),
hop2 AS (
    SELECT l.other AS account, h.origin, h.report, h.rtx, h.path || [l.tx] AS path
    FROM hop1 h JOIN links2 l ON l.account = h.account
    WHERE l.other NOT IN (SELECT account FROM reported) AND l.other <> h.origin),
near AS (
    SELECT *, 1 AS hops FROM hop1
    UNION ALL
    SELECT *, 2 FROM hop2 WHERE account NOT IN (SELECT account FROM hop1)),
degree2 AS (  -- counterparties of the accounts reached on the second hop only
    SELECT account, count(DISTINCT other) AS n
    FROM (SELECT a AS account, b AS other FROM transfers
          WHERE a IN (SELECT account FROM near WHERE hops = 2)
          UNION ALL
          SELECT b, a FROM transfers WHERE b IN (SELECT account FROM near WHERE hops = 2))
    GROUP BY account),
degree AS (SELECT * FROM degree1 UNION ALL SELECT * FROM degree2)
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
