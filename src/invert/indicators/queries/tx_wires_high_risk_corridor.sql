-- Cash paid in and, within $days days, wired on to a country on the FATF lists (other than the
-- account's own country), counted per calendar quarter: cash in, wire out to a corridor.
WITH risky AS (
    SELECT upper(country) AS country, min(list) AS fatf_list FROM high_risk_country GROUP BY 1),
home AS (SELECT id, any_value(upper(country)) AS country FROM bank_account GROUP BY id),
cash_in AS (
    SELECT id, beneficiaryAccount AS account, date FROM "transaction"
    WHERE channel = 'cash' AND beneficiaryAccount IS NOT NULL AND date IS NOT NULL),
wires AS (
    SELECT t.id, t.payerAccount AS account, t.date, t.amount, r.country, r.fatf_list
    FROM "transaction" t JOIN risky r ON r.country = upper(t.country)
    LEFT JOIN home h ON h.id = t.payerAccount
    WHERE t.channel = 'wire' AND t.payerAccount IS NOT NULL AND t.date IS NOT NULL
      AND r.country IS DISTINCT FROM h.country),
episodes AS (  -- each corridor wire with the cash credits of the days before it
    SELECT w.id, w.account, w.date, w.amount, w.country, w.fatf_list,
           rows_of('transaction', list(c.id ORDER BY c.date, c.id)) AS cash
    FROM wires w JOIN cash_in c
      ON c.account = w.account AND c.date <= w.date AND c.date >= w.date - $days
    GROUP BY w.id, w.account, w.date, w.amount, w.country, w.fatf_list),
quarters AS (
    SELECT account, date_trunc('quarter', date) AS quarter, count(*) AS n, sum(amount) AS total,
           list(DISTINCT country) AS countries,
           bool_or(fatf_list = 'call_for_action') AS blacklisted,
           flatten(list([{'tbl': 'transaction', 'id': id}] || cash ORDER BY date, id)) AS ev
    FROM episodes GROUP BY account, quarter HAVING count(*) >= $min_times)
SELECT account AS subject_id,
       0.5 + (max(n) - $min_times) / 10 + CASE WHEN bool_or(blacklisted) THEN 0.2 ELSE 0 END
       AS strength,
       printf('%d wires (%.2f) to %s within %d days of cash deposits in one quarter '
              || '(%d such quarter(s))', max(n), arg_max(total, n),
              array_to_string(list_sort(list_distinct(flatten(list(countries)))), ', '),
              $days, count(*)) AS value,
       list_distinct(flatten(list(ev ORDER BY quarter))) AS evidence
FROM quarters GROUP BY account
