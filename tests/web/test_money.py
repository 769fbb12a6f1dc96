"""The money view: monthly totals of a case with known payments, pseudonyms for the viewer,
its audit row, and the hint when the money stage has not run."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from fastapi.testclient import TestClient
from web.webcase import Case, login

from invert.money import flows, patterns
from invert.security import audit
from invert.web.app import create_app
from invert.workspace import Workspace

OWN_IBAN = "NL02TEST0000000001"
OTHER_IBAN = "NL02TEST0000000002"
FAR_IBAN = "BG02TEST0000000003"
NEXT_IBAN = "BG02TEST0000000004"


def _day(month: int, day: int) -> dt.date:
    return dt.date(2024, month, day)


@pytest.fixture
def money_case(case: Case) -> Case:
    """The test case with four accounts and their payments, money stage run: the top person
    holds W; X belongs to another person of the case; Y and Z are in Bulgaria."""
    ws = Workspace.open(case.path)
    con = duckdb.connect(str(ws.db_path))
    try:
        other = con.execute(
            "SELECT id FROM person WHERE id <> ? AND name IS NOT NULL ORDER BY id LIMIT 1",
            [case.person],
        ).fetchone()[0]
        accounts = [
            ("W", OWN_IBAN, case.person, "NL"),
            ("X", OTHER_IBAN, other, "NL"),
            ("Y", FAR_IBAN, None, "BG"),
            ("Z", NEXT_IBAN, None, "BG"),
        ]
        for n, (acct, iban, holder, country) in enumerate(accounts):
            con.execute(
                """INSERT INTO bank_account (id, iban, holder, country, source_id, source_row)
                   VALUES (?, ?, ?, ?, 'bank.csv', ?)""",
                [acct, iban, holder, country, n + 2],
            )
        payments = [
            ("X", "W", _day(3, 1), 1000),
            ("W", "Y", _day(3, 5), 400),
            ("W", None, _day(3, 9), 50),  # cash
            ("Y", "Z", _day(3, 10), 300),  # passed on: hop 2 of the trace
            ("X", "W", _day(4, 1), 500),
            ("W", "X", _day(4, 2), 200),
        ]
        for n, (payer, beneficiary, day, amount) in enumerate(payments):
            con.execute(
                """INSERT INTO "transaction" (id, payerAccount, beneficiaryAccount, date,
                       amount, channel, source_id, source_row)
                   VALUES (?, ?, ?, ?, ?, ?, 'bank.csv', ?)""",
                [
                    f"t{n}",
                    payer,
                    beneficiary,
                    day,
                    amount,
                    "atm" if beneficiary is None else "wire",
                    n + 2,
                ],
            )
    finally:
        con.close()
    with ws.connect(resolved=True, follow_analysis=False) as con:
        flows.build(con)
        patterns.detect(con)
    return case


def _audit(client: TestClient) -> list[audit.Entry]:
    with client.app.state.invert.db.cursor() as con:
        return audit.entries(con)


def test_monthly_totals_counterparties_abroad_patterns_and_trace(money_case):
    with TestClient(create_app(money_case.path)) as client:
        login(client, "analyst")
        page = client.get(f"/money/{money_case.person}")
    assert page.status_code == 200, page.text
    html = page.text
    months = html.split('id="money-months"')[1].split("</table>")[0]
    assert '<td>2024-03</td><td class="num">1,000.00</td><td class="num">1</td>' in months
    assert '<td class="num">400.00</td><td class="num">1</td><td class="num">50.00</td>' in (months)
    assert '<td>2024-04</td><td class="num">500.00</td><td class="num">1</td>' in months
    assert '<td class="num">200.00</td>' in months
    assert html.count('class="bar-in"') == 2 and html.count('class="bar-out"') == 2
    parties = html.split('id="money-counterparties"')[1].split("</table>")[0]
    assert OTHER_IBAN in parties and FAR_IBAN in parties
    assert "<small>person</small>" in parties  # X's holder, named
    assert '<td>BG</td><td class="num">1</td><td class="num">400.00</td>' in html
    assert "<code>corridor</code>" in html.split('id="money-patterns"')[1]
    trace = html.split('id="money-trace"')[1].split("</table>")[0]
    assert trace.count('<tr><td class="num">1</td>') == 2  # W to Y and W to X
    assert '<tr><td class="num">2</td>' in trace  # Y passed it on to Z


def test_viewer_sees_pseudonyms_not_holder_names_or_ibans(money_case):
    ws = Workspace.open(money_case.path)
    con = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT DISTINCT name FROM person").fetchall()]
    finally:
        con.close()
    shown = money_case.shown("viewer", "person", money_case.person)
    with TestClient(create_app(money_case.path)) as client:
        login(client, "viewer")
        page = client.get(f"/money/{shown}")
        assert page.status_code == 200, page.text
        assert client.get(f"/money/{money_case.person}").status_code == 404
    assert "person·" in page.text and "account·" in page.text
    for secret in (*names, OWN_IBAN, OTHER_IBAN, FAR_IBAN, money_case.person):
        assert secret not in page.text, secret
    assert "2024-03" in page.text  # the totals are still there


def test_view_is_audited_and_linked_from_the_profile(money_case):
    with TestClient(create_app(money_case.path)) as client:
        login(client, "inspector")
        profile = client.get(f"/entity/{money_case.person}")
        assert f'href="/money/{money_case.person}"' in profile.text
        before = len(_audit(client))
        assert client.get(f"/money/{money_case.person}").status_code == 200
        rows = _audit(client)[before:]
        with client.app.state.invert.db.cursor() as con:
            assert audit.verify(con).intact
    assert [(r.user, r.action, r.subject) for r in rows] == [
        ("inspector", "view_money", money_case.person)
    ]
    assert rows[0].detail["page"] == "money" and rows[0].detail["accounts"] == 1


def test_page_without_the_money_stage_says_what_to_run(client, case):
    login(client, "admin")
    page = client.get(f"/money/{case.company}")
    assert page.status_code == 200
    assert "invert money CASE_DIR flows" in page.text
    assert client.get("/money/not-an-entity").status_code == 404
