from __future__ import annotations

import datetime as dt

import pytest

from invert.money import MoneyError, profit, sankey

MEMBERS = """SELECT * FROM (VALUES ('N1', 'company', 'C'), ('N1', 'person', 'K'))
             AS m(network, kind, entity_id)"""


def network(book):
    """Company C employs W (30 years old); K controls; R recruits abroad."""
    book.add("company", id="C", name="Bouw BV")
    book.add("person", id="W", name="Ion Pop", birthDate=dt.date(1994, 1, 1))
    book.add("person", id="K", name="Karel Baas")
    book.add("person", id="R", name="Rudi Werver")
    book.add("employment", id="e1", employee="W", employer="C")
    book.acct("CA", holder="C")
    book.acct("WA", holder="W")
    book.acct("KA", holder="K")
    book.acct("RA", holder="R")
    book.acct("RO1", country="RO")


def payslips(book, wa_iban):
    # 160 hours in March 2024 paid 1000 gross: the minimum at 30 is 13.27 an hour
    book.add(
        "wage_payment",
        id="s1",
        employee="W",
        employer="C",
        periodStart=dt.date(2024, 3, 1),
        periodEnd=dt.date(2024, 3, 31),
        gross=1000,
        hoursWorked=160,
        deductions=400,
        deductionType=["huisvesting"],
        iban=wa_iban,
    )
    # April: paid above the minimum (no unpaid wage), 100 advance deducted in full
    book.add(
        "wage_payment",
        id="s2",
        employee="W",
        employer="C",
        periodStart=dt.date(2024, 4, 1),
        periodEnd=dt.date(2024, 4, 30),
        gross=2200,
        hoursWorked=160,
        deductions=100,
        deductionType=["voorschot reiskosten"],
        iban=wa_iban,
    )


def build(book):
    network(book)
    from tests.helpers import query

    wa_iban = query(book.ws, "SELECT iban FROM bank_account WHERE id = 'WA'")[0][0]
    payslips(book, wa_iban)
    book.pay("CA", "WA", 4, 1000, purpose="SALARIS MAR", id="pay")
    book.pay("WA", "KA", 5, 700, id="fwd")  # to the controller: taken, whatever the share
    book.pay("WA", "RA", 10, 150, purpose="AFLOSSING MAR", id="fee")
    book.pay("CA", "RO1", 12, 500, id="abroad")
    book.pay("WA", None, 20, 50, channel="atm", id="cash")  # ordinary spending, not counted


def figures(book, **parameters):
    with book.connect() as con:
        found = profit.estimate(con, MEMBERS, parameters or None)
    return {f.component: f.amount for f in found if f.network == "N1"}


def test_profit_arithmetic_by_hand(book):
    build(book)
    got = figures(book)
    assert got["unpaid_wages"] == pytest.approx(160 * 13.27 - 1000)  # 1123.20
    assert got["deductions"] == pytest.approx(400 + 100)
    assert got["confiscated"] == pytest.approx(700)
    assert got["fees"] == pytest.approx(150)
    assert got["sent_abroad"] == pytest.approx(500)
    assert got["total"] == pytest.approx(1123.20 + 500 + 700 + 150)


def test_market_rent_leaves_the_fair_part_of_housing_deductions(book):
    build(book)
    got = figures(book, market_rent=300)
    # March is 31 days = 31 * 12 / 365 months; the advance still counts in full
    assert got["deductions"] == pytest.approx(400 - 300 * 31 * 12 / 365 + 100, abs=0.01)


def test_evidence_and_computation_are_stored(book):
    build(book)
    figures(book)
    from tests.helpers import query

    rows = dict(
        (r[0], r[1:])
        for r in query(
            book.ws,
            "SELECT component, computation, evidence, parameters FROM network_profit "
            "WHERE network = 'N1'",
        )
    )
    assert {"tbl": "wage_payment", "id": "s1"} in rows["unpaid_wages"][1]
    ids = {e["id"] for e in rows["confiscated"][1]}
    assert ids == {"pay", "fwd"}
    assert "share" in rows["confiscated"][2]


