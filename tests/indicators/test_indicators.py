"""Each indicator on tiny hand-made workspaces: a case that fires, one that must not, and one
exactly at the threshold. Names follow ``test_<indicator id>`` (checked by test_catalogue)."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date
BORN = D(1990, 1, 1)
MARCH = D(2024, 3, 1)


def worker(
    case, pid: str, born: dt.date = BORN, name: str = "ion popescu", tax: str | None = None
) -> str:
    return case.add("person", id=pid, name=name, name_key=name, birthDate=born, taxNumber=tax)


def slip(
    case,
    sid: str,
    who: str,
    gross: float,
    hours: float,
    worked: float | None = None,
    start: dt.date = MARCH,
    deductions: float = 0.0,
    kinds: list | None = None,
    iban: str | None = None,
    holder: str | None = None,
    employer: str | None = None,
) -> str:
    return case.add(
        "wage_payment",
        id=sid,
        employee=who,
        employer=employer,
        periodStart=start,
        periodEnd=D(start.year, start.month, 28),
        gross=gross,
        hoursPaid=hours,
        hoursWorked=worked,
        deductions=deductions,
        deductionType=kinds,
        iban=iban,
        ibanHolder_key=holder,
    )


def test_wk_wage_below_minimum(case):
    worker(case, "p-low")
    worker(case, "p-ok", name="maria ionescu")
    worker(case, "p-edge", name="ana rusu")
    worker(case, "p-young", born=D(2006, 6, 1), name="jan jansen")  # 17: youth rate 5.24
    slip(case, "s1", "p-low", gross=1000, hours=160)  # 6.25/h
    slip(case, "s2", "p-ok", gross=160 * 13.27, hours=160)
    slip(case, "s3", "p-edge", gross=160 * 13.27 * 0.98, hours=160)  # within the 2% tolerance
    slip(case, "s4", "p-young", gross=160 * 5.30, hours=160)
    hits = case.hits("wk_wage_below_minimum")
    assert set(hits) == {"p-low"}
    strength, value, evidence = hits["p-low"]
    assert "6.25 €/h vs minimum 13.27 €/h" in value and 0.9 <= strength <= 1.0
    assert evidence == [{"tbl": "wage_payment", "id": "s1"}]


def test_wk_wage_below_minimum_uses_hours_worked_and_the_date(case):
    worker(case, "p1")
    # Paid for 160 hours at 13.50, but 240 hours worked: 9.00/h for the hours worked.
    slip(case, "s1", "p1", gross=160 * 13.50, hours=160, worked=240)
    # 13.30 was lawful in March 2024 but not after the July 2024 rise to 13.68.
    worker(case, "p2", name="maria ionescu")
    slip(case, "s2", "p2", gross=160 * 13.30, hours=160, start=D(2024, 8, 1))
    slip(case, "s3", "p2", gross=160 * 13.30, hours=160, start=D(2024, 3, 1))
    hits = case.hits("wk_wage_below_minimum")
    assert set(hits) == {"p1", "p2"}
    assert hits["p2"][2] == [{"tbl": "wage_payment", "id": "s2"}]


def test_wk_excessive_deductions(case):
    for pid, ded in (("p-hi", 900.0), ("p-lo", 100.0), ("p-edge", 600.0)):
        worker(case, pid, name=pid)
        slip(case, f"s-{pid}", pid, gross=2000, hours=160, deductions=ded, kinds=["huisvesting"])
    hits = case.hits("wk_excessive_deductions")
    assert set(hits) == {"p-hi"}  # 30% exactly is not above the threshold
    assert "45% of gross pay (huisvesting)" in hits["p-hi"][1]


def test_wk_recruitment_debt(case):
    worker(case, "p-debt")
    worker(case, "p-once", name="maria ionescu")
    worker(case, "p-rent", name="ana rusu")
    for m in (3, 4):
        slip(
            case,
            f"a{m}",
            "p-debt",
            2000,
            160,
            start=D(2024, m, 1),
            deductions=150,
            kinds=["voorschot reiskosten"],
        )
        slip(
            case,
            f"c{m}",
            "p-rent",
            2000,
            160,
            start=D(2024, m, 1),
            deductions=300,
            kinds=["huisvesting"],
        )
    slip(case, "b3", "p-once", 2000, 160, deductions=150, kinds=["Zaliczka"])  # one period only
    hits = case.hits("wk_recruitment_debt")
    assert set(hits) == {"p-debt"}
    assert "2 payslips deduct voorschot reiskosten" in hits["p-debt"][1]


def test_wk_pay_to_foreign_or_shared_iban(case):
    worker(case, "p1", tax="111", name="ion popescu")
    worker(case, "p2", tax="222", name="maria ionescu")
    worker(case, "p3", tax="333", name="ana rusu")
    worker(case, "p4", tax="444", name="jan de vries")
    iban = "NL91ABNA0417164300"
    slip(case, "s1", "p1", 2000, 160, iban=iban, holder="ion marinescu")
    slip(case, "s2", "p2", 2000, 160, iban=iban, holder="ion marinescu")
    slip(case, "s3", "p3", 2000, 160, iban="NL02ABNA0123456789", holder="a rusu")  # own account
    slip(case, "s4", "p4", 2000, 160, iban="NL20INGB0001234567", holder="petra smit")
    worker(case, "p5", tax="555", name="olena lysenko")
    worker(case, "p6", tax="666", name="ivan petrov")
    card = "NL36RABO9060316126"  # a pay-card company's client account, shared by design
    slip(case, "s5", "p5", 2000, 160, iban=card, holder="bv holland loonkaart")
    slip(case, "s6", "p6", 2000, 160, iban=card, holder="bv holland loonkaart")
    # A pay-card provider in the register whose name carries no legal form
    case.add(
        "company", id="c-card", name="Salarisdiensten van Dijk", name_key="dijk salarisdiensten van"
    )
    worker(case, "p7", tax="777", name="olga sokolova")
    worker(case, "p8", tax="888", name="piotr nowak")
    for sid, pid in (("s7", "p7"), ("s8", "p8")):
        slip(
            case, sid, pid, 2000, 160, iban="NL44RABO0123456789", holder="dijk salarisdiensten van"
        )
    hits = case.hits("wk_pay_to_foreign_or_shared_iban")
    assert set(hits) == {"p1", "p2", "p4", "p5", "p6", "p7", "p8"}
    assert "wages of 1 other worker" in hits["p1"][1]
    assert "another name" in hits["p4"][1]
    assert "held by a company" in hits["p5"][1]
    assert hits["p5"][0] == pytest.approx(hits["p1"][0] * 0.3)
    assert "held by a company" in hits["p7"][1]
    assert hits["p7"][0] == pytest.approx(hits["p1"][0] * 0.3)


def test_wk_pay_to_foreign_or_shared_iban_tolerates_spelling(case):
    worker(case, "p1", tax="111", name="oleksandr melnyk")
    slip(case, "s1", "p1", 2000, 160, iban="NL02ABNA0123456789", holder="o melnik")
    assert case.hits("wk_pay_to_foreign_or_shared_iban") == {}


def test_wk_unpaid_overtime(case):
    worker(case, "p-over")
    worker(case, "p-once", name="maria ionescu")
    worker(case, "p-edge", name="ana rusu")
    for m in (3, 4):
        slip(case, f"a{m}", "p-over", 2000, 160, worked=220, start=D(2024, m, 1))
        slip(case, f"c{m}", "p-edge", 2000, 160, worked=176, start=D(2024, m, 1))  # +10%
    slip(case, "b3", "p-once", 2000, 160, worked=220)
    hits = case.hits("wk_unpaid_overtime")
    assert set(hits) == {"p-over"}
    assert "440 hours worked against 320 paid" in hits["p-over"][1]


def _home(case, aid: str, rooms: int, people: int) -> None:
    case.add("address", id=aid, full=f"Havenstraat {aid}", rooms=rooms)
    for k in range(people):
        pid = f"{aid}-p{k}"
        worker(case, pid, name=f"worker {aid} {k}")
        case.add("residence", id=f"{pid}-r", resident=pid, address=aid)


def test_wk_address_cluster(case):
    _home(case, "a1", rooms=2, people=9)  # 9 >= max(6, 4)
    _home(case, "a2", rooms=5, people=7)  # 7 < max(6, 10)
    _home(case, "a3", rooms=3, people=6)  # exactly at max(6, 6)
    hits = case.hits("wk_address_cluster")
    assert {h.split("-")[0] for h in hits} == {"a1", "a3"}
    assert len(hits) == 15
    assert "with 8 others (2 rooms)" in hits["a1-p0"][1]


def test_ch_below_minimum_age(case):
    worker(case, "child", born=D(2012, 5, 1))  # 11 on 2024-03-01: no work is lawful
    worker(case, "at13", born=D(2011, 3, 1), name="maria ionescu")  # 13 that day: light work
    worker(case, "just12", born=D(2011, 3, 2), name="ana rusu")  # 12 on 2024-03-01
    worker(case, "light", born=D(2010, 1, 1), name="jan jansen")  # 14: light work, legal here
    for pid in ("child", "at13", "just12", "light"):
        slip(case, f"s-{pid}", pid, 80, 10)
    hits = case.hits("ch_below_minimum_age")
    assert set(hits) == {"child", "just12"}
    assert hits["child"][1].startswith("aged 11 when working (2024-03-01); light work is allowed")
    assert hits["child"][2] == [{"tbl": "wage_payment", "id": "s-child"}]


def test_ch_long_hours_hazardous(case):
    worker(case, "long", born=D(2007, 1, 1))
    worker(case, "short", born=D(2007, 1, 1), name="maria ionescu")
    worker(case, "adult", born=D(2000, 1, 1), name="ana rusu")
    worker(case, "fulltime", born=D(2007, 1, 1), name="jan jansen")
    worker(case, "two-jobs", born=D(2007, 1, 1), name="ion popescu")
    worker(case, "at-limit", born=D(2007, 1, 1), name="eva novak")
    # March: 31 days = 4.43 weeks; 200 h = 45 h/week.
    slip(case, "s1", "long", 1500, 200, start=D(2024, 3, 1))
    slip(case, "s2", "short", 900, 120, start=D(2024, 3, 1))
    slip(case, "s3", "adult", 2500, 200, start=D(2024, 3, 1))
    # Full time, 173.5 h a month: 43.4 h/week in a 28-day period, 39.2 in a 31-day one and
    # 40.7 on average over the two, which is what the threshold is about.
    slip(case, "f1", "fulltime", 1200, 173.5, start=D(2024, 2, 1))
    slip(case, "f2", "fulltime", 1200, 173.5, start=D(2024, 3, 1))
    # Two part-time jobs in the same 31 days add up to 48.4 h/week.
    slip(case, "j1", "two-jobs", 700, 110, start=D(2024, 3, 1), employer="a")
    slip(case, "j2", "two-jobs", 700, 104.5, start=D(2024, 3, 1), employer="b")
    # Exactly 43 h/week: 31 days × 43 / 7 hours.
    slip(case, "t1", "at-limit", 1000, 31 * 43 / 7, start=D(2024, 3, 1))
    for sid in ("s1", "s2", "s3", "f2", "j1", "j2", "t1"):
        _set(case, f"UPDATE wage_payment SET periodEnd = DATE '2024-03-31' WHERE id = '{sid}'")
    hits = case.hits("ch_long_hours_hazardous")
    assert set(hits) == {"long", "two-jobs", "at-limit"}
    assert "aged 17, 45.2 hours a week on average over 1 pay periods" in hits["long"][1]
    assert "48.4 hours a week" in hits["two-jobs"][1]
    assert hits["two-jobs"][2] == [
        {"tbl": "wage_payment", "id": "j1"},
        {"tbl": "wage_payment", "id": "j2"},
    ]


def _set(case, sql: str) -> None:
    import duckdb

    con = duckdb.connect(str(case.ws.db_path))
    con.execute(sql)
    con.close()


def test_co_short_lifespan(case):
    case.add(
        "company",
        id="c-short",
        name="A",
        incorporationDate=D(2023, 1, 1),
        dissolutionDate=D(2023, 9, 1),
    )
    case.add(
        "company",
        id="c-long",
        name="B",
        incorporationDate=D(2010, 1, 1),
        dissolutionDate=D(2020, 1, 1),
    )
    case.add("company", id="c-alive", name="C", incorporationDate=D(2023, 1, 1))
    hits = case.hits("co_short_lifespan")
    assert set(hits) == {"c-short"}
    assert "8 months after incorporation" in hits["c-short"][1]


def test_co_mass_registration_address(case):
    for k in range(20):
        case.add("company", id=f"c{k}", name=f"firm {k}", address_key="havenstraat 12 monster")
    for k in range(19):
        case.add("company", id=f"d{k}", name=f"firm {k}", address_key="kerkstraat 1 delft")
    case.add(
        "company",
        id="gone",
        name="old",
        address_key="havenstraat 12 monster",
        dissolutionDate=D(2020, 1, 1),
    )
    hits = case.hits("co_mass_registration_address")
    assert set(hits) == {f"c{k}" for k in range(20)}


def test_co_undeclared_workers_share(case):
    case.add(
        "inspection",
        id="i1",
        date=D(2024, 5, 1),
        employer="c-bad",
        workersObserved=10,
        workersUndeclared=4,
    )
    case.add(
        "inspection",
        id="i2",
        date=D(2024, 5, 2),
        employer="c-ok",
        workersObserved=10,
        workersUndeclared=0,
    )
    hits = case.hits("co_undeclared_workers_share")
    assert set(hits) == {"c-bad"} and hits["c-bad"][0] == 1.0


def test_co_prior_labour_infringements(case):
    case.add(
        "inspection",
        id="i1",
        date=D(2024, 5, 1),
        employer="c-bad",
        findings=["onderbetaling", "arbeidstijden"],
    )
    case.add(
        "inspection", id="i2", date=D(2024, 5, 1), employer="c-ok", findings=["geen overtredingen"]
    )
    case.add("inspection", id="i3", date=D(2020, 1, 1), employer="c-old", findings=["huisvesting"])
    hits = case.hits("co_prior_labour_infringements")
    assert set(hits) == {"c-bad"}  # c-old's finding is older than 36 months
    assert "onderbetaling" in hits["c-bad"][1]


def test_co_employer_is_landlord(case):
    case.add("address", id="h1", full="Havenstraat 12", owner="c-boss")
    case.add("address", id="h2", full="Kerkstraat 1", owner="someone-else")
    for k in range(3):
        worker(case, f"p{k}", name=f"w {k}")
        case.add("employment", id=f"e{k}", employee=f"p{k}", employer="c-boss")
        case.add("residence", id=f"r{k}", resident=f"p{k}", address="h1" if k < 2 else "h2")
    worker(case, "q", name="q")
    case.add("employment", id="eq", employee="q", employer="c-one")
    case.add("address", id="h3", full="Dorpsstraat 3", owner="c-one")
    case.add("residence", id="rq", resident="q", address="h3")  # one worker: below 2
    hits = case.hits("co_employer_is_landlord")
    assert set(hits) == {"c-boss"}
    assert "houses 2 of its workers in 1 home" in hits["c-boss"][1]


def test_co_nominee_director(case):
    worker(case, "straw", born=D(2000, 1, 1), name="ion straw")
    worker(case, "normal", born=D(1970, 1, 1), name="jan normal")
    for k in range(5):  # five appointments within a year
        case.add(
            "directorship",
            id=f"d{k}",
            director="straw",
            organization=f"c{k}",
            startDate=D(2024, 1 + k, 1),
        )
    for k in range(4):
        case.add(
            "directorship",
            id=f"n{k}",
            director="normal",
            organization=f"x{k}",
            startDate=D(2020 + k, 1, 1),
        )
    hits = case.hits("co_nominee_director")
    assert set(hits) == {f"c{k}" for k in range(5)}
    assert "5 appointed within a year" in hits["c4"][1]


def test_tx_multi_salary_one_account(case):
    iban = "NL91ABNA0417164300"
    case.add("bank_account", id="acc-pool", iban=iban)
    case.add("bank_account", id="acc-own", iban="NL02ABNA0123456789")
    for k, tax in enumerate(("1", "2", "3")):
        worker(case, f"p{k}", tax=tax, name=f"w {k}")
        slip(case, f"s{k}", f"p{k}", 2000, 160, iban=iban)
    worker(case, "q", tax="9", name="q")
    slip(case, "sq1", "q", 2000, 160, iban="NL02ABNA0123456789")
    slip(case, "sq2", "q", 2000, 160, iban="NL02ABNA0123456789", start=D(2024, 4, 1))
    case.add("bank_account", id="acc-card", iban="NL36RABO9060316126")
    for k in range(3):
        worker(case, f"c{k}", tax=f"c{k}", name=f"c {k}")
        slip(
            case,
            f"sc{k}",
            f"c{k}",
            2000,
            160,
            iban="NL36RABO9060316126",
            holder="bv holland loonkaart",
        )
    hits = case.hits("tx_multi_salary_one_account")
    assert set(hits) == {"acc-pool", "acc-card"}
    assert "receives the wages of 3 workers" in hits["acc-pool"][1]
    assert hits["acc-card"][0] == pytest.approx(hits["acc-pool"][0] * 0.3)


def _tx(case, tid, payer, payee, amount, day, purpose="") -> None:
    case.add(
        "transaction",
        id=tid,
        payerAccount=payer,
        beneficiaryAccount=payee,
        amount=amount,
        date=day,
        purpose=purpose,
    )


def test_tx_salary_in_then_out(case):
    for m in (3, 4):
        _tx(case, f"w{m}", "employer", "drained", 1500, D(2024, m, 5), "SALARIS MAART")
        _tx(case, f"o{m}", "drained", None, 1300, D(2024, m, 6), "GELDAUTOMAAT")
        _tx(case, f"k{m}", "employer", "kept", 1500, D(2024, m, 5), "SALARIS")
        _tx(case, f"g{m}", "kept", "shop", 60, D(2024, m, 6), "BETAALAUTOMAAT")
        _tx(case, f"l{m}", "employer", "late", 1500, D(2024, m, 5), "SALARIS")
        _tx(case, f"x{m}", "late", None, 1400, D(2024, m, 9), "GELDAUTOMAAT")  # after 2 days
        # A pay-card provider passes each wage on as pay the next day: no drain.
        for k in range(3):
            _tx(case, f"c{m}{k}", f"agency{k}", "paycard", 1500, D(2024, m, 5), "SALARIS")
            _tx(
                case,
                f"u{m}{k}",
                "paycard",
                f"card{k}",
                1500,
                D(2024, m, 6),
                f"LOONKAART UITBETALING E{k}",
            )
        # Cash out twice in a window of two credits: each credit drains at most itself.
        _tx(case, f"a{m}", "employer", "twice", 1000, D(2024, m, 5), "SALARIS")
        _tx(case, f"b{m}", "employer", "twice", 1000, D(2024, m, 6), "SALARIS")
        _tx(case, f"z{m}", "twice", None, 1900, D(2024, m, 7), "GELDAUTOMAAT")
    hits = case.hits("tx_salary_in_then_out")
    assert set(hits) == {"drained", "twice"}
    assert "2 salary credits of which 87% left within 2 days" in hits["drained"][1]
    assert "4 salary credits of which 100% left within 2 days" in hits["twice"][1]
    assert {"tbl": "transaction", "id": "o3"} in hits["drained"][2]


def test_co_hours_pay_mismatch(case):
    for k in range(3):
        worker(case, f"p{k}", name=f"w {k}")
        slip(case, f"s{k}", f"p{k}", 2000, 160, worked=200 if k < 2 else 170, employer="c-bad")
    worker(case, "q", name="q")
    slip(case, "sq", "q", 2000, 160, worked=200, employer="c-one")  # one worker only
    hits = case.hits("co_hours_pay_mismatch")
    assert set(hits) == {"c-bad"}
    assert "2 workers with more hours worked than paid" in hits["c-bad"][1]


def test_co_underpays_minimum_wage(case):
    for k in range(2):
        worker(case, f"p{k}", name=f"w {k}")
        slip(case, f"s{k}", f"p{k}", 160 * 9.0, 160, employer="c-bad")
        worker(case, f"q{k}", name=f"v {k}")
        slip(case, f"t{k}", f"q{k}", 160 * 14.0, 160, employer="c-good")
    worker(case, "r", name="r")
    slip(case, "sr", "r", 160 * 9.0, 160, employer="c-one")
    hits = case.hits("co_underpays_minimum_wage")
    assert set(hits) == {"c-bad"}
    assert "2 workers paid below the minimum (as low as 9.00" in hits["c-bad"][1]


def test_co_pays_into_shared_accounts(case):
    for k in range(3):
        worker(case, f"p{k}", tax=str(k), name=f"w {k}")
        slip(case, f"s{k}", f"p{k}", 2000, 160, iban="NL91ABNA0417164300", employer="c-bad")
        worker(case, f"q{k}", tax=f"q{k}", name=f"v {k}")
        slip(case, f"t{k}", f"q{k}", 2000, 160, iban=f"NL0{k}ABNA0123456789", employer="c-ok")
        worker(case, f"r{k}", tax=f"r{k}", name=f"u {k}")  # paid on pay cards
        slip(
            case,
            f"u{k}",
            f"r{k}",
            2000,
            160,
            iban="NL36RABO9060316126",
            employer="c-card",
            holder="bv holland loonkaart",
        )
        # paid through a registered pay-card provider whose name carries no legal form
        worker(case, f"x{k}", tax=f"x{k}", name=f"x {k}")
        slip(
            case,
            f"x{k}",
            f"x{k}",
            2000,
            160,
            iban="NL44RABO0123456789",
            employer="c-prov",
            holder="dijk salarisdiensten van",
        )
    case.add(
        "company", id="prov", name="Salarisdiensten van Dijk", name_key="dijk salarisdiensten van"
    )
    hits = case.hits("co_pays_into_shared_accounts")
    assert set(hits) == {"c-bad", "c-card", "c-prov"}
    assert "pays 3 workers into 1 shared account(s)" in hits["c-bad"][1]
    assert "held by a company" in hits["c-card"][1]
    assert hits["c-card"][0] == pytest.approx(hits["c-bad"][0] * 0.3)
    assert hits["c-prov"][0] == pytest.approx(hits["c-bad"][0] * 0.3)


def test_co_phoenix_successor(case):
    case.add(
        "company",
        id="old",
        name="Old",
        incorporationDate=D(2021, 1, 1),
        dissolutionDate=D(2024, 3, 31),
        address_key="havenstraat 12 monster",
    )
    case.add(
        "company",
        id="new",
        name="New",
        incorporationDate=D(2024, 3, 1),
        address_key="havenstraat 12 monster",
    )
    case.add(
        "company",
        id="other",
        name="Other",
        incorporationDate=D(2024, 3, 1),
        address_key="kerkstraat 1 delft",
    )  # same timing, nothing shared
    case.add(
        "company",
        id="half",
        name="Half",
        incorporationDate=D(2024, 3, 15),
        address_key="havenstraat 12 monster",
    )
    for k in range(4):
        worker(case, f"p{k}", name=f"w {k}")
        case.add(
            "employment",
            id=f"e-old{k}",
            employee=f"p{k}",
            employer="old",
            startDate=D(2022, 1, 1),
            endDate=D(2024, 3, 31),
        )
        target = "new" if k < 3 else "half"
        case.add(
            "employment",
            id=f"e-{target}{k}",
            employee=f"p{k}",
            employer=target,
            startDate=D(2024, 4, 1),
        )
        if k == 0:
            case.add(
                "employment",
                id=f"e-oth{k}",
                employee=f"p{k}",
                employer="other",
                startDate=D(2024, 4, 1),
            )
    hits = case.hits("co_phoenix_successor")
    assert set(hits) == {"new"}  # 3 of 4 moved; 'half' took 1, 'other' shares nothing
    assert "took over 3 of 4 workers of old" in hits["new"][1]


def test_co_extreme_turnover(case):
    for k in range(5):
        case.add(
            "employment",
            id=f"s{k}",
            employee=f"p{k}",
            employer="c-churn",
            startDate=D(2024, 1, 1),
            endDate=D(2024, 2, 15),
        )
        case.add(
            "employment",
            id=f"l{k}",
            employee=f"q{k}",
            employer="c-stable",
            startDate=D(2020, 1, 1),
            endDate=D(2024, 2, 15),
        )
    for k in range(4):  # too few ended spells to judge
        case.add(
            "employment",
            id=f"f{k}",
            employee=f"r{k}",
            employer="c-small",
            startDate=D(2024, 1, 1),
            endDate=D(2024, 1, 20),
        )
    hits = case.hits("co_extreme_turnover")
    assert set(hits) == {"c-churn"}
    assert "median spell 45 days over 5 ended spells" in hits["c-churn"][1]


def test_wk_cash_only_small_allowance(case):
    for pid, method in (("p-cash", "contant"), ("p-bank", "overboeking")):
        worker(case, pid, name=pid)
        for m in (3, 4):
            case.add(
                "wage_payment",
                id=f"{pid}{m}",
                employee=pid,
                periodStart=D(2024, m, 1),
                payMethod=method,
                net=400,
            )
    worker(case, "p-once", name="p-once")
    case.add("wage_payment", id="once", employee="p-once", periodStart=MARCH, payMethod="cash")
    hits = case.hits("wk_cash_only_small_allowance")
    assert set(hits) == {"p-cash"}
    assert "2 payslips paid in cash (800.00 in total)" in hits["p-cash"][1]


def test_wk_shared_contact_details(case):
    shared = "+40721234567"
    case.add(
        "person",
        id="a",
        name="ion popescu",
        name_key="ion popescu",
        phone=shared,
        lastName="Popescu",
    )
    case.add(
        "person",
        id="b",
        name="maria ionescu",
        name_key="ionescu maria",
        phone=shared,
        lastName="Ionescu",
    )
    # Relatives share a phone: same surname, not a flag.
    case.add(
        "person",
        id="c",
        name="ana rusu",
        name_key="ana rusu",
        phone="+40722000111",
        lastName="Rusu",
    )
    case.add(
        "person",
        id="d",
        name="petru rusu",
        name_key="petru rusu",
        phone="+40722000111",
        lastName="Rusu",
    )
    hits = case.hits("wk_shared_contact_details")
    assert set(hits) == {"a", "b"}
    assert "phone +40721234567 also given by 1 other people" in hits["a"][1]


def test_ch_light_work_exceeded(case):
    worker(case, "k13", born=D(2011, 1, 1))
    worker(case, "k13-light", born=D(2011, 1, 1), name="maria ionescu")
    worker(case, "k16", born=D(2008, 1, 1), name="ana rusu")
    slip(case, "s1", "k13", 300, 80)  # 80 h in 28 days: 20 h a week
    slip(case, "s2", "k13-light", 150, 40)  # 10 h a week
    slip(case, "s3", "k16", 300, 80)
    hits = case.hits("ch_light_work_exceeded")
    assert set(hits) == {"k13"}
    assert "aged 13, 20.0 hours a week on average over 1 pay periods (up to 20)" in hits["k13"][1]


def test_tx_many_payers_one_account(case):
    for k in range(5):
        for day in (3, 17):
            _tx(case, f"a{k}-{day}", f"victim{k}", "collector", 300, D(2024, 3, day), "OVERBOEKING")
    for k in range(4):  # only four payers
        for day in (3, 17):
            _tx(case, f"b{k}-{day}", f"friend{k}", "quiet", 50, D(2024, 3, day), "TIKKIE")
    for k in range(6):  # many payers, but each once
        _tx(case, f"c{k}", f"client{k}", "shop", 20, D(2024, 3, 5 + k), "BESTELLING")
    hits = case.hits("tx_many_payers_one_account")
    assert set(hits) == {"collector"}
    assert "5 payers paying repeatedly in one month" in hits["collector"][1]


def test_tx_salary_no_living_spend(case):
    for m in range(3, 9):
        _tx(case, f"w{m}", "employer", "bare", 1500, D(2024, m, 5), "SALARIS")
        _tx(case, f"v{m}", "employer", "lived", 1500, D(2024, m, 5), "SALARIS")
        _tx(case, f"g{m}", "lived", "aldi", 40, D(2024, m, 7), "BETAALAUTOMAAT ALDI")
        _tx(case, f"h{m}", "lived", "landlord", 600, D(2024, m, 1), "HUUR")
        # 74 a month in shops: 4.9% of the salary, just under the 5% of the reference rule
        _tx(case, f"e{m}", "employer", "edge", 1500, D(2024, m, 5), "SALARIS")
        _tx(case, f"f{m}", "edge", "shop", 74, D(2024, m, 9), "POS JUMBO")
        # 76 a month: 5.1%, a small but ordinary upkeep
        _tx(case, f"k{m}", "employer", "upkeep", 1500, D(2024, m, 5), "SALARIS")
        _tx(case, f"l{m}", "upkeep", "shop", 76, D(2024, m, 9), "POS JUMBO")
    for m in range(3, 5):  # two months only
        _tx(case, f"x{m}", "employer", "short", 1500, D(2024, m, 5), "SALARIS")
    _tx(case, "late", "bare", "shop", 500, D(2024, 10, 1), "POS JUMBO")  # after the last salary
    hits = case.hits("tx_salary_no_living_spend")
    assert set(hits) == {"bare", "edge"}
    assert hits["bare"][1] == (
        "salary of 9000.00 credited in 6 months; living costs paid out 0.00 (0.0%, 0 payment(s))"
    )
    assert "444.00 (4.9%, 6 payment(s))" in hits["edge"][1]
    assert hits["bare"][2] == [{"tbl": "transaction", "id": f"w{m}"} for m in range(3, 9)]


def test_str_prior_ht_report(case):
    case.add(
        "report",
        id="r1",
        reportNumber="1/A",
        reason="Salaries of several workers pooled",
        indicators=["ML-THB-03"],
    )
    case.add("report", id="r2", reportNumber="1/B", reason="Large cash deposits")
    case.add(
        "transaction",
        id="t1",
        payerAccount="employer",
        beneficiaryAccount="pool",
        amount=1000,
        date=MARCH,
        report="r1",
    )
    case.add("transaction", id="t2", payerAccount="cashy", amount=5000, date=MARCH, report="r2")
    case.add("transaction", id="t3", payerAccount="x", beneficiaryAccount="y", amount=5, date=MARCH)
    hits = case.hits("str_prior_ht_report")
    assert set(hits) == {"employer", "pool", "cashy"}
    assert hits["pool"][0] == 1.0 and hits["cashy"][0] == 0.6
    assert {"tbl": "report", "id": "r1"} in hits["pool"][2]


def test_co_high_risk_sector(case):
    case.add("company", id="farm", name="A", sector="A01.13")
    case.add("company", id="wash", name="B", sector="G4520")  # SBI code without the dot
    case.add("company", id="soft", name="C", sector="J62.01")
    case.add("company", id="garage", name="D", sector="G45.11")
    hits = case.hits("co_high_risk_sector")
    assert set(hits) == {"farm", "wash"}


def test_co_excessive_deductions(case):
    for k in range(2):
        worker(case, f"p{k}", name=f"w {k}")
        slip(
            case,
            f"s{k}",
            f"p{k}",
            2000,
            160,
            deductions=800,
            kinds=["huisvesting"],
            employer="c-bad",
        )
        worker(case, f"q{k}", name=f"v {k}")
        slip(case, f"t{k}", f"q{k}", 2000, 160, deductions=200, kinds=["pensioen"], employer="c-ok")
    hits = case.hits("co_excessive_deductions")
    assert set(hits) == {"c-bad"}
    assert (
        "2 workers lose more than 30% of gross pay to deductions (huisvesting)" in hits["c-bad"][1]
    )


def test_co_recruitment_debt(case):
    for k in range(2):
        worker(case, f"p{k}", name=f"w {k}")
        slip(
            case,
            f"s{k}",
            f"p{k}",
            2000,
            160,
            deductions=150,
            kinds=["voorschot reiskosten"],
            employer="c-debt",
        )
    worker(case, "q", name="q")
    slip(case, "t", "q", 2000, 160, deductions=150, kinds=["voorschot"], employer="c-one")
    hits = case.hits("co_recruitment_debt")
    assert set(hits) == {"c-debt"}
    assert "deducts voorschot reiskosten from 2 workers" in hits["c-debt"][1]
