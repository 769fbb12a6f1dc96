from __future__ import annotations

import pytest

from invert.money import MoneyError, flows, patterns


def hits(book, pattern, **parameters):
    with book.connect() as con:
        flows.build(con)
        patterns.detect(
            con, only=[pattern], parameters={pattern: parameters} if parameters else None
        )
        rows = con.execute(
            "SELECT account, value, detail, evidence FROM money_pattern WHERE pattern = ?",
            [pattern],
        ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_fan_in_fires_from_ten_payers_in_a_month(book):
    book.acct("HUB")
    for k in range(10):
        book.acct(f"P{k}")
        book.pay(f"P{k}", "HUB", k, 50)
    book.pay("P0", "HUB", 2, 50, channel="card")
    found = hits(book, "fan_in")
    assert list(found) == ["HUB"] and found["HUB"][0] == 10
    assert len(found["HUB"][2]) == 10  # card takings are not counted
    assert hits(book, "fan_in", min_counterparties=11) == {}


def test_fan_out_mirrors_fan_in(book):
    book.acct("HUB")
    for k in range(9):
        book.acct(f"P{k}")
        book.pay("HUB", f"P{k}", k, 50)
    assert hits(book, "fan_out") == {}
    assert list(hits(book, "fan_out", min_counterparties=9)) == ["HUB"]


def test_pass_through_fires_when_most_leaves_within_days(book):
    for name in ("IN", "MULE", "OUT", "SAVER"):
        book.acct(name)
    for k in range(3):
        book.pay("IN", "MULE", 10 * k, 1000)
        book.pay("MULE", "OUT", 10 * k + 2, 900)  # 90% gone within two days
        book.pay("IN", "SAVER", 10 * k, 1000)
        book.pay("SAVER", "OUT", 10 * k + 5, 900)  # but only after five days
    found = hits(book, "pass_through")
    assert list(found) == ["MULE"] and found["MULE"][0] == pytest.approx(0.9)
    assert "SAVER" in hits(book, "pass_through", days=5)


def test_rapid_chain_needs_the_money_to_move_on_within_two_days(book):
    for name in "ABCXYZ":
        book.acct(name)
    for k in range(2):
        book.pay("A", "B", 10 * k, 1000)
        book.pay("B", "C", 10 * k + 2, 950)  # on within 48 hours
        book.pay("X", "Y", 10 * k, 1000)
        book.pay("Y", "Z", 10 * k + 3, 950)  # three days later
        book.pay("X", "Y", 10 * k + 5, 1000)
        book.pay("Y", "X", 10 * k + 6, 1000)  # straight back to the payer: no chain
    found = hits(book, "rapid_chain")
    assert list(found) == ["B"] and found["B"][0] == 2


def test_wage_forward_finds_one_account_collecting_several_wages(book):
    for name in ("EMP", "W1", "W2", "W3", "BOSS", "SHOP"):
        book.acct(name)
    for w in ("W1", "W2"):
        book.pay("EMP", w, 0, 1500, purpose="SALARIS FEB")
        book.pay(w, "BOSS", 1, 1000)
    book.pay("EMP", "W3", 0, 1500, purpose="SALARIS FEB")
    book.pay("W3", "SHOP", 1, 500)  # a third of the wage: not forwarded
    found = hits(book, "wage_forward")
    assert list(found) == ["BOSS"] and found["BOSS"][0] == 2
    assert hits(book, "wage_forward", min_sources=3) == {}


def test_wage_cash_out_counts_pay_periods_taken_out_in_cash(book):
    for name in ("EMP", "W1", "W2"):
        book.acct(name)
    for month in range(2):
        book.pay("EMP", "W1", 30 * month, 1500, purpose="loon")
        book.pay("W1", None, 30 * month + 1, 1400, channel="atm")
        book.pay("EMP", "W2", 30 * month, 1500, purpose="loon")
        book.pay("W2", None, 30 * month + 1, 200, channel="atm")
    found = hits(book, "wage_cash_out")
    assert list(found) == ["W1"] and found["W1"][0] == 2


def test_cycle_of_three_is_reported_once_from_its_smallest_account(book):
    for name in "ABCD":
        book.acct(name)
    book.pay("A", "B", 0, 5000)
    book.pay("B", "C", 1, 4000)
    book.pay("C", "A", 2, 3000)
    book.pay("C", "D", 2, 3000)
    found = hits(book, "cycle")
    assert list(found) == ["A"]
    assert found["A"][0] == 3000 and "A -> B -> C" in found["A"][1]
    assert hits(book, "cycle", min_amount=3500) == {}


def test_corridor_reports_payments_to_listed_countries_only(book):
    book.acct("NL1")
    book.acct("KP1", country="KP")
    book.acct("DE1", country="DE")
    book.acct("NL2")
    book.pay("NL1", "KP1", 0, 700)
    book.pay("NL2", "DE1", 0, 700)
    found = hits(book, "corridor")
    assert list(found) == ["NL1"] and "KP" in found["NL1"][1]


def test_unknown_pattern_or_parameter_is_named(book):
    with book.connect() as con, pytest.raises(MoneyError, match="unknown pattern"):
        patterns.detect(con, only=["smurfing"])
    with book.connect() as con, pytest.raises(MoneyError, match="no parameter"):
        patterns.detect(con, only=["fan_in"], parameters={"fan_in": {"speed": 1}})
