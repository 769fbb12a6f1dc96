"""Money between groups and the profit per network: the figures of a case with planted payments
between two communities, abroad and in cash, the profit rows and their evidence, pseudonyms for
the viewer, the audit rows, and the hints when a stage has not run."""

from __future__ import annotations

import datetime as dt
import re
import time

import duckdb
import pytest
from fastapi.testclient import TestClient
from web.webcase import Case, login

from invert.money import profit
from invert.security import audit
from invert.web.app import create_app
from invert.workspace import Workspace

HOME_IBAN = "NL02TEST0000000011"
AWAY_IBAN = "NL02TEST0000000012"
FAR_IBAN = "BG02TEST0000000013"


def _community(con: duckdb.DuckDBPyConnection, node: str) -> int:
    return con.execute("SELECT community FROM graph_membership WHERE node = ?", [node]).fetchone()[
        0
    ]


@pytest.fixture
def groups_case(case: Case) -> tuple[Case, str, str]:
    """The test case with payments between the top person's community (account H) and a
    person of the other community (account A), to Bulgaria (F) and in cash; the profit estimate
    by community run. Returns the case and the two communities' names (H's, A's)."""
    ws = Workspace.open(case.path)
    con = duckdb.connect(str(ws.db_path))
    try:
        home = _community(con, case.person)
        other = con.execute(
            """SELECT n.node FROM graph_node n JOIN graph_membership g USING (node)
               WHERE n.kind = 'person' AND g.community <> ? ORDER BY n.node LIMIT 1""",
            [home],
        ).fetchone()[0]
        away = _community(con, other)
        accounts = [
            ("H", HOME_IBAN, case.person, "NL"),
            ("A", AWAY_IBAN, other, "NL"),
            ("F", FAR_IBAN, None, "BG"),
        ]
        for n, (acct, iban, holder, country) in enumerate(accounts):
            con.execute(
                """INSERT INTO bank_account (id, iban, holder, country, source_id, source_row)
                   VALUES (?, ?, ?, ?, 'bank.csv', ?)""",
                [acct, iban, holder, country, n + 2],
            )
        payments = [
            ("A", "H", dt.date(2024, 3, 1), 1000),
            ("H", "F", dt.date(2024, 3, 5), 400),
            ("H", None, dt.date(2024, 3, 9), 50),  # cash
            ("A", "H", dt.date(2024, 4, 1), 500),
            ("H", "A", dt.date(2024, 4, 2), 200),
            ("F", "F", dt.date(2024, 4, 3), 9),  # neither end in a community: left out
        ]
        for n, (payer, beneficiary, day, amount) in enumerate(payments):
            con.execute(
                """INSERT INTO "transaction" (id, payerAccount, beneficiaryAccount, date,
                       amount, channel, source_id, source_row)
                   VALUES (?, ?, ?, ?, ?, ?, 'bank.csv', ?)""",
                [f"t{n}", payer, beneficiary, day, amount, "atm" if not beneficiary else "wire", n],
            )
    finally:
        con.close()
    with ws.connect(resolved=True, follow_analysis=False) as con:
        started = time.time()
        profit.estimate(con, "by community")
        ws.record_run(con, "profit", started, {"by": "community"}, {})  # as the command does
    return case, f"community-{home}", f"community-{away}"


def _table(html: str, table_id: str) -> str:
    return html.split(f'id="{table_id}"')[1].split("</table>")[0]


def _rows(html: str, table_id: str) -> list[list[str]]:
    """The table's body rows as the text of their cells."""
    out = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", _table(html, table_id), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if cells:
            out.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return out


def _audit(client: TestClient) -> list[audit.Entry]:
    with client.app.state.invert.db.cursor() as con:
        return audit.entries(con)


def test_flows_between_communities_abroad_and_cash(groups_case):
    case, home, away = groups_case
    with TestClient(create_app(case.path)) as client:
        login(client, "analyst")
        page = client.get("/money/flows")
        assert page.status_code == 200, page.text
        pairs = {(r[0], r[1]): r[2:6] for r in _rows(page.text, "flows-pairs")}
        assert pairs == {
            (away, home): ["1,500.00", "2", "2024-03", "2024-04"],
            (home, "abroad:BG"): ["400.00", "1", "2024-03", "2024-03"],
            (home, away): ["200.00", "1", "2024-04", "2024-04"],
            (home, "cash"): ["50.00", "1", "2024-03", "2024-03"],
        }
        assert f'href="/networks/{home}"' in page.text
        assert page.text.count('class="band"') == 4
        # The largest band is as wide as its share of the picture; the picture is one SVG.
        assert page.text.count('<svg class="sankey"') == 1
        march = client.get("/money/flows?start=2024-03&end=2024-03&min_amount=100")
        pairs = {(r[0], r[1]): r[2:4] for r in _rows(march.text, "flows-pairs")}
        assert pairs == {(away, home): ["1,000.00", "1"], (home, "abroad:BG"): ["400.00", "1"]}
        assert client.get("/money/flows?start=March").status_code == 400


