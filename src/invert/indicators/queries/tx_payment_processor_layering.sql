-- Months with $min_credits or more small P2P/processor credits, followed (up to $days days after
-- the last) by crypto purchases or bill payments from the same account.
WITH small_in AS (
    SELECT id, beneficiaryAccount AS account, date, amount FROM "transaction"
    WHERE beneficiaryAccount IS NOT NULL AND date IS NOT NULL AND amount < $max_amount
      AND (channel = 'p2p' OR regexp_matches(lower(purpose), $processors))),
months AS (
    SELECT account, date_trunc('month', date) AS mon, count(*) AS n, sum(amount) AS total,
           min(date) AS first, max(date) AS last,
           rows_of('transaction', list(id ORDER BY date, id)) AS ev
    FROM small_in GROUP BY account, mon HAVING count(*) >= $min_credits),
onward AS (
    SELECT id, payerAccount AS account, date, amount FROM "transaction"
    WHERE payerAccount IS NOT NULL AND date IS NOT NULL
      AND (channel = 'crypto' OR regexp_matches(lpad(trim(mcc), 4, '0'), $onward_mcc)
           OR regexp_matches(lower(purpose), $onward))),
layered AS (
    SELECT m.account, m.mon, m.n, m.total, m.ev, count(*) AS outs, sum(o.amount) AS out_total,
           rows_of('transaction', list(o.id ORDER BY o.date, o.id)) AS out_ev
    FROM months m JOIN onward o
      ON o.account = m.account AND o.date >= m.first AND o.date <= m.last + $days
    GROUP BY m.account, m.mon, m.n, m.total, m.ev)
SELECT account AS subject_id,
       0.5 + (max(n) - $min_credits) / 20 + least(max(out_total / total), 1) / 5 AS strength,
       printf('%d P2P/processor credits under %.0f (%.2f) in one month, then %d crypto or bill '
              || 'payment(s) (%.2f); %d such month(s)', max(n), $max_amount::DOUBLE,
              arg_max(total, n), arg_max(outs, n), arg_max(out_total, n), count(*)) AS value,
       flatten(list(ev || out_ev ORDER BY mon)) AS evidence
FROM layered GROUP BY account
