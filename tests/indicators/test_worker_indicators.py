"""Worker indicators on working time, pay, housing and status (catalogue/worker_conditions.yml),
each on a tiny hand-made workspace: a case that fires, one that must not, and one exactly at the
threshold. Names follow ``test_<indicator id>`` (checked by test_catalogue)."""

from __future__ import annotations

import calendar
import datetime as dt

D = dt.date
BORN = D(1990, 1, 1)
JANUARY = D(2024, 1, 1)
MARCH = D(2024, 3, 1)


def worker(case, pid: str, born: dt.date | None = BORN, name: str | None = None, **extra) -> str:
    name = name or pid
    return case.add("person", id=pid, name=name, name_key=name, birthDate=born, **extra)


def month_end(day: dt.date) -> dt.date:
    return D(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def slip(
    case,
    sid: str,
    who: str,
    gross: float | None = 2000.0,
    hours: float | None = 160.0,
    worked: float | None = None,
    start: dt.date = MARCH,
    end: dt.date | None = None,
    employer: str | None = None,
    deductions: float = 0.0,
    kinds: list | None = None,
    **extra,
) -> str:
    return case.add(
        "wage_payment",
        id=sid,
        employee=who,
        employer=employer,
        periodStart=start,
        periodEnd=end or month_end(start),
        gross=gross,
        hoursPaid=hours,
        hoursWorked=worked,
        deductions=deductions,
        deductionType=kinds,
        **extra,
    )


def job(
    case,
    eid: str,
    who: str,
    employer: str,
    start: dt.date | None = JANUARY,
    end: dt.date | None = None,
    **extra,
) -> str:
    return case.add(
        "employment",
        id=eid,
        employee=who,
        employer=employer,
        startDate=start,
        endDate=end,
        **extra,
    )


def home(case, aid: str, rooms: int | None = None, area: float | None = None, **extra) -> str:
    extra.setdefault("full", f"{aid}straat 1")
    extra.setdefault("full_key", extra["full"].lower())
    return case.add("address", id=aid, rooms=rooms, floorArea=area, **extra)


def stay(
    case,
    rid: str,
    who: str,
    aid: str,
    start: dt.date | None = JANUARY,
    end: dt.date | None = None,
    **extra,
) -> str:
    return case.add(
        "residence", id=rid, resident=who, address=aid, startDate=start, endDate=end, **extra
    )


def ev(tbl: str, *ids: str) -> list[dict]:
    return [{"tbl": tbl, "id": i} for i in ids]


def test_wk_excessive_weekly_hours(case):
    # Four 4-week pay periods: a 16-week record, averaged as a whole.
    starts = [D(2024, 1, 1) + dt.timedelta(days=28 * k) for k in range(4)]

    def periods(pid: str, hours: list[float], employer: str | None = None) -> None:
        for k, (start, h) in enumerate(zip(starts, hours, strict=True)):
            slip(
                case,
                f"{pid}-{employer or ''}{k}",
                pid,
                hours=h,
                start=start,
                end=start + dt.timedelta(days=27),
                employer=employer,
            )

    periods("p-long", [200] * 4)  # 50 h/week
    periods("p-edge", [192] * 4)  # 48 h/week exactly: not above the ceiling
    periods("p-peak", [160, 160, 160, 250])  # 45.6 on average but 62.5 in one period
    periods("p-peak-edge", [160, 160, 160, 240])  # 60 h/week exactly: not severe
    periods("p-two", [100] * 4, employer="c1")  # two jobs at 25 h/week each...
    periods("p-two", [100] * 4, employer="c2")  # ... make 50
    for k, start in enumerate(starts):  # one payslip listed by two sources counts once
        for source in ("payroll.csv", "bank.csv"):
            case.add(
                "wage_payment",
                id=f"dup-{source}-{k}",
                employee="p-dup",
                employer="c1",
                periodStart=start,
                periodEnd=start + dt.timedelta(days=27),
                hoursPaid=150,
                source_id=source,
            )
    hits = case.hits("wk_excessive_weekly_hours")
    assert set(hits) == {"p-long", "p-peak", "p-two"}
    strength, value, evidence = hits["p-long"]
    assert value.startswith("50.0 h/week on average over 16 weeks to 2024-04-21")
    assert 0.55 < strength < 0.65
    assert evidence == ev("wage_payment", *(f"p-long-{k}" for k in range(4)))
    strength, value, evidence = hits["p-peak"]
    assert "up to 62.5 h/week in the pay period from 2024-03-25" in value and strength >= 0.7
    assert evidence == ev("wage_payment", "p-peak-3")
    assert len(hits["p-two"][2]) == 8 and hits["p-two"][1].startswith("50.0 h/week")


def test_wk_insufficient_rest(case):
    four_weeks = {"start": D(2024, 2, 1), "end": D(2024, 2, 28)}  # 28 days: at most 4 x 78 h
    slip(case, "s-over", "p-over", hours=320, **four_weeks)
    slip(case, "s-edge", "p-edge", hours=312, **four_weeks)
    # 31 days: 4 whole weeks and 3 days, at most 4 x 78 + 3 x 13 = 351 h
    slip(case, "s-march", "p-march", hours=351, start=D(2024, 3, 1))
    slip(case, "s-a", "p-two", hours=160, employer="c1", **four_weeks)
    slip(case, "s-b", "p-two", hours=160, employer="c2", **four_weeks)
    hits = case.hits("wk_insufficient_rest")
    assert set(hits) == {"p-over", "p-two"}
    strength, value, evidence = hits["p-over"]
    assert value.startswith(
        "320 hours in the 28 days from 2024-02-01 (80.0 h/week), more than the 312 h"
    )
    assert 0.65 < strength < 0.75
    assert evidence == ev("wage_payment", "s-over")
    assert hits["p-two"][2] == ev("wage_payment", "s-a", "s-b")


def test_wk_unpaid_or_withheld_wages(case):
    for pid in ("p-gap", "p-one", "p-ok", "p-nojob", "p-anon"):
        worker(case, pid)
    for pid in ("p-gap", "p-one", "p-ok", "p-anon"):
        job(case, f"e-{pid}", pid, "c1")
    for m in (1, 4):  # February and March unpaid: 2 periods, the threshold
        slip(case, f"gap{m}", "p-gap", start=D(2024, m, 1), employer="c1")
        slip(case, f"nojob{m}", "p-nojob", start=D(2024, m, 1), employer="c1")
        slip(case, f"anon{m}", "p-anon", start=D(2024, m, 1))  # payslips naming no employer
    for m in (1, 3):  # February only: 1 period
        slip(case, f"one{m}", "p-one", start=D(2024, m, 1), employer="c1")
    for m in (1, 2, 3, 4):
        slip(case, f"ok{m}", "p-ok", start=D(2024, m, 1), employer="c1")
    # Hours worked and nothing paid, and pay more than two periods late.
    slip(case, "zero", "p-late", gross=0, worked=160, start=D(2024, 3, 1))
    slip(case, "late", "p-late", start=D(2024, 3, 1), paymentDate=D(2024, 6, 15))  # 76 days
    slip(case, "due", "p-late-ok", start=D(2024, 3, 1), paymentDate=D(2024, 5, 5))  # 35 days
    hits = case.hits("wk_unpaid_or_withheld_wages")
    assert set(hits) == {"p-gap", "p-anon", "p-late"}
    strength, value, evidence = hits["p-gap"]
    assert value == ("2 month(s) of employment without pay between paid months (2024-02, 2024-03)")
    assert evidence == ev("employment", "e-p-gap") + ev("wage_payment", "gap1", "gap4")
    assert 0.6 <= strength <= 0.7
    value = hits["p-late"][1]
    assert "1 payslip(s) with 160 hours worked and nothing paid" in value
    assert "1 payslip(s) paid more than 2 pay periods late" in value
    assert hits["p-late"][2] == ev("wage_payment", "late", "zero")


def test_wk_fines_deducted(case):
    slip(case, "s1", "p-kara", deductions=50, kinds=["Kara porządkowa"])  # one is enough
    for m in (3, 4):
        slip(
            case,
            f"b{m}",
            "p-boete",
            start=D(2024, m, 1),
            deductions=80,
            kinds=["Boete te laat", "huisvesting"],
        )
    slip(case, "s3", "p-none", deductions=40, kinds=["Amendament contract", "defined benefit"])
    slip(case, "s4", "p-rent", deductions=300, kinds=["Miete"])
    hits = case.hits("wk_fines_deducted")
    assert set(hits) == {"p-kara", "p-boete"}
    assert hits["p-kara"][1] == "1 payslip(s) deduct Kara porządkowa (50.00 in deductions)"
    assert hits["p-kara"][2] == ev("wage_payment", "s1")
    assert hits["p-boete"][1] == "2 payslip(s) deduct Boete te laat (160.00 in deductions)"
    assert hits["p-boete"][0] > hits["p-kara"][0]


def test_wk_no_contract_or_registration(case):
    case.add("company", id="c1", name="Acme BV", name_key="acme")
    # c1's employment records cover two of the workers it pays (the threshold), c2's only one
    for pid, employer in (("p-a", "c1"), ("p-b", "c1"), ("p-c", "c2")):
        job(case, f"e-{pid}", pid, employer, socialSecurityRegistered=True)
        slip(case, f"s-{pid}", pid, employer=employer)
    job(case, "e-ss", "p-ss", "c2", socialSecurityRegistered=False)
    job(case, "e-n", "p-n", "c2", socialSecurityRegistered=None)
    slip(case, "s-x1", "p-x", employer="c1")
    slip(case, "s-x2", "p-x", employer="c1", start=D(2024, 4, 1))
    slip(case, "s-y", "p-y", employer="c2")
    hits = case.hits("wk_no_contract_or_registration")
    assert set(hits) == {"p-x", "p-ss"}
    strength, value, evidence = hits["p-x"]
    assert value == (
        "Acme BV: paid without an employment record (its records cover 2 of the 3 workers it "
        "pays) (2 records)"
    )
    assert evidence == ev("wage_payment", "s-x1", "s-x2") and strength == 0.6
    assert hits["p-ss"][1] == "c2: not registered for social security"
    assert hits["p-ss"][2] == ev("employment", "e-ss")


def test_wk_no_contract_or_registration_needs_records_that_link_to_payroll(case):
    # Employment and payroll from sources whose people are not resolved into one id yet: the
    # employment records do not show who the employer pays, so a missing one proves nothing.
    for k in range(3):
        job(case, f"e{k}", f"uwv-{k}", "c1")
        slip(case, f"s{k}", f"payroll-{k}", employer="c1")
    assert case.hits("wk_no_contract_or_registration") == {}


def test_wk_terms_differ_from_offer(case):
    monthly = {"wage": 2080, "wagePeriod": "month", "contractHours": 40}  # 12.00 an hour
    for pid in ("p-short", "p-edge", "p-ok", "p-out"):
        job(case, f"e-{pid}", pid, "c1", **monthly)
    job(case, "e-hour", "p-hour", "c1", wage=15, wagePeriod="per uur")
    job(case, "e-de", "p-de", "c1", wage=480, wagePeriod="Wochenlohn", contractHours=40)
    slip(case, "s-short", "p-short", gross=1504, hours=160, employer="c1")  # 9.40: 22% short
    slip(case, "s-edge", "p-edge", gross=1536, hours=160, employer="c1")  # 9.60: 20% exactly
    slip(case, "s-ok", "p-ok", gross=2080, hours=173, employer="c1")
    slip(case, "s-out", "p-out", gross=1000, start=D(2023, 6, 1), employer="c1")  # before it
    slip(case, "s-hour", "p-hour", gross=2000, hours=160, worked=200, employer="c1")  # 10.00
    slip(case, "s-de", "p-de", gross=1600, hours=160, employer="c1")  # 10.00 vs 12.00: 17%
    hits = case.hits("wk_terms_differ_from_offer")
    assert set(hits) == {"p-short", "p-hour"}
    strength, value, evidence = hits["p-short"]
    assert value == "effective pay 9.40/h vs 12.00/h agreed (2080.00, month) in 1 payslip(s)"
    assert evidence == ev("employment", "e-p-short") + ev("wage_payment", "s-short")
    assert 0.7 < strength < 0.8
    assert "effective pay 10.00/h vs 15.00/h agreed (15.00, per uur)" in hits["p-hour"][1]


def test_wk_overcrowded_dwelling(case):
    home(case, "h1", rooms=1)
    home(case, "h1b", rooms=1)
    home(case, "h2", rooms=2)
    home(case, "area", rooms=4, area=29)
    home(case, "area-edge", rooms=4, area=30)
    home(case, "time", rooms=1)
    for k in range(2):  # 2 people in 1 room: the standard's limit
        stay(case, f"r-h1-{k}", f"h1-{k}", "h1")
    for k in range(3):
        stay(case, f"r-h1b-{k}", f"h1b-{k}", "h1b")
        stay(case, f"r-area-{k}", f"area-{k}", "area")  # 9.7 m² each
        stay(case, f"r-edge-{k}", f"edge-{k}", "area-edge")  # 10 m² each
    # 2 rooms for 3: two adults and two children under 10 count as 3
    for k, born in enumerate((BORN, BORN, D(2018, 1, 1), D(2020, 1, 1))):
        worker(case, f"h2-{k}", born=born)
        stay(case, f"r-h2-{k}", f"h2-{k}", "h2")
    # one room, three people, but never more than two at a time
    stay(case, "r-t0", "t0", "time", end=D(2024, 3, 31))
    stay(case, "r-t1", "t1", "time", start=D(2024, 4, 1))
    stay(case, "r-t2", "t2", "time", start=D(2024, 4, 1))
    hits = case.hits("wk_overcrowded_dwelling")
    assert set(hits) == {"h1b-0", "h1b-1", "h1b-2", "area-0", "area-1", "area-2"}
    strength, value, evidence = hits["h1b-0"]
    assert value == (
        "3 people (3.0 by the space standard) at h1bstraat 1 on 2024-01-01, 1 room(s) for at most 2"
    )
    assert evidence == ev("address", "h1b") + ev("residence", "r-h1b-0", "r-h1b-1", "r-h1b-2")
    assert 0.85 < strength < 0.95
    assert hits["area-0"][1].endswith("4 room(s) for at most 7.5, 9.7 m² a person")


def test_wk_excessive_rent(case):
    # Zwolle: too few private homes in the case, so a whole room is the parameter (550).
    home(case, "z1", rooms=2, city="Zwolle")
    stay(case, "r1", "p-month", "z1", rent=550, rentPeriod="maand")  # exactly a room's rent
    stay(case, "r2", "p-below", "z1", rent=549)
    stay(case, "r3", "p-week", "z1", rent=140, rentPeriod="per week")  # 606.67 a month
    stay(case, "r4", "p-deducted", "z1")
    slip(
        case,
        "s4",
        "p-deducted",
        start=D(2024, 2, 1),
        end=D(2024, 2, 28),
        deductions=600,
        kinds=["Huisvesting"],
    )  # 651.79 a month
    home(case, "z2", rooms=1, city="Zwolle")
    stay(case, "r5", "p-alone", "z2", rent=800)  # a room of one's own
    # Utrecht: five private homes at 500 a room, the median the market rent comes from.
    for k in range(5):
        home(case, f"u{k}", rooms=2, city="Utrecht ")
        stay(case, f"ru{k}", f"tenant{k}", f"u{k}", rent=1000)
    home(case, "u-bed", rooms=1, city="utrecht")  # provided by the employer: not market
    job(case, "e-bed", "p-bed", "c1")
    stay(case, "rb1", "p-bed", "u-bed", rent=500, provider="c1")
    stay(case, "rb2", "p-bed2", "u-bed", rent=450, provider="c1")
    hits = case.hits("wk_excessive_rent")
    assert set(hits) == {"p-month", "p-week", "p-deducted", "p-bed"}
    strength, value, evidence = hits["p-month"]
    assert value == (
        "pays 550 a month (rent) at z1straat 1, shared by 4 people in 2 room(s); "
        "a whole room rents for 550 a month (default)"
    )
    assert evidence == ev("residence", "r1") + ev("address", "z1") and strength == 0.5
    assert hits["p-week"][1].startswith("pays 607 a month (rent)")
    assert hits["p-deducted"][1].startswith("pays 652 a month (housing deductions)")
    assert hits["p-deducted"][2] == ev("residence", "r4") + ev("address", "z1") + ev(
        "wage_payment", "s4"
    )
    assert hits["p-bed"][1].endswith(
        "a whole room rents for 500 a month (median of 5 private homes in utrecht)"
    )


def test_wk_lives_at_workplace(case):
    home(case, "site", full="Kasweg 1 Westland", kind="dwelling")
    home(case, "kas", kind="Kas / greenhouse")
    home(case, "flat", kind="dwelling")
    case.add("company", id="c1", name="Acme BV", name_key="acme", address_key="dorpsstraat 2")
    job(case, "e-site", "p-site", "c2", site="Kasweg 1, Westland", site_key="kasweg 1 westland")
    stay(case, "r-site", "p-site", "site")
    stay(case, "r-kas", "p-kas", "kas")
    worker(case, "p-reg", address="Dorpsstraat 2", address_key="dorpsstraat 2")
    job(case, "e-reg", "p-reg", "c1")
    # at the site only before working there; living in a flat while working at the site
    job(case, "e-late", "p-late", "c2", site_key="kasweg 1 westland")
    stay(case, "r-late", "p-late", "site", start=D(2023, 1, 1), end=D(2023, 12, 31))
    job(case, "e-flat", "p-flat", "c2", site_key="kasweg 1 westland")
    stay(case, "r-flat", "p-flat", "flat")
    hits = case.hits("wk_lives_at_workplace")
    assert set(hits) == {"p-site", "p-kas", "p-reg"}
    strength, value, evidence = hits["p-site"]
    assert value == "lives at Kasweg 1 Westland: the work site of their employment"
    assert evidence == ev("employment", "e-site") + ev("residence", "r-site")
    assert strength == 0.9
    assert hits["p-kas"][1] == (
        "lives at kasstraat 1: recorded as a place of kind 'Kas / greenhouse'"
    )
    assert hits["p-reg"][1] == "lives at Dorpsstraat 2: the registered address of employer Acme BV"
    assert hits["p-reg"][2] == ev("company", "c1") + ev("employment", "e-reg") + ev(
        "person", "p-reg"
    )


def test_wk_total_dependency(case):
    home(case, "h")
    home(case, "owned", owner="c3")
    job(case, "e-all", "p-all", "c1")
    stay(case, "r-all", "p-all", "h", provider="c1")
    slip(case, "s-all", "p-all", employer="c1", deductions=300, kinds=["Vervoer", "Maaltijden"])
    slip(case, "s-t1", "p-two", deductions=300, kinds=["Unterkunft"])
    slip(case, "s-t2", "p-two", start=D(2024, 4, 1), deductions=90, kinds=["Verpflegung"])
    job(case, "e-one", "p-one", "c1")
    stay(case, "r-one", "p-one", "h", provider="landlord")  # not an employer of theirs
    slip(case, "s-one", "p-one", deductions=200, kinds=["cazare"])
    job(case, "e-own", "p-own", "c3")
    stay(case, "r-own", "p-own", "owned")  # the employer owns the home
    slip(case, "s-own", "p-own", employer="c3", deductions=60, kinds=["przejazd do pracy"])
    hits = case.hits("wk_total_dependency")
    assert set(hits) == {"p-all", "p-two", "p-own"}
    strength, value, evidence = hits["p-all"]
    assert value == (
        "depends on the employer for food (food deductions in 1 payslip(s)), housing (a home "
        "provided by the employer), transport (transport deductions in 1 payslip(s))"
    )
    assert evidence == ev("residence", "r-all") + ev("wage_payment", "s-all")
    assert strength > hits["p-two"][0]
    assert hits["p-two"][2] == ev("wage_payment", "s-t1", "s-t2")
    assert hits["p-own"][2] == ev("residence", "r-own") + ev("wage_payment", "s-own")


def test_wk_tied_or_precarious_status(case):
    tied = {"permitEmployerTied": True, "permitType": "GVVA"}
    for pid in ("p-low", "p-ok", "p-free", "p-edge", "p-multi"):
        worker(case, pid)
    job(case, "e-low", "p-low", "c1", **tied)
    job(case, "e-ok", "p-ok", "c1", **tied)
    job(case, "e-free", "p-free", "c1", permitEmployerTied=False)
    job(case, "e-edge", "p-edge", "c1", **tied)
    job(case, "e-multi", "p-multi", "c1", **tied)
    slip(case, "s-low", "p-low", gross=1000, hours=160, employer="c1")  # 6.25 €/h
    slip(case, "s-ok", "p-ok", gross=2400, hours=160, employer="c1")
    slip(case, "s-free", "p-free", gross=1000, hours=160, employer="c1")
    # deductions of 30% and 10% more hours worked than paid: both exactly at the limits
    slip(case, "s-edge", "p-edge", gross=2400, hours=160, worked=176, deductions=720, employer="c1")
    slip(
        case,
        "s-multi",
        "p-multi",
        gross=2800,
        hours=160,
        worked=200,
        deductions=1120,
        employer="c1",
    )
    hits = case.hits("wk_tied_or_precarious_status")
    assert set(hits) == {"p-low", "p-multi"}
    strength, value, evidence = hits["p-low"]
    assert value == (
        "permit tied to the employer (GVVA) with pay 6.25 €/h vs minimum 13.27 €/h in 1 payslip(s)"
    )
    assert evidence == ev("employment", "e-low") + ev("wage_payment", "s-low")
    assert hits["p-multi"][1] == (
        "permit tied to the employer (GVVA) with 200 hours worked vs 160 paid in 1 payslip(s); "
        "deductions up to 40% of gross pay in 1 payslip(s)"
    )
    assert hits["p-multi"][0] > strength


def test_wk_frequent_relocation(case):
    for name in ("Alfa BV", "Beta BV", "Gamma BV"):
        case.add("company", id=name[0], name=name, name_key=name.lower())
    job(case, "m1", "p-move", "A", end=D(2024, 1, 31))
    job(case, "m2", "p-move", "B", start=D(2024, 2, 1), end=D(2024, 2, 28))
    job(case, "m3", "p-move", "G", start=D(2024, 3, 1))
    # the first job ends 90 days before the third starts (2 May - 90 days = 2 Feb): still
    # within the window; a day earlier and it is out
    job(case, "x1", "p-edge", "A", end=D(2024, 2, 2))
    job(case, "x2", "p-edge", "B", start=D(2024, 2, 15), end=D(2024, 4, 30))
    job(case, "x3", "p-edge", "G", start=D(2024, 5, 1))
    job(case, "y1", "p-slow", "A", end=D(2024, 2, 1))
    job(case, "y2", "p-slow", "B", start=D(2024, 2, 15), end=D(2024, 4, 30))
    job(case, "y3", "p-slow", "G", start=D(2024, 5, 1))
    # three jobs side by side from the start of the payroll record: not moves
    for employer in ("A", "B", "G"):
        slip(case, f"c-{employer}", "p-side", start=D(2024, 1, 1), employer=employer)
        slip(case, f"d-{employer}", "p-side", start=D(2024, 2, 1), employer=employer)
    # one employer, three sites in two months
    for k, day in enumerate((D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1))):
        job(case, f"s{k}", "p-sites", "A", start=day, site_key=f"site {k}")
    hits = case.hits("wk_frequent_relocation")
    assert set(hits) == {"p-move", "p-edge", "p-sites"}
    strength, value, evidence = hits["p-move"]
    assert value == "3 employers within 90 days up to 2024-03-01 (Alfa BV, Beta BV, Gamma BV)"
    assert evidence == ev("employment", "m1", "m2", "m3") and strength == 0.5
    assert hits["p-sites"][1] == (
        "3 work sites within 90 days up to 2024-03-01 (site 0, site 1, site 2)"
    )


