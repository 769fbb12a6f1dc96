"""Who holds each bank account, with the basis for saying so.

Bank statements and FIU reports name an account's holder ("BOUWBEDRIJF PETERS B.V.") but
rarely give a registration number, and a region's register holds many firms of one name. The
first of these that applies decides:

1. ``stated``: the source gives the holder's id (a mapping with a holder reference);
2. ``pays_wages``: the account paid the net wages of one employer's payslips (to the IBAN on
   the payslip, for the net amount, within a few days of the pay date) at least twice in the
   employer's last two months of payslips, paid no other employer's then, and bears that
   employer's name or none: a payroll provider paying for many firms is never taken for one
   of them;
3. ``only_namesake``: the holder's name fingerprint is that of one company or person only;
4. ``tied_namesake``: of several firms of the holder's name, only one shares a director, a
   phone or an e-mail address with a firm whose account this one pays or is paid by: the
   contractor that pays its own subcontractor, not its namesake across town.

The table ``account_holder(account, holder, kind, basis, detail)`` (temporary, rebuilt on each
call) is what every query about a company's or a person's own money reads. At L (18 million
payments, 9 million payslips) it takes about 14 s and 4.5 GB.
"""

from __future__ import annotations

import duckdb

PAY_DAYS = 5  # a wage transfer within this many days of the payslip's pay date
MIN_WAGES = 2  # payslips an account must have paid to be taken for the employer's
RECENT_DAYS = 62  # the employer's payslips paid this many days before its last pay date, or later

