"""Company-structure and child-labour indicators on tiny hand-made workspaces: for each, a case
that fires, one that must not, and one exactly at the threshold (``test_<indicator id>``)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

D = dt.date
MARCH = D(2024, 3, 1)
BORN = D(1990, 1, 1)
VISIT = D(2024, 5, 1)


def worker(
    case,
    pid: str,
    born: dt.date | None = BORN,
    name: str | None = None,
    **extra: object,
) -> str:
    name = name or f"worker {pid}"
    return case.add("person", id=pid, name=name, name_key=name, birthDate=born, **extra)


def slip(case, sid: str, who: str, employer: str | None = None, start: dt.date = MARCH, **extra):
    return case.add(
        "wage_payment",
        id=sid,
        employee=who,
        employer=employer,
        periodStart=start,
        periodEnd=D(start.year, start.month, 28),
        gross=2000,
        hoursPaid=160,
        **extra,
    )


def firm(case, cid: str, name: str | None = None, **extra: object) -> str:
    return case.add("company", id=cid, name=name or cid.upper(), **extra)


def inspect(case, iid: str, employer: str | None, day: dt.date = VISIT, **extra):
    return case.add("inspection", id=iid, date=day, employer=employer, **extra)


def _tx(case, tid, payer, payee, amount, day=MARCH, channel="wire", purpose="") -> None:
    case.add(
        "transaction",
        id=tid,
        payerAccount=payer,
        beneficiaryAccount=payee,
        amount=amount,
        date=day,
        channel=channel,
        purpose=purpose,
    )


def rows(evidence) -> set[tuple[str, str]]:
    return {(e["tbl"], e["id"]) for e in evidence}


# --- companies -------------------------------------------------------------------------------


def test_co_payroll_too_low_for_size(case):
    # One payslip in March 2024: the adult minimum then was 13.27 €/h, × 1872 h = 24,841.44 €.
    worker(case, "w")
    firm(case, "c-low", staffCost=100_000, headcount=10)  # 10,000 € per head
    firm(case, "c-ok", staffCost=300_000, headcount=10)
    firm(case, "c-edge", staffCost=248_414.40, headcount=10)  # exactly the yearly minimum
    firm(case, "c-share", sector="4399", revenue=2_000_000, staffCost=60_000, headcount=2)
    firm(case, "c-share-edge", sector="F43.99", revenue=1_000_000, staffCost=50_000, headcount=2)
    firm(case, "c-ghost", revenue=500_000, headcount=4, status="active")
    firm(case, "c-gone", revenue=500_000, headcount=4, status="ontbonden")
    for k, cid in enumerate(("c-ok", "c-edge", "c-share", "c-share-edge")):
        slip(case, f"s{k}", "w", employer=cid)
    hits = case.hits("co_payroll_too_low_for_size")
    assert set(hits) == {"c-low", "c-share", "c-ghost"}
    strength, value, evidence = hits["c-low"]
    assert value == (
        "staff cost 10000 € per registered employee (10 employees) against a yearly minimum of "
        "24841 € (13.27 €/h × 1872 h)"
    )
    assert strength == pytest.approx(0.5 + 0.5 * (1 - 10_000 / 24_841.44))
    assert evidence == [{"tbl": "company", "id": "c-low"}]
    assert hits["c-share"][1] == "staff cost 3.0% of revenue in sector F43.99 (below 5%)"
    assert hits["c-ghost"][1] == (
        "revenue 500000 € and 4 registered employees but no payslips or employment records"
    )
    assert hits["c-ghost"][0] == pytest.approx(0.3)


def test_co_payroll_too_low_for_size_needs_payroll_data(case):
    firm(case, "c-ghost", revenue=500_000, headcount=4)  # no payroll source in the case at all
    assert case.hits("co_payroll_too_low_for_size") == {}


def test_co_revenue_without_staff(case):
    firm(case, "r-shell", name="Shell Staffing", sector="N78.20", revenue=800_000, headcount=0)
    firm(case, "r-soft", sector="J62.01", revenue=800_000, headcount=0)  # not labour services
    firm(case, "r-small", sector="F43.99", revenue=249_999.99, headcount=0)
    firm(case, "r-edge", sector="F41.20", revenue=250_000, headcount=0)  # exactly the minimum
    firm(case, "r-dense", sector="8121", revenue=12_000_000, headcount=10)
    firm(case, "r-dense-edge", sector="N81.21", revenue=10_000_000, headcount=10)
    firm(case, "r-null", sector="I56.10", revenue=400_000)
    firm(case, "r-null-staffed", sector="I56.10", revenue=400_000)
    worker(case, "w")
    case.add("employment", id="e1", employee="w", employer="r-null-staffed", startDate=MARCH)
    hits = case.hits("co_revenue_without_staff")
    assert set(hits) == {"r-shell", "r-edge", "r-dense", "r-null"}
    strength, value, evidence = hits["r-shell"]
    assert value == "revenue 800000 € in sector N78.20 with no registered employees"
    assert strength == pytest.approx(0.5 + 0.5 * 0.50515, abs=1e-4)
    assert evidence == [{"tbl": "company", "id": "r-shell"}]
    assert hits["r-edge"][0] == pytest.approx(0.5)
    assert hits["r-dense"][1] == (
        "revenue 1200000 € per registered employee (10 employees, sector N81.21) against at "
        "most 1000000 €"
    )
    assert hits["r-null"][1].endswith("with no headcount and no employment records")


def test_co_deep_subcontracting(case):
    chain = ["main", "t1", "t2", "t3", "t4"]
    for cid in chain:
        firm(case, cid, name=cid.capitalize(), headcount=50)
    for k in range(4):
        case.add(
            "subcontract",
            id=f"k{k}",
            client=chain[k],
            supplier=chain[k + 1],
            site_key="bouwplaats a",
            startDate=D(2024, 1, 1),
            endDate=D(2024, 12, 31),
        )
    # Contracts years apart do not make a chain; nor does a circle of three firms.
    for k, (a, b, year) in enumerate((("x", "y", 2019), ("y", "z", 2023), ("z", "w", 2023))):
        case.add(
            "subcontract",
            id=f"old{k}",
            client=a,
            supplier=b,
            startDate=D(year, 1, 1),
            endDate=D(year, 12, 31),
        )
    for k, (a, b) in enumerate((("p", "q"), ("q", "r"), ("r", "p"))):
        case.add("subcontract", id=f"cyc{k}", client=a, supplier=b)
    # One client pays 90% of a two-person supplier's contracts; 80% exactly is not above.
    firm(case, "big", name="Big Client")
    firm(case, "dep", headcount=2)
    firm(case, "dep-edge", headcount=2)
    firm(case, "dep-staffed", headcount=30)
    for sid, client, supplier, value in (
        ("d1", "big", "dep", 90_000),
        ("d2", "other", "dep", 10_000),
        ("d3", "big", "dep-edge", 80_000),
        ("d4", "other", "dep-edge", 20_000),
        ("d5", "big", "dep-staffed", 100_000),
    ):
        case.add("subcontract", id=sid, client=client, supplier=supplier, value=value)
    hits = case.hits("co_deep_subcontracting")
    assert set(hits) == {"t3", "t4", "dep"}  # t3 sits exactly at depth 3
    strength, value, evidence = hits["t4"]
    assert value == "supplier at depth 4 of a subcontracting chain: Main → T1 → T2 → T3 → T4"
    assert strength == pytest.approx(0.75)
    assert rows(evidence) == {("subcontract", f"k{k}") for k in range(4)}
    assert hits["t3"][0] == pytest.approx(0.6)
    assert (
        hits["dep"][1]
        == "90% of its subcontract value from Big Client, with 2 employees of its own"
    )
    assert rows(hits["dep"][2]) == {("subcontract", "d1")}


def test_co_opaque_ownership(case):
    firm(case, "op", name="Op BV", jurisdiction="NL")
    for k in (1, 2, 3):
        firm(case, f"l{k}", name=f"Layer {k} BV", jurisdiction="NL")
    worker(case, "ubo", name="jan de vries")
    links = [("o1", "l1", "op"), ("o2", "l2", "l1"), ("o3", "l3", "l2"), ("o4", "ubo", "l3")]
    # A circle, a foreign shareholder with nobody above it, one that ends in a person, and a
    # company holding its own shares.
    firm(case, "cy1", name="Circle One", jurisdiction="NL")
    firm(case, "cy2", name="Circle Two", jurisdiction="NL")
    links += [("c1", "cy2", "cy1"), ("c2", "cy1", "cy2")]
    firm(case, "fo", name="Fo BV", jurisdiction="NL")
    firm(case, "cyp", name="Cyp Holding Ltd", jurisdiction="CY")
    links += [("f1", "cyp", "fo")]
    firm(case, "fo2", name="Fo2 BV", jurisdiction="NL")
    firm(case, "lux", name="Lux SARL", jurisdiction="LU")
    worker(case, "p-lux", name="marie dupont")
    links += [("g1", "lux", "fo2"), ("g2", "p-lux", "lux")]
    firm(case, "self", jurisdiction="NL")
    links += [("s1", "self", "self")]
    for oid, owner, asset in links:
        case.add("ownership", id=oid, owner=owner, asset=asset, percentage=100)
    hits = case.hits("co_opaque_ownership")
    assert set(hits) == {"op", "cy1", "cy2", "fo"}  # l1 has only two corporate layers above
    strength, value, evidence = hits["op"]
    assert value == "3 corporate layers above it: Op BV → Layer 1 BV → Layer 2 BV → Layer 3 BV"
    assert strength == pytest.approx(0.6)
    assert rows(evidence) == {("ownership", "o1"), ("ownership", "o2"), ("ownership", "o3")}
    assert hits["cy1"] == (
        1.0,
        "circular ownership: Circle One → Circle Two → Circle One",
        hits["cy1"][2],
    )
    assert rows(hits["cy1"][2]) == {("ownership", "c1"), ("ownership", "c2")}
    assert hits["fo"][1] == (
        "foreign corporate owner Cyp Holding Ltd (CY) with no natural person at the top: "
        "Fo BV → Cyp Holding Ltd"
    )


def test_co_owner_high_risk_jurisdiction(case):
    for cid in ("h1", "h2", "h3", "mid", "h5", "h6"):
        firm(case, cid, name=cid.upper(), jurisdiction="NL")
    firm(case, "bvi", name="Island Ltd", jurisdiction="VG")  # increased monitoring
    worker(case, "p-ir", name="ali rezaei", country="IR", nationality="NL")
    worker(case, "p-nat", name="reza ahmadi", country="NL", nationality="IR")
    worker(case, "p-iq", name="omar said", country="IQ")  # not on a list
    for oid, owner, asset in (
        ("o1", "p-ir", "h1"),
        ("o2", "p-nat", "h2"),  # nationality alone never counts
        ("o3", "mid", "h3"),
        ("o4", "bvi", "mid"),
        ("o5", "p-iq", "h6"),
    ):
        case.add("ownership", id=oid, owner=owner, asset=asset)
    case.add("directorship", id="d1", director="p-ir", organization="h5")
    hits = case.hits("co_owner_high_risk_jurisdiction")
    assert set(hits) == {"h1", "h3", "mid", "h5", "bvi"}
    strength, value, evidence = hits["h1"]
    assert (strength, value) == (1.0, "owner ali rezaei living in IR (call_for_action)")
    assert rows(evidence) == {("ownership", "o1"), ("person", "p-ir")}
    assert hits["h3"][1] == "indirect owner Island Ltd registered in VG (increased_monitoring)"
    assert hits["h3"][0] == pytest.approx(0.5)
    assert rows(hits["h3"][2]) == {("ownership", "o3"), ("ownership", "o4"), ("company", "bvi")}
    assert hits["h5"][1] == "director ali rezaei living in IR (call_for_action)"
    assert hits["bvi"][1] == "registered in VG (increased_monitoring)"


def test_co_unlicensed_labour_provider(case):
    firm(case, "ua1", name="Flex Hands", sector="N78.20")
    firm(case, "ua2", sector="7830", licence="GLAA-123")
    firm(case, "ua3", sector="F43.99")
    firm(case, "ua4", sector="N78.10", licence="ingetrokken")
    firm(case, "ua5", sector="N77.32")  # renting out machines, not people
    firm(case, "ua6", sector="F43.99")
    case.add(
        "subcontract",
        id="k1",
        client="main",
        supplier="ua3",
        description="Detachering van arbeidskrachten week 12",
    )
    case.add("subcontract", id="k2", client="main", supplier="ua6", description="Dakwerk")
    hits = case.hits("co_unlicensed_labour_provider")
    assert set(hits) == {"ua1", "ua3", "ua4"}
    strength, value, evidence = hits["ua1"]
    assert (strength, value) == (0.8, "labour provider (sector N78.20), licence: none on record")
    assert evidence == [{"tbl": "company", "id": "ua1"}]
    assert hits["ua3"][1] == (
        'supplies labour under 1 contract(s) ("Detachering van arbeidskrachten week 12"), '
        "licence: none on record"
    )
    assert rows(hits["ua3"][2]) == {("company", "ua3"), ("subcontract", "k1")}
    assert hits["ua4"][1] == "labour provider (sector N78.10), licence: ingetrokken"


def test_co_unlicensed_labour_provider_needs_licence_data(case):
    firm(case, "ua1", sector="N78.20")  # the case holds no licence register
    assert case.hits("co_unlicensed_labour_provider") == {}


def test_co_nationality_surge(case):
    def hires(employer: str, day: dt.date, nationality: str, n: int) -> None:
        for _ in range(n):
            k = len(seen)
            seen.append(k)
            worker(case, f"p{k}", nationality=nationality)
            case.add(
                "employment",
                id=f"{employer}-e{k}",
                employee=f"p{k}",
                employer=employer,
                startDate=day,
            )

    seen: list[int] = []
    last_year, quarter = D(2023, 4, 1), D(2024, 2, 15)
    for employer, before_ro, now_ro, now_n in (
        ("surge", 3, 6, 10),  # 30% -> 60%: exactly 30 points
        ("big", 3, 8, 10),  # 30% -> 80%
        ("steady", 4, 5, 10),  # 40% -> 50%
        ("few", 0, 4, 4),  # too few hires in the quarter
        ("pair", 0, 2, 6),  # 0% -> 33%, but a pair is not a group
    ):
        hires(employer, last_year, "RO", before_ro)
        hires(employer, last_year, "NL", 10 - before_ro)
        hires(employer, quarter, "RO", now_ro)
        hires(employer, quarter, "NL", now_n - now_ro)
    hits = case.hits("co_nationality_surge")
    assert set(hits) == {"surge", "big"}
    strength, value, evidence = hits["big"]
    assert value == "Q1 2024: 8 of 10 new hires RO (80%) against 30% in the year before"
    assert strength == pytest.approx(0.7)
    assert len(evidence) == 8 and all(e["tbl"] == "employment" for e in evidence)
    assert hits["surge"][0] == pytest.approx(0.5)


def test_co_cannot_show_records(case):
    inspect(case, "i1", "rec-nl", findings=["loonadministratie ontbreekt", "huisvesting"])
    inspect(case, "i2", "rec-ro", summary="Angajatorul nu a prezentat contractele de muncă.")
    inspect(case, "i3", "rec-ok", findings=["loonadministratie op orde"])
    inspect(case, "i4", "rec-de", findings=["Keine Lohnunterlagen"], day=D(2024, 2, 1))
    inspect(case, "i5", "rec-de", summary="No right to work checks for 3 workers")
    hits = case.hits("co_cannot_show_records")
    assert set(hits) == {"rec-nl", "rec-ro", "rec-de"}
    strength, value, evidence = hits["rec-nl"]
    assert (
        value == "1 inspection(s) found missing records: loonadministratie ontbreekt "
        "(last on 2024-05-01)"
    )
    assert strength == pytest.approx(0.8)
    assert evidence == [{"tbl": "inspection", "id": "i1"}]
    assert "nu a prezentat" in hits["rec-ro"][1]
    assert hits["rec-de"][0] == 1.0
    assert (
        hits["rec-de"][1] == "2 inspection(s) found missing records: Keine Lohnunterlagen; "
        "No right to work (last on 2024-05-01)"
    )
    assert [e["id"] for e in hits["rec-de"][2]] == ["i4", "i5"]


def test_co_documents_held(case):
    inspect(case, "i1", "doc-nl", findings=["paspoorten ingenomen door werkgever"])
    inspect(case, "i2", "doc-en", summary="Workers said the agency confiscated their passports.")
    inspect(case, "i3", "doc-copy", findings=["kopie paspoort bewaard door werkgever"])
    inspect(case, "i4", "doc-pl", findings=["Paszporty pracowników zatrzymane przez szefa"])
    inspect(case, "i5", "doc-none", findings=["paspoorten gecontroleerd"])
    hits = case.hits("co_documents_held")
    assert set(hits) == {"doc-nl", "doc-en", "doc-pl"}
    strength, value, evidence = hits["doc-nl"]
    assert value == (
        "1 inspection(s) found identity documents held: paspoorten ingenomen (last on 2024-05-01)"
    )
    assert strength == 1.0 and evidence == [{"tbl": "inspection", "id": "i1"}]
    assert "confiscated their passports" in hits["doc-en"][1]


def test_co_unsafe_conditions(case):
    inspect(case, "i1", "osh-nl", findings=["arbeidsomstandigheden: valgevaar"])
    inspect(case, "i2", "osh-it", summary="Gravi violazioni delle norme di sicurezza in cantiere")
    inspect(case, "i3", "social-fr", findings=["sécurité sociale: cotisations impayées"])
    inspect(case, "i4", "social-it", findings=["modulo A1 di sicurezza sociale mancante"])
    inspect(case, "i5", "osh-bg", findings=["Работници без лични предпазни средства"])
    hits = case.hits("co_unsafe_conditions")
    assert set(hits) == {"osh-nl", "osh-it", "osh-bg"}
    strength, value, evidence = hits["osh-nl"]
    assert (
        value == "1 inspection(s) found unsafe working conditions: "
        "arbeidsomstandigheden: valgevaar (last on 2024-05-01)"
    )
    assert strength == pytest.approx(0.8) and evidence == [{"tbl": "inspection", "id": "i1"}]
    assert "norme di sicurezza" in hits["osh-it"][1]


def test_co_officer_linked_infringements(case):
    worker(case, "boss", born=D(1970, 1, 1), name="Jan Boss")
    worker(case, "boss2", born=D(1970, 1, 1), name="Jan Boss")  # same man, another source
    worker(case, "boss3", born=None, name="Jan Boss")  # a namesake without birth date
    worker(case, "late", name="Piet Later")
    worker(case, "edgedir", name="Ed Edge")
    worker(case, "olddir", name="Otto Old")
    worker(case, "cleandir", name="Cees Clean")
    firm(case, "bad", name="Bad BV", registrationNumber="111")
    firm(case, "bad-copy", name="Bad B.V.", registrationNumber="111")
    inspect(case, "i1", "bad", findings=["onderbetaling", "geen overtredingen"])
    inspect(case, "i2", "edge-bad", day=D(2021, 5, 1), findings=["arbeidstijden"])  # 36 months
    inspect(case, "i3", "old-bad", day=D(2021, 4, 30), findings=["arbeidstijden"])
    inspect(case, "i4", "clean", findings=["geen overtredingen"])
    seats = [
        ("d1", "boss", "bad", D(2020, 1, 1)),
        ("d2", "boss", "sister", D(2022, 1, 1)),
        ("d3", "boss2", "cousin", D(2023, 1, 1)),
        ("d4", "boss3", "namesake", D(2023, 1, 1)),
        ("d5", "boss", "bad-copy", D(2020, 1, 1)),
        ("d6", "late", "bad", D(2024, 6, 1)),  # appointed after the inspection
        ("d7", "late", "later-firm", D(2024, 6, 1)),
        ("d8", "edgedir", "edge-bad", D(2020, 1, 1)),
        ("d9", "edgedir", "edge-sister", D(2020, 1, 1)),
        ("d10", "olddir", "old-bad", D(2020, 1, 1)),
        ("d11", "olddir", "old-sister", D(2020, 1, 1)),
        ("d12", "cleandir", "clean", D(2020, 1, 1)),
        ("d13", "cleandir", "clean-sister", D(2020, 1, 1)),
    ]
    for did, who, org, start in seats:
        case.add("directorship", id=did, director=who, organization=org, startDate=start)
    case.resolve("person", boss2="boss")  # resolution found boss2 to be the same man
    hits = case.hits("co_officer_linked_infringements")
    assert set(hits) == {"sister", "cousin", "edge-sister"}
    strength, value, evidence = hits["sister"]
    assert value == (
        "director Jan Boss also directed Bad BV, where inspections found: onderbetaling "
        "(last on 2024-05-01)"
    )
    assert strength == pytest.approx(0.6)
    assert rows(evidence) == {
        ("directorship", "d2"),
        ("directorship", "d1"),
        ("inspection", "i1"),
    }
    assert "Bad BV" in hits["cousin"][1]


def test_co_labour_intensive_cash_model(case):
    firms = {  # staff cost share, cash receipts of 10 (or 9)
        "cash-co": (0.5, 4, 10),
        "edge-co": (0.5, 3, 10),  # exactly 30% cash
        "bank-co": (0.3, 5, 10),  # labour below 40% of revenue
        "few-co": (0.5, 9, 9),  # too few receipts
    }
    for cid, (share, cash, n) in firms.items():
        firm(case, cid, revenue=1_000_000, staffCost=1_000_000 * share)
        case.add("bank_account", id=f"acc-{cid}", holder=cid)
        for k in range(n):
            _tx(case, f"{cid}-{k}", None, f"acc-{cid}", 100, channel="cash" if k < cash else "wire")
    # A deposit at the counter booked as a plain transfer is cash all the same.
    case.add("bank_account", id="acc-shop", holder="shop-co")
    firm(case, "shop-co", revenue=1_000_000, staffCost=500_000)
    for k in range(10):
        _tx(case, f"shop-{k}", None, "acc-shop", 100, purpose="KASSTORTING" if k < 4 else "")
    case.add("bank_account", id="acc-cash-co-2", holder="cash-co")
    _tx(case, "own", "acc-cash-co-2", "acc-cash-co", 50_000)  # between its own accounts
    hits = case.hits("co_labour_intensive_cash_model")
    assert set(hits) == {"cash-co", "shop-co"}
    strength, value, evidence = hits["cash-co"]
    assert value == (
        "staff cost 50% of revenue; 40% of the money into its accounts came in cash "
        "(400 of 1000 over 10 receipts)"
    )
    assert strength == pytest.approx(0.7)
    assert rows(evidence) == {("company", "cash-co")} | {
        ("transaction", f"cash-co-{k}") for k in range(4)
    }


# --- children --------------------------------------------------------------------------------


def test_ch_hazardous_sector_or_night(case):
    firm(case, "bouw", name="Bouw BV", sector="F43.99")
    firm(case, "shop", name="Shop BV", sector="G47.11")
    firm(case, "bakery", name="Bakery BV", sector="C10.71")
    worker(case, "kid-build", born=D(2008, 1, 1))
    worker(case, "adult-build", born=D(2006, 3, 1))  # 18 on the first day of the period
    worker(case, "kid-17", born=D(2006, 3, 2))  # one day short of 18
    worker(case, "kid-shop", born=D(2008, 1, 1))
    worker(case, "kid-night", born=D(2008, 1, 1))
    slip(case, "s1", "kid-build", employer="bouw")
    slip(case, "s2", "adult-build", employer="bouw")
    slip(case, "s3", "kid-17", employer="bouw")
    slip(case, "s4", "kid-shop", employer="shop")
    slip(case, "s5", "kid-night", employer="bakery")
    inspect(case, "i1", "bakery", day=D(2024, 4, 10), findings=["nachtarbeid door minderjarigen"])
    inspect(case, "i2", "shop", day=D(2024, 4, 10), findings=["nachtwinkel: geen overtredingen"])
    hits = case.hits("ch_hazardous_sector_or_night")
    assert set(hits) == {"kid-build", "kid-17", "kid-night"}
    strength, value, evidence = hits["kid-build"]
    assert value == "aged 16, working for Bouw BV in sector F43.99 (from 2024-03-01)"
    assert strength == pytest.approx(0.5)
    assert rows(evidence) == {("wage_payment", "s1"), ("company", "bouw")}
    assert hits["kid-night"][0] == 1.0
    assert hits["kid-night"][1] == (
        "aged 16 when an inspection of the employer on 2024-04-10 found: "
        "nachtarbeid door minderjarigen"
    )
    assert rows(hits["kid-night"][2]) == {("wage_payment", "s5"), ("inspection", "i1")}


def test_ch_minor_pay_to_adult_account(case):
    worker(case, "m1", born=D(2008, 1, 1), name="ana rusu")
    worker(case, "boss", born=D(1975, 1, 1), name="ion marinescu")
    slip(case, "s1", "m1", iban="NL01BANK0000000001", ibanHolder_key="ion marinescu")
    worker(case, "m2", born=D(2008, 1, 1), name="maria popescu")  # paid to a parent
    slip(case, "s2", "m2", iban="NL01BANK0000000002", ibanHolder_key="ion popescu")
    worker(case, "m3", born=D(2009, 1, 1), name="elena dumitru")
    worker(case, "p18", born=D(2006, 3, 1), name="vasile stan")  # 18 on the period start
    case.add("bank_account", id="acc3", iban="NL01BANK0000000003", holder="p18")
    slip(case, "s3", "m3", iban="NL01BANK0000000003")
    worker(case, "m4", born=D(2008, 1, 1), name="dan ilie")
    worker(case, "p17", born=D(2006, 3, 2), name="mihai toma")  # 17: another minor
    slip(case, "s4", "m4", iban="NL01BANK0000000004", ibanHolder_key="mihai toma")
    worker(case, "m5", born=D(2008, 1, 1), name="ioana pop")
    slip(case, "s5", "m5", iban="NL01BANK0000000005", ibanHolder_key="gheorghe lupu")
    worker(case, "a1", born=D(1990, 1, 1), name="vlad lungu")  # an adult worker
    slip(case, "s6", "a1", iban="NL01BANK0000000001", ibanHolder_key="ion marinescu")
    hits = case.hits("ch_minor_pay_to_adult_account")
    assert set(hits) == {"m1", "m3", "m5"}
    strength, value, evidence = hits["m1"]
    assert value == "aged 16, wages paid into NL01BANK0000000001 held by ion marinescu (aged 49)"
    assert strength == 1.0
    assert rows(evidence) == {("wage_payment", "s1"), ("person", "boss")}
    assert hits["m3"][1] == (
        "aged 15, wages paid into NL01BANK0000000003 held by vasile stan (aged 18)"
    )
    assert rows(hits["m3"][2]) == {
        ("wage_payment", "s3"),
        ("bank_account", "acc3"),
        ("person", "p18"),
    }
    assert hits["m5"][0] == pytest.approx(0.6)
    assert hits["m5"][1].endswith("held by gheorghe lupu (age unknown)")


def test_ch_child_sized_equipment(case):
    inspect(
        case,
        "i1",
        "farm",
        site_key="kasweg 1 naaldwijk",
        findings=["kinderhandschoenen en laarzen in kindermaat aangetroffen"],
    )
    inspect(case, "i2", "shop", findings=["geen overtredingen"])
    spells = [  # person, birth, employer, site, start, end
        ("c1", D(2010, 1, 1), "farm", None, D(2024, 1, 1), None),
        ("a1", D(1990, 1, 1), "farm", None, D(2024, 1, 1), None),
        ("c2", D(2009, 6, 1), "agency", "kasweg 1 naaldwijk", D(2024, 4, 1), D(2024, 6, 30)),
        ("c3", D(2010, 1, 1), "farm", None, D(2023, 1, 1), D(2024, 1, 29)),  # 93 days before
        ("c4", D(2010, 1, 1), "farm", None, D(2023, 1, 1), D(2024, 1, 30)),  # 92 days before
        ("c5", D(2010, 1, 1), "shop", None, D(2024, 1, 1), None),
    ]
    for pid, born, employer, site, start, end in spells:
        worker(case, pid, born=born)
        case.add(
            "employment",
            id=f"e-{pid}",
            employee=pid,
            employer=employer,
            site_key=site,
            startDate=start,
            endDate=end,
        )
    hits = case.hits("ch_child_sized_equipment")
    assert set(hits) == {"c1", "c2", "c4"}
    strength, value, evidence = hits["c1"]
    assert value == (
        "aged 14 when an inspection on 2024-05-01 found: kinderhandschoenen en laarzen in "
        "kindermaat aangetroffen"
    )
    assert strength == 1.0
    assert rows(evidence) == {("inspection", "i1"), ("employment", "e-c1")}
    assert rows(hits["c2"][2]) == {("inspection", "i1"), ("employment", "e-c2")}


OURS = {
    "co_payroll_too_low_for_size",
    "co_revenue_without_staff",
    "co_deep_subcontracting",
    "co_opaque_ownership",
    "co_owner_high_risk_jurisdiction",
    "co_unlicensed_labour_provider",
    "co_nationality_surge",
    "co_cannot_show_records",
    "co_documents_held",
    "co_unsafe_conditions",
    "co_officer_linked_infringements",
    "co_labour_intensive_cash_model",
    "ch_hazardous_sector_or_night",
    "ch_minor_pay_to_adult_account",
    "ch_child_sized_equipment",
}


def test_company_and_child_indicators_stay_silent_without_data(case):
    case.add("company", id="c", name="Empty", sector="N78.20", revenue=0, headcount=0)
    worker(case, "p", born=D(2010, 1, 1))
    case.hits("co_payroll_too_low_for_size")
    con = duckdb.connect(str(case.ws.db_path), read_only=True)
    try:
        fired = {r[0] for r in con.execute("SELECT indicator FROM indicator_hit").fetchall()}
    finally:
        con.close()
    assert fired.isdisjoint(OURS)