def test_wk_false_or_borrowed_identity(case):
    worker(case, "p1", name="ion popescu", passportNumber="AB123456")
    worker(case, "p2", name="vasile rusu", born=D(1985, 5, 5), passportNumber="AB 123456")
    # the same person twice: word order differs, birth date the same
    worker(case, "p3", name="maria ionescu", born=D(1992, 3, 4), idNumber="RO998877")
    worker(case, "p4", name="ionescu maria", born=D(1992, 3, 4), idNumber="RO998877")
    # a spelling variant (similarity above the threshold) with another birth year
    worker(case, "p5", name="oleksandr melnyk", born=D(1980, 1, 1), taxNumber="9990001")
    worker(case, "p6", name="oleksandr melnik", born=D(1981, 1, 1), taxNumber="9990001")
    # day and month swapped
    worker(case, "p7", name="ana rusu", born=D(1991, 7, 8), taxNumber="5551234")
    worker(case, "p8", name="petra smit", born=D(1991, 8, 7), taxNumber="5551234")
    # a placeholder, and a birth date missing
    worker(case, "p9", name="jan jansen", idNumber="000000")
    worker(case, "p10", name="piet de vries", born=D(1970, 1, 1), idNumber="000000")
    worker(case, "p11", name="kees bakker", born=None, passportNumber="AB123456")
    hits = case.hits("wk_false_or_borrowed_identity")
    assert set(hits) == {"p1", "p2"}
    strength, value, evidence = hits["p1"]
    assert value == (
        "passport number AB123456 also recorded for vasile rusu "
        "(born 1985-05-05, as passport number)"
    )
    assert evidence == ev("person", "p1", "p2") and strength == 0.6
    assert hits["p2"][2] == ev("person", "p2", "p1")
