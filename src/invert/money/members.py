"""Who belongs to a network: the ``(network, kind, entity_id)`` table profit estimates read,
and the roles derived from it (workers, controllers, their accounts).

``by community`` takes the graph stage's communities that hold a company (with their people
and accounts); ``by company`` makes one network per employer: the company, the people it
employs or pays, and their accounts.
"""

from __future__ import annotations

import re

import duckdb

from invert.money import MoneyError
from invert.money.accounts import prepare

KINDS = ("person", "company", "account")

BY_COMPANY = """
    WITH staff AS (
        SELECT employer AS network, employee AS person FROM employment
        WHERE employer IN (SELECT id FROM company) AND employee IS NOT NULL
        UNION SELECT employer, employee FROM wage_payment
        WHERE employer IN (SELECT id FROM company) AND employee IS NOT NULL)
    SELECT DISTINCT id AS network, 'company' AS kind, id AS entity_id FROM company
    WHERE id IN (SELECT network FROM staff)
    UNION SELECT network, 'person', person FROM staff
    UNION SELECT s.network, 'account', h.account FROM staff s
    JOIN account_holder h ON h.holder = s.person
    UNION SELECT h.holder, 'account', h.account FROM account_holder h
    WHERE h.holder IN (SELECT network FROM staff)"""


# The graph stage's communities that hold at least one company, with their people and accounts.
BY_COMMUNITY = """
    WITH firms AS (
        SELECT DISTINCT g.community FROM graph_membership g
        JOIN graph_node n ON n.node = g.node WHERE n.kind = 'company')
    SELECT 'community-' || g.community AS network, n.kind, n.node AS entity_id
    FROM graph_membership g JOIN graph_node n ON n.node = g.node
    WHERE n.kind IN ('person', 'company', 'account')
      AND g.community IN (SELECT community FROM firms)"""


def install(con: duckdb.DuckDBPyConnection, members: str) -> int:
    """Load the members (a table name or a SELECT) into the temp table ``network_member`` and
    derive ``network_worker(network, worker, account)`` and ``network_account(network,
    account, role)`` (role: worker, company, controller, other)."""
    prepare(con)
    if members == "by company":
        source = BY_COMPANY
    elif members == "by community":
        if not con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'graph_membership'"
        ).fetchone()[0]:
            raise MoneyError("no communities yet; run: invert network build CASE_DIR")
        source = BY_COMMUNITY
    elif re.fullmatch(r"[A-Za-z_][\w.]*", members):
        source = f"SELECT * FROM {members}"
    else:
        source = members
    try:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE network_member AS
            SELECT DISTINCT network::VARCHAR AS network, lower(kind) AS kind,
                   entity_id::VARCHAR AS entity_id FROM ({source})""")
    except duckdb.Error as exc:
        raise MoneyError(
            f"cannot read the network members ({exc}); give a table or SELECT with columns "
            "network, kind (person, company or account) and entity_id"
        ) from exc
    bad = con.execute(
        "SELECT DISTINCT kind FROM network_member WHERE kind NOT IN ('person', 'company', "
        "'account') OR kind IS NULL"
    ).fetchall()
    if bad:
        raise MoneyError(
            f"network members of unknown kind {', '.join(str(b[0]) for b in bad)}; "
            "kind is person, company or account"
        )
    con.execute("""
        -- Workers: everyone the network's companies employ or pay, with the accounts they
        -- hold and the accounts their wages from those companies are paid into.
        CREATE OR REPLACE TEMP TABLE network_worker AS
        WITH companies AS (SELECT network, entity_id AS company FROM network_member
                           WHERE kind = 'company'),
        staff AS (
            SELECT c.network, e.employee AS worker FROM companies c
            JOIN employment e ON e.employer = c.company WHERE e.employee IS NOT NULL
            UNION SELECT c.network, w.employee FROM companies c
            JOIN wage_payment w ON w.employer = c.company WHERE w.employee IS NOT NULL),
        paid_into AS (
            SELECT DISTINCT c.network, w.employee AS worker, b.id AS account
            FROM companies c JOIN wage_payment w ON w.employer = c.company
            JOIN bank_account b ON b.iban = w.iban)
        SELECT s.network, s.worker, h.account FROM staff s
        LEFT JOIN account_holder h ON h.holder = s.worker
        UNION SELECT network, worker, account FROM paid_into""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE network_account AS
        WITH people AS (
            SELECT network, entity_id AS person FROM network_member WHERE kind = 'person'),
        accounts AS (
            SELECT network, entity_id AS account FROM network_member WHERE kind = 'account'
            UNION SELECT m.network, h.account FROM network_member m
            JOIN account_holder h ON h.holder = m.entity_id WHERE m.kind <> 'account'
            UNION SELECT network, account FROM network_worker WHERE account IS NOT NULL)
        SELECT a.network, a.account,
               CASE WHEN h.holder IN (SELECT entity_id FROM network_member m
                                      WHERE m.network = a.network AND m.kind = 'company')
                        THEN 'company'
                    -- a worker's own: held by a worker it serves or, its holder unknown, the
                    -- account of one worker only (wages of several into an unknown holder's
                    -- account are pooled, not paid to the workers)
                    WHEN a.account IN (SELECT account FROM network_worker w
                                       WHERE w.network = a.network AND h.holder = w.worker)
                      OR (h.holder IS NULL AND a.account IN (
                          SELECT account FROM network_worker w WHERE w.network = a.network
                          GROUP BY account HAVING count(DISTINCT worker) = 1))
                        THEN 'worker'
                    WHEN h.holder IN (SELECT person FROM people p WHERE p.network = a.network)
                        THEN 'controller'
                    ELSE 'other' END AS role
        FROM accounts a LEFT JOIN account_holder h ON h.account = a.account""")
    return con.execute("SELECT count(DISTINCT network) FROM network_member").fetchone()[0]
