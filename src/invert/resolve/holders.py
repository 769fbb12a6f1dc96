"""Who holds each bank account, with the basis for saying so.

Bank statements and FIU reports name an account's holder ("BOUWBEDRIJF PETERS B.V.") but
rarely give a registration number, and a region's register holds many firms of one name. A
name that fits one company or person only is enough; for the others the records themselves
decide, in this order:

1. ``stated``: the source gives the holder's id (a mapping with a holder reference);
2. ``pays_wages``: the account paid the net wages of one employer's payslips (to the IBAN on
   the payslip, for the net amount, within a few days of the pay date) at least twice, pays
   for no other employer, and bears that employer's name or none: a payroll provider paying
   for many firms is never taken for one of them;
3. ``only_namesake``: the holder's name fingerprint is that of one company or person only;
4. ``tied_namesake``: of several firms of the holder's name, only one shares a director, a
   phone or an e-mail address with a firm whose account this one pays or is paid by: the
   contractor that pays its own subcontractor, not its namesake across town.

The table ``account_holder(account, holder, kind, basis, detail)`` (temporary, rebuilt on each
call) is what every query about a company's or a person's own money reads.
"""

from __future__ import annotations

import duckdb

PAY_DAYS = 5  # a wage transfer within this many days of the payslip's pay date
MIN_WAGES = 2  # payslips an account must have paid to be taken for the employer's

HOLDERS = f"""
WITH account AS (
    SELECT id, min(holder) AS holder, min(holderName_key) AS name_key
    FROM bank_account GROUP BY id),
kinds AS (
    SELECT DISTINCT id, 'company' AS kind FROM company
    UNION SELECT DISTINCT id, 'person' FROM person),
named AS (  -- the companies and people of each name fingerprint (records of one registered
            -- firm are one firm, resolved or not)
    SELECT DISTINCT name_key, id, coalesce(registrationNumber, id) AS firm, 'company' AS kind
    FROM company WHERE name_key IS NOT NULL
    UNION SELECT DISTINCT name_key, id, id, 'person' FROM person WHERE name_key IS NOT NULL),
stated AS (
    SELECT a.id AS account, a.holder, coalesce(k.kind, 'company') AS kind,
           'stated' AS basis, 'holder given by the source' AS detail, 1 AS rank
    FROM account a LEFT JOIN (SELECT id, min(kind) AS kind FROM kinds GROUP BY id) k
      ON k.id = a.holder
    WHERE a.holder IS NOT NULL),
wage AS (  -- payslips paid into an account, with the account's id
    SELECT DISTINCT w.id, w.employer, w.net, w.paymentDate, b.id AS paid_into
    FROM wage_payment w JOIN bank_account b ON b.iban = w.iban
    WHERE w.employer IS NOT NULL AND w.net > 0 AND w.paymentDate IS NOT NULL),
paid AS (  -- the accounts the transfers of those net wages came from
    SELECT t.payerAccount AS account, w.employer, count(DISTINCT w.id) AS n
    FROM wage w JOIN "transaction" t
      ON t.beneficiaryAccount = w.paid_into AND t.amount = w.net
     AND t.date BETWEEN w.paymentDate - {PAY_DAYS} AND w.paymentDate + {PAY_DAYS}
    WHERE t.payerAccount IS NOT NULL AND t.payerAccount <> w.paid_into
    GROUP BY ALL),
pays_wages AS (
    SELECT p.account, any_value(p.employer) AS holder, 'company' AS kind,
           'pays_wages' AS basis,
           printf('paid the net wages of %d of its payslips', any_value(p.n)) AS detail,
           2 AS rank
    FROM paid p JOIN account a ON a.id = p.account
    GROUP BY p.account
    HAVING count(*) = 1 AND any_value(p.n) >= {MIN_WAGES}
       AND (any_value(a.name_key) IS NULL OR any_value(a.name_key) IN (
            SELECT name_key FROM named WHERE id = any_value(p.employer)))),
only_namesake AS (
    SELECT a.id AS account, min(n.id) AS holder, min(n.kind) AS kind,
           'only_namesake' AS basis, 'the only company or person of that name' AS detail,
           3 AS rank
    FROM account a JOIN named n ON n.name_key = a.name_key
    GROUP BY a.id HAVING count(DISTINCT (n.firm, n.kind)) = 1),
known AS (
    SELECT account, arg_min(holder, rank) AS holder FROM (
        SELECT * FROM stated UNION ALL SELECT * FROM pays_wages
        UNION ALL SELECT * FROM only_namesake)
    GROUP BY account),
open AS (  -- accounts named after several firms, not settled above
    SELECT a.id AS account, a.name_key FROM account a
    WHERE a.name_key IN (SELECT name_key FROM named WHERE kind = 'company'
                         GROUP BY name_key HAVING count(DISTINCT firm) > 1)
      AND a.id NOT IN (SELECT account FROM known)),
counterpart AS (  -- the known holders of the accounts an open account pays or is paid by
    SELECT DISTINCT o.account, k.holder AS other
    FROM open o JOIN "transaction" t ON t.payerAccount = o.account
    JOIN known k ON k.account = t.beneficiaryAccount
    UNION
    SELECT DISTINCT o.account, k.holder
    FROM open o JOIN "transaction" t ON t.beneficiaryAccount = o.account
    JOIN known k ON k.account = t.payerAccount),
tie AS (
    SELECT d.organization AS company, d.director AS key,
           'director ' || coalesce(p.name, d.director) AS what
    FROM directorship d LEFT JOIN (SELECT id, mode(name) AS name FROM person GROUP BY id) p
      ON p.id = d.director
    WHERE d.organization IS NOT NULL AND d.director IS NOT NULL
    UNION SELECT id, phone, 'phone ' || phone FROM company WHERE phone IS NOT NULL
    UNION SELECT id, lower(email), 'e-mail ' || lower(email) FROM company
    WHERE email IS NOT NULL),
candidate AS (
    SELECT o.account, n.id AS holder, n.firm, min(y.what) AS what, min(c.other) AS other
    FROM open o JOIN named n ON n.name_key = o.name_key AND n.kind = 'company'
    JOIN counterpart c ON c.account = o.account AND c.other <> n.id
    JOIN tie x ON x.company = n.id JOIN tie y ON y.key = x.key AND y.company = c.other
    GROUP BY o.account, n.id, n.firm),
tied_namesake AS (
    SELECT c.account, any_value(c.holder) AS holder, 'company' AS kind,
           'tied_namesake' AS basis,
           printf('the only firm of that name sharing a %s with %s, whose account it deals with',
                  any_value(c.what), coalesce(any_value(co.name), any_value(c.other)))
           AS detail, 4 AS rank
    FROM candidate c
    LEFT JOIN (SELECT id, mode(name) AS name FROM company GROUP BY id) co ON co.id = c.other
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