HOLDERS = f"""
WITH account AS (
    SELECT id, min(holder) AS holder, min(holderName_key) AS name_key
    FROM bank_account GROUP BY id),
named AS MATERIALIZED (  -- the companies and people of each name fingerprint (the records of
                         -- one registered firm are one firm, resolved or not)
    SELECT DISTINCT name_key, id, coalesce(registrationNumber, id) AS firm, 'company' AS kind
    FROM company WHERE name_key IS NOT NULL
    UNION SELECT DISTINCT name_key, id, id, 'person' FROM person WHERE name_key IS NOT NULL),
stated AS MATERIALIZED (
    SELECT id AS account, holder,
           CASE WHEN holder IN (SELECT id FROM person) THEN 'person' ELSE 'company' END AS kind,
           'stated' AS basis, 'holder given by the source' AS detail, 1 AS rank
    FROM account WHERE holder IS NOT NULL),
latest AS (  -- each employer's last pay date: its last weeks of payslips show which account
             -- pays them (matching all nine million payslips at L took a quarter of a minute)
    SELECT employer, max(paymentDate) AS day FROM wage_payment
    WHERE employer IS NOT NULL AND net > 0 GROUP BY employer),
wage AS MATERIALIZED (  -- those payslips, with the id of the account paid into
    SELECT w.id, w.employer, w.net, w.paymentDate, b.id AS paid_into
    FROM wage_payment w JOIN latest l ON l.employer = w.employer
    JOIN (SELECT DISTINCT iban, id FROM bank_account) b ON b.iban = w.iban
    WHERE w.net > 0 AND w.paymentDate > l.day - {RECENT_DAYS}),
paid AS MATERIALIZED (  -- the accounts the transfers of those net wages came from
    SELECT t.payerAccount AS account, w.employer, count(DISTINCT w.id) AS n
    FROM wage w JOIN "transaction" t
      ON t.beneficiaryAccount = w.paid_into AND t.amount = w.net
     AND t.date BETWEEN w.paymentDate - {PAY_DAYS} AND w.paymentDate + {PAY_DAYS}
    WHERE t.payerAccount IS NOT NULL AND t.payerAccount <> w.paid_into
    GROUP BY ALL),
payer AS (  -- accounts that paid the wages of one employer only, often enough
    SELECT account, any_value(employer) AS employer, any_value(n) AS n FROM paid
    GROUP BY account HAVING count(*) = 1 AND any_value(n) >= {MIN_WAGES}),
pays_wages AS MATERIALIZED (  -- ... and bear its name, or none
    SELECT p.account, p.employer AS holder, 'company' AS kind, 'pays_wages' AS basis,
           printf('paid the net wages of %d of its payslips', p.n) AS detail, 2 AS rank
    FROM payer p JOIN account a ON a.id = p.account
    WHERE a.name_key IS NULL
       OR EXISTS (SELECT 1 FROM named m WHERE m.id = p.employer AND m.name_key = a.name_key)),
unique_name AS (  -- names of one firm or one person only (counted before any join: a common
                  -- name has thousands of people and of accounts)
    SELECT name_key, min(id) AS id, min(kind) AS kind FROM named GROUP BY name_key
    HAVING count(DISTINCT (firm, kind)) = 1),
only_namesake AS MATERIALIZED (
    SELECT a.id AS account, u.id AS holder, u.kind, 'only_namesake' AS basis,
           'the only company or person of that name' AS detail, 3 AS rank
    FROM account a JOIN unique_name u ON u.name_key = a.name_key),
known AS MATERIALIZED (
    SELECT account, arg_min(holder, rank) AS holder FROM (
        SELECT * FROM stated UNION ALL SELECT * FROM pays_wages
        UNION ALL SELECT * FROM only_namesake)
    GROUP BY account),
open AS MATERIALIZED (  -- accounts named after several firms, not settled above
    SELECT a.id AS account, a.name_key FROM account a
    WHERE a.name_key IN (SELECT name_key FROM named WHERE kind = 'company'
                         GROUP BY name_key HAVING count(DISTINCT firm) > 1)
      AND a.id NOT IN (SELECT account FROM known)),
dealt AS (  -- the payments of those accounts, in or out, in one pass
    SELECT CASE WHEN o.account IS NOT NULL THEN t.payerAccount ELSE t.beneficiaryAccount END
           AS account,
           CASE WHEN o.account IS NOT NULL THEN t.beneficiaryAccount ELSE t.payerAccount END
           AS other_account
    FROM "transaction" t LEFT JOIN open o ON o.account = t.payerAccount
    WHERE t.payerAccount IN (SELECT account FROM open)
       OR t.beneficiaryAccount IN (SELECT account FROM open)),
counterpart AS MATERIALIZED (  -- the known holders of the accounts an open account deals with
    SELECT DISTINCT d.account, k.holder AS other
    FROM dealt d JOIN known k ON k.account = d.other_account),
namesake AS (  -- the firms each open account may belong to
    SELECT DISTINCT o.account, n.id, n.firm
    FROM open o JOIN named n ON n.name_key = o.name_key AND n.kind = 'company'),
involved AS MATERIALIZED (SELECT id FROM namesake UNION SELECT other FROM counterpart),
tie AS MATERIALIZED (  -- directors, phones and e-mails of those firms only
    SELECT d.organization AS company, d.director AS key,
           'director ' || coalesce(p.name, d.director) AS what
    FROM directorship d
    LEFT JOIN (SELECT id, mode(name) AS name FROM person
               WHERE id IN (SELECT director FROM directorship
                            WHERE organization IN (SELECT id FROM involved))
               GROUP BY id) p ON p.id = d.director
    WHERE d.organization IN (SELECT id FROM involved) AND d.director IS NOT NULL
    UNION SELECT id, phone, 'phone ' || phone FROM company
    WHERE id IN (SELECT id FROM involved) AND phone IS NOT NULL
    UNION SELECT id, lower(email), 'e-mail ' || lower(email) FROM company
    WHERE id IN (SELECT id FROM involved) AND email IS NOT NULL),
pair AS (  -- each namesake with each firm the account deals with, and the namesake's ties
    SELECT n.account, n.id, n.firm, c.other, x.key, x.what
    FROM namesake n JOIN counterpart c ON c.account = n.account AND c.other <> n.id
    JOIN tie x ON x.company = n.id),
candidate AS (  -- the namesakes that share one of those ties with such a firm
    SELECT p.account, p.id AS holder, p.firm, min(p.what) AS what, min(p.other) AS other
    FROM pair p JOIN tie y ON y.company = p.other AND y.key = p.key
    GROUP BY p.account, p.id, p.firm),
tied_namesake AS (
    SELECT c.account, any_value(c.holder) AS holder, 'company' AS kind,
           'tied_namesake' AS basis,
           printf('the only firm of that name sharing a %s with %s, whose account it deals with',
                  any_value(c.what), coalesce(any_value(co.name), any_value(c.other)))
           AS detail, 4 AS rank
    FROM candidate c
    LEFT JOIN (SELECT id, coalesce(mode(name) FILTER (
                    WHERE NOT contains(name, coalesce(registrationNumber, chr(0)))),
                    min(name)) AS name
               FROM company
               WHERE id IN (SELECT other FROM candidate) GROUP BY id) co ON co.id = c.other
    GROUP BY c.account HAVING count(DISTINCT c.firm) = 1)
SELECT account, arg_min(holder, rank) AS holder, arg_min(kind, rank) AS kind,
       arg_min(basis, rank) AS basis, arg_min(detail, rank) AS detail
FROM (SELECT * FROM stated UNION ALL SELECT * FROM pays_wages
      UNION ALL SELECT * FROM only_namesake UNION ALL SELECT * FROM tied_namesake)
GROUP BY account
"""


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the temporary table ``account_holder`` on ``con``."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE account_holder AS {HOLDERS}")