def test_network_page_members_accounts_flows_and_profit_with_evidence(groups_case):
    case, home, away = groups_case
    ws = Workspace.open(case.path)
    con = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        stored = dict(
            con.execute(
                "SELECT component, amount FROM network_profit WHERE network = ?", [home]
            ).fetchall()
        )
        evidence = dict(
            con.execute(
                "SELECT component, len(evidence) FROM network_profit WHERE network = ?", [home]
            ).fetchall()
        )
    finally:
        con.close()
    assert stored["deductions"] > 0, "the payroll sample deducts from its workers' pay"
    with TestClient(create_app(case.path)) as client:
        login(client, "prosecutor")
        page = client.get(f"/networks/{home}")
        assert page.status_code == 200, page.text
        html = page.text
        assert f'href="/entity/{case.person}"' in _table(html, "network-members")
        assert HOME_IBAN in _table(html, "network-accounts")
        assert 'href="/money/H"' in html
        flows = {(r[0], r[1]): r[2] for r in _rows(html, "network-flows")}
        assert flows == {
            (away, home): "1,500.00",
            (home, "abroad:BG"): "400.00",
            (home, away): "200.00",
            (home, "cash"): "50.00",
        }
        assert f'href="/networks/{away}"' in html
        money = client.get(f"/money/{case.person}").text
        assert f'href="/networks/{home}"' in money  # the person's money view links here
        figures = {r[0]: r for r in _rows(html, "network-profit")}
        assert set(figures) == {*profit.COMPONENTS, "total"}
        assert 'id="profit-stale"' not in html
        for component, amount in stored.items():
            assert figures[component][1] == f"{amount:,.2f}", component
            assert figures[component][4] == str(evidence[component])
        assert "payslip deduction(s)" in figures["deductions"][2]
        assert "market_rent = 0.0" in figures["deductions"][3]
        assert f'href="/networks/{home}/evidence/deductions"' in html
        shown = client.get(f"/networks/{home}/evidence/deductions")
        assert shown.status_code == 200, shown.text
        assert f"{stored['deductions']:,.2f}" in shown.text
        rows = _rows(shown.text, "evidence-rows")
        assert len(rows) == evidence["deductions"]
        assert all(r[0] == "wage_payment" and r[7] == "payroll.csv" for r in rows)
        assert all(r[8] and len(r[9]) == 12 for r in rows)  # source row and SHA-256
        assert client.get(f"/networks/{home}/evidence/nothing").status_code == 404
        assert client.get("/networks/community-999").status_code == 404


def test_viewer_sees_pseudonyms_on_both_pages(groups_case):
    case, home, _away = groups_case
    ws = Workspace.open(case.path)
    con = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT DISTINCT name FROM person").fetchall()]
        people = [r[0] for r in con.execute("SELECT DISTINCT id FROM person").fetchall()]
    finally:
        con.close()
    with TestClient(create_app(case.path)) as client:
        login(client, "viewer")
        pages = [
            client.get("/money/flows"),
            client.get(f"/networks/{home}"),
            client.get(f"/networks/{home}/evidence/deductions"),
        ]
        for page in pages:
            assert page.status_code == 200, page.text
            for secret in (*names, *people, HOME_IBAN, AWAY_IBAN):
                assert secret not in page.text, secret
        assert "person·" in pages[1].text and "account·" in pages[1].text
        assert "1,500.00" in pages[0].text  # the figures stay
        # The pseudonymised links lead somewhere.
        link = re.search(r'href="(/entity/person·[0-9a-f]+)"', pages[1].text).group(1)
        assert client.get(link).status_code == 200


def test_views_are_audited(groups_case):
    case, home, _away = groups_case
    with TestClient(create_app(case.path)) as client:
        login(client, "inspector")
        before = len(_audit(client))
        client.get("/money/flows?min_amount=100")
        client.get(f"/networks/{home}")
        client.get(f"/networks/{home}/evidence/deductions")
        rows = _audit(client)[before:]
        with client.app.state.invert.db.cursor() as con:
            assert audit.verify(con).intact
    assert [(r.action, r.subject, r.detail["page"]) for r in rows] == [
        ("view_money", None, "flows"),
        ("view_money", home, "network"),
        ("view_money", home, "profit evidence"),
    ]
    assert rows[0].detail["min_amount"] == 100 and rows[0].detail["pairs"] == 3


def test_pages_say_which_stage_to_run(case):
    ws = Workspace.open(case.path)
    with ws.connect() as con:
        con.execute("DROP TABLE network_profit")
    client = TestClient(create_app(case.path))
    login(client, "admin")
    page = client.get("/money/flows")
    assert page.status_code == 200
    assert "flows-pairs" not in page.text  # the sample has no payments
    community = client.get("/networks/community-0")
    assert community.status_code == 200
    assert "invert money CASE_DIR profit" in community.text
    assert client.get("/networks/community-0/evidence/total").status_code == 404


def test_an_estimate_older_than_the_graph_is_flagged(groups_case):
    case, home, _away = groups_case
    ws = Workspace.open(case.path)
    with ws.connect() as con:
        ws.record_run(con, "network", time.time() + 1, {}, {})
    with TestClient(create_app(case.path)) as client:
        login(client, "analyst")
        assert 'id="profit-stale"' in client.get(f"/networks/{home}").text