def test_drain_below_share_to_strangers_is_not_counted(book):
    build(book)
    book.acct("SHOP")
    book.pay("CA", "WA", 34, 1000, purpose="SALARIS APR", id="pay2")
    book.pay("WA", "SHOP", 35, 300, id="rent")  # 30% of the wage to someone else: normal
    assert figures(book)["confiscated"] == pytest.approx(700)
    book.pay("WA", None, 35, 600, channel="atm", id="cash2")  # now 90% gone within days
    assert figures(book)["confiscated"] == pytest.approx(700 + 900)


def test_a_transfer_into_an_account_pooling_others_wages_is_taken(book):
    """Two workers' wages go into one account whose holder is unknown (a name the register
    cannot place): it is no worker's own, so what W sends there is taken whatever the share."""
    build(book)
    from tests.helpers import query

    pool = book.acct("POOL")
    pool_iban = query(book.ws, "SELECT iban FROM bank_account WHERE id = ?", [pool])[0][0]
    for k in (2, 3):
        book.add("person", id=f"W{k}", name=f"Worker {k}", birthDate=dt.date(1990, 1, k))
        book.add("employment", id=f"e{k}", employee=f"W{k}", employer="C")
        book.add(
            "wage_payment",
            id=f"p{k}",
            employee=f"W{k}",
            employer="C",
            periodStart=dt.date(2024, 4, 1),
            periodEnd=dt.date(2024, 4, 30),
            gross=2500,
            hoursWorked=160,
            iban=pool_iban,
        )
    book.pay("CA", "WA", 34, 1000, purpose="SALARIS APR", id="pay2")
    book.pay("WA", "POOL", 35, 500, id="half")  # half the wage: below the share
    assert figures(book)["confiscated"] == pytest.approx(700 + 500)


def test_by_company_groups_each_employer_with_its_staff(book):
    build(book)
    with book.connect() as con:
        found = profit.estimate(con, "by company", network="C")
    got = {f.component: f.amount for f in found}
    assert got["unpaid_wages"] == pytest.approx(1123.20)
    # K is no member of the company's network: 700 of 1000 to a stranger is below the share
    assert got["confiscated"] == 0
    with book.connect() as con, pytest.raises(MoneyError, match="no network"):
        profit.estimate(con, "by company", network="nope")


def test_members_of_an_unknown_kind_are_refused(book):
    with book.connect() as con, pytest.raises(MoneyError, match="unknown kind"):
        profit.estimate(con, "SELECT 'N' AS network, 'boat' AS kind, 'x' AS entity_id")


def test_sankey_groups_abroad_and_cash(book):
    build(book)
    with book.connect() as con:
        sankey.build(
            con, "SELECT 'CA' AS account, 'firm' AS \"group\" UNION ALL SELECT 'WA', 'workers'"
        )
        rows = con.execute(
            "SELECT source, target, amount FROM money_sankey ORDER BY source, target"
        ).fetchall()
    assert ("firm", "abroad:RO", 500.0) in rows
    assert ("firm", "workers", 1000.0) in rows
    assert ("workers", "cash", 50.0) in rows
    assert ("workers", "other", 850.0) in rows


def test_an_estimate_of_every_network_replaces_the_last_one(book):
    """Networks of an earlier grouping must not stay beside the new ones."""
    build(book)
    from tests.helpers import query

    with book.connect() as con:
        profit.estimate(con, "by company")
    assert {r[0] for r in query(book.ws, "SELECT DISTINCT network FROM network_profit")} == {"C"}
    figures(book)  # every network of the other grouping
    kept = {r[0] for r in query(book.ws, "SELECT DISTINCT network FROM network_profit")}
    assert kept == {"N1"}
    with book.connect() as con:  # one network only: the others stay
        profit.estimate(con, "by company", network="C")
    kept = {r[0] for r in query(book.ws, "SELECT DISTINCT network FROM network_profit")}
    assert kept == {"N1", "C"}
