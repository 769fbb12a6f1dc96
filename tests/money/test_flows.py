from __future__ import annotations

import pytest

from invert.money import MoneyError, flows


def test_build_aggregates_per_pair_and_month_counting_a_payment_seen_twice_once(book):
    for name in "AB":
        book.acct(name)
    book.pay("A", "B", 0, 100, id="bank1")
    book.pay("A", "B", 0, 100, id="bank2")  # a second, identical payment the same day
    book.pay("A", "B", 0, 100, source="str.xml", id="str1")  # the FIU's copy of the first
    book.pay("A", "B", 31, 50)  # next month
    with book.connect() as con:
        assert flows.build(con) == 2
        rows = con.execute("SELECT month, count, amount FROM money_flow ORDER BY month").fetchall()
    assert [(r[1], r[2]) for r in rows] == [(2, 200.0), (1, 50.0)]


def test_trace_follows_time_order_and_window(book):
    for name in "ABCDE":
        book.acct(name)
    book.pay("A", "B", 10, 100)
    book.pay("B", "C", 15, 80)  # after the money arrived: hop 2
    book.pay("B", "D", 5, 60)  # before it arrived: not part of the trace
    book.pay("B", "E", 50, 70)  # more than 30 days later: not either
    book.pay("C", "E", 16, 80)  # hop 3
    with book.connect() as con:
        hops = flows.trace(con, "A", hops=3, days=30)
    assert [(h.hop, h.payer, h.beneficiary, h.amount) for h in hops] == [
        (1, "A", "B", 100.0),
        (2, "B", "C", 80.0),
        (3, "C", "E", 80.0),
    ]


def test_trace_caps_what_is_passed_on_by_what_arrived(book):
    for name in "ABCD":
        book.acct(name)
    book.pay("A", "B", 0, 100)
    book.pay("B", "C", 1, 150)
    book.pay("B", "D", 2, 50)
    with book.connect() as con:
        hops = flows.trace(con, "A", hops=2)
    second = {h.beneficiary: h.amount for h in hops if h.hop == 2}
    assert second == {"C": 75.0, "D": 25.0}  # 100 arrived, 200 left: each scaled by 1/2


def test_trace_backward_from_a_person_and_min_amount(book):
    book.add("person", id="P1", name="Jan Smit")
    for name, holder in (("A", None), ("B", None), ("W", "P1")):
        book.acct(name, holder=holder)
    book.pay("A", "B", 0, 500)
    book.pay("B", "W", 3, 400)
    book.pay("A", "W", 4, 5)  # below min_amount
    with book.connect() as con:
        hops = flows.trace(con, "P1", direction="in", hops=2, min_amount=10)
    assert [(h.hop, h.payer, h.beneficiary) for h in hops] == [(1, "B", "W"), (2, "A", "B")]
    assert hops[1].amount == 400.0  # capped by what B passed on


def test_trace_says_what_to_do_with_an_unknown_start(book):
    with book.connect() as con, pytest.raises(MoneyError, match="not an account"):
        flows.trace(con, "nobody")
    with book.connect() as con, pytest.raises(MoneyError, match="direction"):
        flows.trace(con, ["A"], direction="sideways")
