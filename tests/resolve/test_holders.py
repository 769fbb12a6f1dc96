"""Who holds each bank account: the stated holder, the payer of an employer's payslips, the
only namesake, the namesake tied to the firm an account deals with; never a guess between
namesakes."""

from __future__ import annotations

import datetime as dt

import duckdb

from helpers import Case
from invert.resolve import holders

D = dt.date


def _holders(case: Case) -> dict[str, tuple[str, str, str]]:
    con = duckdb.connect(str(case.ws.db_path), read_only=True)
    try:
        holders.install(con)
        rows = con.execute("SELECT account, holder, basis, detail FROM account_holder").fetchall()
    finally:
        con.close()
    return {r[0]: r[1:] for r in rows}


def _payslips(case: Case, employer: str, into: str, months: int, net: float = 1500.0) -> None:
    """``months`` payslips of one worker of ``employer``, paid into the IBAN ``into``."""
    case.add("person", id=f"{employer}-w", name="worker", name_key=f"worker {employer}")
    for m in range(1, months + 1):
        case.add(
            "wage_payment",
            id=f"{employer}-p{m}",
            employee=f"{employer}-w",
            employer=employer,
            periodStart=D(2024, m, 1),
            paymentDate=D(2024, m, 25),
            net=net,
            iban=into,
        )


def _transfer(case: Case, tid: str, payer: str, to: str, day: dt.date, amount: float) -> None:
    case.add(
        "transaction", id=tid, payerAccount=payer, beneficiaryAccount=to, date=day, amount=amount
    )


def test_account_holders(tmp_path):
    case = Case(tmp_path / "case")
    for cid, reg in (("peters1", "11"), ("peters2", "22"), ("peters3", "33")):
        case.add("company", id=cid, name="Peters BV", name_key="bv peters", registrationNumber=reg)
    case.add("company", id="solo", name="Solo BV", name_key="bv solo", registrationNumber="44")
    case.add("bank_account", id="acc-stated", iban="NL01", holder="solo", holderName_key="x")
    case.add("bank_account", id="acc-solo", iban="NL02", holderName_key="bv solo")
    case.add("bank_account", id="acc-worker", iban="NL03")
    # peters1's payslips are paid from this account, on time and to the cent
    case.add("bank_account", id="acc-payroll", iban="NL04", holderName_key="bv peters")
    _payslips(case, "peters1", "NL03", months=2)
    for m in (1, 2):
        _transfer(case, f"t-pay{m}", "acc-payroll", "acc-worker", D(2024, m, 24), 1500.0)
    # one wage transfer only: not enough to tell the namesakes apart
    case.add("bank_account", id="acc-once", iban="NL05", holderName_key="bv peters")
    case.add("bank_account", id="acc-w2", iban="NL06")
    _payslips(case, "peters3", "NL06", months=1, net=900.0)
    _transfer(case, "t-once", "acc-once", "acc-w2", D(2024, 1, 26), 900.0)
    # peters2 shares a phone with Solo BV, whose account it pays for labour
    case.add("company", id="peters2", phone="+31611111111")
    case.add("company", id="solo", phone="+31611111111")
    case.add("bank_account", id="acc-tied", iban="NL07", holderName_key="bv peters")
    _transfer(case, "t-hire", "acc-tied", "acc-solo", D(2024, 3, 1), 20000.0)
    # an account of that name dealing with no one known stays unknown
    case.add("bank_account", id="acc-lost", iban="NL08", holderName_key="bv peters")

    held = _holders(case)
    assert held["acc-stated"][:2] == ("solo", "stated")
    assert held["acc-solo"][:2] == ("solo", "only_namesake")
    assert held["acc-payroll"] == (
        "peters1",
        "pays_wages",
        "paid the net wages of 2 of its payslips",
    )
    assert held["acc-tied"][:2] == ("peters2", "tied_namesake")
    assert "phone +31611111111 with Solo BV" in held["acc-tied"][2]
    assert "acc-once" not in held and "acc-lost" not in held


def test_a_payroll_provider_is_no_employer(tmp_path):
    """An account paying the wages of two employers is a payroll provider's, not either's."""
    case = Case(tmp_path / "case")
    case.add("company", id="a", name="A BV", name_key="bv a", registrationNumber="1")
    case.add("company", id="b", name="B BV", name_key="bv b", registrationNumber="2")
    case.add("bank_account", id="acc-provider", iban="NL01")
    case.add("bank_account", id="acc-wa", iban="NL02")
    case.add("bank_account", id="acc-wb", iban="NL03")
    _payslips(case, "a", "NL02", months=2)
    _payslips(case, "b", "NL03", months=2, net=1200.0)
    for m in (1, 2):
        _transfer(case, f"ta{m}", "acc-provider", "acc-wa", D(2024, m, 25), 1500.0)
        _transfer(case, f"tb{m}", "acc-provider", "acc-wb", D(2024, m, 25), 1200.0)
    assert "acc-provider" not in _holders(case)
