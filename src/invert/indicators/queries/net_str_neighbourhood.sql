-- Companies within two hops of the entity graph (docs/network.md) of an account named in a
-- trafficking-coded STR, or of that account's holder. A report naming the company itself is its
-- own report (str_prior_ht_report, on its account) and is left out. Hubs (more than
-- $max_degree distinct ties: a bank's clearing account, a business centre) are not gone
-- through. A report counts $second_hop at two hops and halves every $half_life_years;
-- $full_at fresh reports one hop away make the hit certain.
WITH ht AS (
    SELECT id, any_value(reportNumber) AS number, max(submissionDate) AS submitted
    FROM report
    WHERE regexp_matches(lower(coalesce(reason, '') || ' '
                         || array_to_string(coalesce(indicators, []), ' ')), $trafficking)
    GROUP BY id),
named AS (  -- the reports' transactions and the accounts they name
    SELECT t.id, t.report, t.date, t.payerAccount AS account
    FROM "transaction" t JOIN ht ON ht.id = t.report
    UNION ALL
    SELECT t.id, t.report, t.date, t.beneficiaryAccount
    FROM "transaction" t JOIN ht ON ht.id = t.report),
seeds AS (  -- hop 0: the named accounts and their holders
    SELECT report, account AS node, account FROM named WHERE account IS NOT NULL
    UNION
    SELECT n.report, h.holder, n.account
    FROM named n JOIN account_holder h ON h.account = n.account),
hub AS (SELECT node FROM graph_membership WHERE degree > $max_degree),
link AS (  -- ties both ways, each remembered in its own direction for the text
    SELECT source AS here, target AS there, source, type, target FROM graph_edge
    UNION ALL
    SELECT target, source, source, type, target FROM graph_edge),
hop1 AS (
    SELECT s.report, s.account, s.node AS named, l.there AS node, 1 AS hops,
           [{'source': l.source, 'type': l.type, 'target': l.target}] AS ties
    FROM seeds s JOIN link l ON l.here = s.node
    WHERE s.node NOT IN (SELECT node FROM hub)),
hop2 AS (
    SELECT h.report, h.account, h.named, l.there, 2,
           list_append(h.ties, {'source': l.source, 'type': l.type, 'target': l.target})
    FROM hop1 h JOIN link l ON l.here = h.node
    WHERE h.node NOT IN (SELECT node FROM hub)),
near AS (  -- the shortest way from each report to each company; a named company is at hop 0
    SELECT report, node, min(hops) AS hops,
           first(account ORDER BY hops, named, ties) AS account,
           first(named ORDER BY hops, named, ties) AS named,
           first(ties ORDER BY hops, named, ties) AS ties
    FROM (SELECT report, account, node AS named, node, 0 AS hops, [] AS ties FROM seeds
          UNION ALL SELECT * FROM hop1
          UNION ALL SELECT * FROM hop2)
    WHERE node IN (SELECT node FROM graph_node WHERE kind = 'company')
    GROUP BY report, node),
day AS (
    SELECT coalesce(greatest((SELECT max(submissionDate) FROM report),
                             (SELECT max(date) FROM "transaction")), current_date) AS d),
dated AS (
    SELECT ht.id AS report, any_value(ht.number) AS number,
           coalesce(any_value(ht.submitted), max(n.date)) AS submitted
    FROM ht JOIN named n ON n.report = ht.id GROUP BY ht.id),
label AS (SELECT node, any_value(coalesce(label, node)) AS label FROM graph_node GROUP BY node),
weighed AS (
    SELECT n.node AS company, n.report, n.hops, n.account, n.named, n.ties, r.number,
           r.submitted,
           CASE WHEN n.hops = 1 THEN 1.0 ELSE $second_hop END
           * pow(0.5, greatest(date_diff('day', r.submitted, day.d), 0) / 365.25
                      / $half_life_years) AS weight
    FROM near n JOIN dated r USING (report) CROSS JOIN day
    WHERE n.hops > 0),
steps AS (  -- the ties in words, from the named node to the company
    SELECT s.company, s.report,
           string_agg(coalesce(a.label, s.tie.source) || ' ' || s.tie.type || ' '
                      || coalesce(b.label, s.tie.target), '; ' ORDER BY s.step) AS path
    FROM (SELECT company, report, u.tie, u.step
          FROM (SELECT company, report,
                       unnest(list_transform(ties, (t, i) -> {'tie': t, 'step': i})) AS u
                FROM weighed)) s
    LEFT JOIN label a ON a.node = s.tie.source LEFT JOIN label b ON b.node = s.tie.target
    GROUP BY ALL),
told AS (
    SELECT w.company, w.weight, w.hops,
           printf('STR %s of %s names account %s%s; %s', coalesce(w.number, w.report),
                  w.submitted, coalesce(a.label, w.account),
                  CASE WHEN w.named <> w.account THEN ' held by ' || coalesce(h.label, w.named)
                       ELSE '' END, s.path) AS value
    FROM weighed w JOIN steps s USING (company, report)
    LEFT JOIN label a ON a.node = w.account LEFT JOIN label h ON h.node = w.named),
proof AS (  -- the reports, their transactions naming the account, and the entities on the way
    SELECT company, 'report' AS tbl, report AS id FROM weighed
    UNION ALL
    SELECT w.company, 'transaction', n.id
    FROM weighed w JOIN named n ON n.report = w.report AND n.account = w.account
    UNION ALL
    SELECT p.company, CASE g.kind WHEN 'account' THEN 'bank_account' ELSE g.kind END, p.node
    FROM (SELECT company, unnest(flatten(list_transform(ties, t -> [t.source, t.target]))
                                 || [account, named]) AS node
          FROM weighed) p
    JOIN graph_node g ON g.node = p.node AND g.kind IN ('person', 'company', 'account')),
evidence AS (
    SELECT company, list({'tbl': tbl, 'id': id} ORDER BY tbl, id) AS evidence
    FROM (SELECT DISTINCT * FROM proof) GROUP BY company)
SELECT t.company AS subject_id, sum(t.weight) / $full_at AS strength,
       printf('%d trafficking-coded STR(s) within %d hop(s), strongest: %s', count(*),
              max(t.hops), arg_max(t.value, t.weight)) AS value,
       any_value(e.evidence) AS evidence
FROM told t JOIN evidence e USING (company)
GROUP BY t.company
