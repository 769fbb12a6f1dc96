"""Ad indicators (reference sections 5a and 5b) on hand-made ads and ads-stage tables.

The ads stage's own tables (ad_text, ad_cue, ad_contact, ad_poster, ad_cluster) are written
here by hand, so each test checks the indicator's rule and not the lexicons (tested in
tests/ads)."""

from __future__ import annotations

import duckdb
import pytest

from helpers import query
from invert.ads.tables import AD_TABLES
from invert.indicators.run import analyze


@pytest.fixture
def ads(case):
    con = duckdb.connect(str(case.ws.db_path))
    try:
        for table, columns in AD_TABLES.items():
            con.execute(f"CREATE TABLE {table} ({columns})")
    finally:
        con.close()

    def add(ad_id: str, kind: str = "job", text: dict | None = None, **row: object) -> str:
        case.add("ad", id=ad_id, platform="board", kind=kind, **row)
        _stage(case, "ad_text", [{"ad": ad_id, **(text or {})}])
        return ad_id

    return add


def _stage(case, table: str, rows: list[dict]) -> None:
    con = duckdb.connect(str(case.ws.db_path))
    try:
        for row in rows:
            cols = ", ".join(row)
            con.execute(
                f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
    finally:
        con.close()


def cue(case, ad: str, *cues: str) -> None:
    _stage(case, "ad_cue", [{"ad": ad, "cue": c, "phrase": f"<{c}>"} for c in cues])


def contact(case, ad: str, kind: str, value: str, **extra: object) -> None:
    _stage(case, "ad_contact", [{"ad": ad, "kind": kind, "value": value, "raw": value, **extra}])


def test_ad_job_upfront_fee_or_loan(case, ads):
    ads("a"), ads("b"), ads("c"), ads("s", kind="sex")
    cue(case, "a", "fee")
    cue(case, "b", "fee", "loan")
    cue(case, "c", "housing")
    cue(case, "s", "fee")  # a sex ad is not a job ad
    hits = case.hits("ad_job_upfront_fee_or_loan")
    assert set(hits) == {"a", "b"}
    assert hits["a"][0] == pytest.approx(0.6) and hits["b"][0] == pytest.approx(0.8)
    assert hits["b"][1] == 'says "<fee>", "<loan>"'
    assert hits["a"][2] == [{"tbl": "ad", "id": "a"}]


def test_ad_job_wage_deductions(case, ads):
    ads("a"), ads("b")
    cue(case, "a", "deduction")
    cue(case, "b", "housing", "transport")  # housing offered is not housing deducted
    assert set(case.hits("ad_job_wage_deductions")) == {"a"}


def test_ad_job_shared_housing_transport(case, ads):
    ads("a"), ads("b")
    cue(case, "a", "transport")
    cue(case, "b", "travel")
    assert set(case.hits("ad_job_shared_housing_transport")) == {"a"}


def test_ad_job_travel_and_settling(case, ads):
    ads("a"), ads("b")
    cue(case, "a", "travel", "settling")
    cue(case, "b", "urgency")
    hits = case.hits("ad_job_travel_and_settling")
    assert set(hits) == {"a"} and hits["a"][0] == pytest.approx(0.8)


def test_ad_job_no_requirements(case, ads):
    ads("a"), ads("b"), ads("c")
    cue(case, "a", "no_experience")
    cue(case, "b", "no_language", "no_requirements")
    hits = case.hits("ad_job_no_requirements")
    assert set(hits) == {"a", "b"}


def test_ad_job_instant_hire_secrecy(case, ads):
    ads("a"), ads("b")
    cue(case, "a", "no_interview")
    assert set(case.hits("ad_job_instant_hire_secrecy")) == {"a"}


def test_ad_job_visa_shortcut(case, ads):
    ads("a"), ads("b")
    cue(case, "a", "visa")
    cue(case, "b", "travel")
    assert set(case.hits("ad_job_visa_shortcut")) == {"a"}


def test_ad_job_asks_personal_data(case, ads):
    ads("a"), ads("b")
    cue(case, "a", "personal_data")
    assert set(case.hits("ad_job_asks_personal_data")) == {"a"}


def _market(ads, n: int, pay: float, **text: object) -> None:
    for i in range(n):
        ads(f"m{i}", text={"pay_hourly_eur": pay + (i % 5) * 0.1, "dest_country": "NL", **text})


def test_ad_job_pay_too_good(case, ads):
    _market(ads, 30, 14.0, occupation="agri")
    ads(
        "high",
        text={
            "pay_hourly_eur": 29.0,
            "occupation": "agri",
            "dest_country": "NL",
            "pay_amount": 29.0,
            "pay_currency": "EUR",
            "pay_period": "hour",
        },
    )
    ads("usual", text={"pay_hourly_eur": 14.2, "occupation": "agri", "dest_country": "NL"})
    hits = case.hits("ad_job_pay_too_good")
    assert "high" in hits and "usual" not in hits
    strength, value, _ = hits["high"]
    assert strength == pytest.approx(1.0)  # above twice the median
    assert value.startswith("offers 29.0 EUR per hour (29.00 EUR an hour) against 14.40 at P95")
    assert value.endswith("median 14.20 of 32 ads for agri in NL")  # both test ads count too


def test_ad_job_pay_too_good_needs_a_market(case, ads):
    _market(ads, 10, 14.0, occupation="agri")
    ads("high", text={"pay_hourly_eur": 40.0, "occupation": "agri", "dest_country": "NL"})
    # 11 ads are no market at the default min_market_ads of 20: nothing to compare with.
    assert case.hits("ad_job_pay_too_good") == {}


def test_ad_job_pay_too_good_falls_back_to_the_country(case, ads):
    _market(ads, 25, 14.0, occupation="food")
    ads("rare", text={"pay_hourly_eur": 35.0, "occupation": "care", "dest_country": "NL"})
    hits = case.hits("ad_job_pay_too_good")
    assert set(hits) == {"rare"} and "all jobs in NL" in hits["rare"][1]


def test_ad_job_private_channel_only(case, ads):
    ads("priv")
    contact(case, "priv", "phone", "+31612345678", line_type="mobile")
    contact(case, "priv", "handle", "telegram:@werk_nl")
    ads("firm", employerName="Bouw BV", text={"has_company_domain": True})
    contact(case, "firm", "phone", "+31612345679", line_type="mobile")
    ads("landline")
    contact(case, "landline", "phone", "+31701234567", line_type="fixed")
    contact(case, "landline", "phone", "+31612345670", line_type="mobile")
    ads("none")  # no contact at all: nothing to judge
    hits = case.hits("ad_job_private_channel_only")
    assert set(hits) == {"priv"}
    assert hits["priv"][0] == pytest.approx(0.9)
    assert hits["priv"][1].startswith("only mobile +31612345678, telegram:@werk_nl")


def test_ad_job_employer_unverifiable(case, ads):
    case.add("company", id="c1", name="Bouw BV", name_key="bouw bv", incorporationDate="2010-01-01")
    case.add(
        "company", id="c2", name="Nieuw BV", name_key="nieuw bv", incorporationDate="2024-03-01"
    )
    case.add(
        "company",
        id="c3",
        name="Oud BV",
        name_key="oud bv",
        incorporationDate="2001-01-01",
        dissolutionDate="2023-06-30",
    )
    at = {"postedAt": "2024-05-01 10:00:00"}
    ads("known", employerName="Bouw BV", employerName_key="bouw bv", **at)
    ads("new", employerName="Nieuw BV", employerName_key="nieuw bv", **at)
    ads("gone", employerName="Oud BV", employerName_key="oud bv", **at)
    ads("unknown", employerName="Serious company", employerName_key="serious company", **at)
    ads("nameless", **at)
    hits = case.hits("ad_job_employer_unverifiable")
    assert set(hits) == {"new", "gone", "unknown", "nameless"}
    assert hits["new"][1] == "employer Nieuw BV was formed on 2024-03-01, 61 days before the ad"
    assert "dissolved on 2023-06-30" in hits["gone"][1]
    assert hits["unknown"][1] == 'employer "Serious company" is not in the company register'
    assert hits["nameless"][0] == pytest.approx(0.5)


def test_ad_job_employer_unverifiable_needs_a_register(case, ads):
    ads("nameless", postedAt="2024-05-01 10:00:00")
    assert case.hits("ad_job_employer_unverifiable") == {}


def test_ad_job_high_volume_poster(case, ads):
    rows = []
    for p in range(120):  # 120 posters of one ad each, then one of 12 ads in a fortnight
        rows.append({"ad": ads(f"x{p}", postedAt="2024-01-01 10:00:00"), "poster": f"P{p}"})
    for i in range(12):
        rows.append(
            {"ad": ads(f"busy{i}", postedAt=f"2024-02-{1 + i:02d} 10:00:00"), "poster": "BUSY"}
        )
    _stage(case, "ad_poster", rows)
    hits = case.hits("ad_job_high_volume_poster")
    assert set(hits) == {f"busy{i}" for i in range(12)}
    assert hits["busy0"][1].startswith("its poster published 12 ads within 30 days")


def test_ad_job_high_volume_poster_counts_occupations(case, ads):
    rows = [
        {
            "ad": ads(f"o{i}", postedAt="2024-01-01 10:00:00", text={"occupation": job}),
            "poster": "AG",
        }
        for i, job in enumerate(["agri", "food", "driver"])
    ]
    rows += [
        {
            "ad": ads(f"t{i}", postedAt="2024-01-01 10:00:00", text={"occupation": job}),
            "poster": "TWO",
        }
        for i, job in enumerate(["agri", "food"])
    ]
    _stage(case, "ad_poster", rows)
    assert set(case.hits("ad_job_high_volume_poster")) == {"o0", "o1", "o2"}


def test_ad_obscured_phone(case, ads):
    ads("a"), ads("b")
    contact(case, "a", "phone", "+31627958015", raw="O6 27958O15", obfuscated=True)
    contact(case, "b", "phone", "+31627958016", raw="06 27958016", obfuscated=False)
    hits = case.hits("ad_obscured_phone")
    assert set(hits) == {"a"}
    assert hits["a"][1] == 'phone written as "O6 27958O15" (reads +31627958015)'


def test_ad_contact_matches_bank_or_hr(case, ads):
    case.add("person", id="w1", name="A", name_key="a", phone="+31627958015")
    case.add("person", id="w2", name="B", name_key="b", phone="+31627958015")
    case.add("bank_account", id="acc", iban="NL01", kycEmail="Boss@mail.example")
    ads("a"), ads("b"), ads("c")
    contact(case, "a", "phone", "+31627958015")
    contact(case, "b", "email", "boss@mail.example")
    contact(case, "c", "phone", "+31600000000")
    hits = case.hits("ad_contact_matches_bank_or_hr")
    assert set(hits) == {"a", "b"}
    assert hits["a"][1] == "contact +31627958015 is that of 2 worker(s)"
    assert {"tbl": "person", "id": "w2"} in hits["a"][2]
    assert hits["b"][2] == [{"tbl": "ad", "id": "b"}, {"tbl": "bank_account", "id": "acc"}]


def _signs(case, ad: str, n: int) -> None:
    cue(case, ad, *["fee", "deduction", "housing", "travel", "no_experience", "visa"][:n])


def test_ad_job_indicator_count(case, ads):
    ads("six"), ads("five"), ads("four")
    _signs(case, "six", 6)  # fee, deduction, housing, travel, no_experience, visa
    _signs(case, "five", 5)
    _signs(case, "four", 4)
    for ad in ("six", "five", "four"):  # who posts and how to reply are not counted
        contact(case, ad, "phone", "+31627958015", raw="O6 27958O15", obfuscated=True)
    case.add("company", id="c", name="X", name_key="x")  # a register: 'names no employer'
    hits = case.hits("ad_job_indicator_count")
    assert set(hits) == {"six", "five"}
    assert hits["six"][1] == (
        "6 deceptive-recruitment signs: ad_job_no_requirements, ad_job_shared_housing_transport, "
        "ad_job_travel_and_settling, ad_job_upfront_fee_or_loan, ad_job_visa_shortcut, "
        "ad_job_wage_deductions"
    )
    assert hits["five"][0] == pytest.approx(0.6) and hits["six"][0] == pytest.approx(0.7)


def test_ad_poster_deceptive(case, ads):
    for a in ("p1", "p2", "p3", "mild", "alone", "other", *(f"big{n}" for n in range(12))):
        ads(a)
    for a in ("p1", "p2", "p3"):
        _signs(case, a, 6)
    case.add("company", id="c", name="X", name_key="x")
    _stage(
        case,
        "ad_poster",
        [{"ad": a, "poster": "R"} for a in ("p1", "p2", "p3", "mild")]
        + [{"ad": "alone", "poster": "S"}, {"ad": "other", "poster": "S"}]
        # an agency whose 12 ordinary ads hide 2 of the flagged ones: 2 of 14 is too few
        + [{"ad": f"big{n}", "poster": "A"} for n in range(12)]
        + [{"ad": a, "poster": "A"} for a in ("p1", "p2")],
    )
    analyze(case.ws, only={"ad_job_indicator_count", "ad_poster_deceptive"})  # it reads the count
    hits = {
        r[0]: r[1:]
        for r in query(
            case.ws,
            "SELECT subject_id, strength, value FROM indicator_hit "
            "WHERE indicator = 'ad_poster_deceptive'",
        )
    }
    assert set(hits) == {"p1", "p2", "p3", "mild"}  # each has at least 2 flagged others in R
    assert hits["mild"][1] == (
        "same poster (R) as 3 ads with many deceptive-recruitment signs (3 of its 4 ads)"
    )
    assert hits["p1"][0] == pytest.approx(0.6)


def test_ad_sex_youth_language(case, ads):
    ads("s", kind="sex"), ads("j")
    cue(case, "s", "youth")
    cue(case, "j", "youth")
    assert set(case.hits("ad_sex_youth_language")) == {"s"}


def test_ad_sex_ethnicity_specified(case, ads):
    ads("s", kind="sex")
    cue(case, "s", "ethnicity")
    assert set(case.hits("ad_sex_ethnicity_specified")) == {"s"}


def test_ad_sex_trust_language(case, ads):
    ads("s", kind="sex"), ads("t", kind="sex")
    cue(case, "s", "trust")
    assert set(case.hits("ad_sex_trust_language")) == {"s"}


def test_ad_sex_movement_language(case, ads):
    from invert.indicators.catalogue import load_catalogue

    ads("s", kind="sex")
    cue(case, "s", "movement")
    assert set(case.hits("ad_sex_movement_language")) == {"s"}
    weight = next(i.weight for i in load_catalogue() if i.id == "ad_sex_movement_language")
    assert weight < 0  # counter-evidence: shown, but it lowers the score


def test_ad_sex_phone_multi_city(case, ads):
    days = ["2024-01-01", "2024-01-20", "2024-02-15", "2024-06-01"]
    for i, (day, city) in enumerate(
        zip(days, ["Gent", "Antwerpen", "Brussel", "Luik"], strict=True)
    ):
        ads(f"c{i}", kind="sex", postedAt=f"{day} 20:00:00", location=city)
        contact(case, f"c{i}", "phone", "+32470000001")
    for i, day in enumerate(days[:3]):  # another phone in one city only
        ads(f"d{i}", kind="sex", postedAt=f"{day} 20:00:00", location="Gent")
        contact(case, f"d{i}", "phone", "+32470000002")
    hits = case.hits("ad_sex_phone_multi_city")
    assert set(hits) == {"c0", "c1", "c2", "c3"}  # the phone's ads, the later one too
    assert hits["c0"][1] == (
        "phone +32470000001 advertised in 3 cities within 60 days: Antwerpen, Brussel, Gent"
    )
    assert {e["id"] for e in hits["c0"][2]} == {"c0", "c1", "c2"}


def test_ad_near_duplicate_cluster(case, ads):
    for a in ("a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2"):
        ads(a)
    _stage(
        case,
        "ad_cluster",
        [
            {"ad": a, "cluster": a[0].upper(), "size": 3}
            for a in ("a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2")
        ],
    )
    _stage(
        case,
        "ad_poster",
        [{"ad": a, "poster": "R"} for a in ("a1", "a2", "a3")]
        + [
            {"ad": "b1", "poster": "F1"},
            {"ad": "b2", "poster": "F2"},
            {"ad": "b3", "poster": "F3"},
            {"ad": "c1", "poster": "R"},
            {"ad": "c2", "poster": "R"},
        ],
    )
    _stage(
        case,
        "ad_template",
        [{"cluster": "A", "template": "Work in [...], pay [...]", "members": 3}],
    )
    hits = case.hits("ad_near_duplicate_cluster")
    assert set(hits) == {"a1", "a2", "a3"}  # B has three posters, C only two ads
    assert hits["a1"][1] == 'one of 3 near-identical ads of one poster: "Work in [...], pay [...]"'
    assert [e["id"] for e in hits["a1"][2]] == ["a1", "a2", "a3"]


def test_ad_sex_indicator_count(case, ads):
    ads("s", kind="sex"), ads("m", kind="sex")
    cue(case, "s", "youth", "ethnicity", "trust")
    cue(case, "m", "youth", "ethnicity", "movement")  # movement wording does not count
    hits = case.hits("ad_sex_indicator_count")
    assert set(hits) == {"s"}
    assert hits["s"][1] == (
        "3 trafficking signs: ad_sex_ethnicity_specified, ad_sex_trust_language, "
        "ad_sex_youth_language"
    )


@pytest.fixture
def campaign(case, ads):
    """Three deceptive ads of one poster on the recruiter's phone, one naming firm F1; a worker
    of F2 registered with that phone; an ordinary ad of F3 on its own phone; a bank customer
    with the recruiter's phone and an account the campaign's e-mail names."""
    from invert.ads.links import contact_names
    from invert.network import build

    phone = "+31627958015"
    case.add_rows(
        "company",
        [{"id": f"F{n}", "name": f"Firm {n} BV", "name_key": f"bv firm {n}"} for n in (1, 2, 3)],
    )
    case.add("person", id="w", name="Ana Pop", name_key="ana pop", phone=phone)
    case.add("person", id="w2", name="Ion Rusu", name_key="ion rusu", phone="+40721000000")
    case.add("employment", id="e1", employee="w", employer="F2")
    case.add("employment", id="e2", employee="w2", employer="F3")
    case.add("bank_account", id="kyc", iban="NL01", kycPhone=phone)
    case.add(
        "bank_account",
        id="acc",
        iban="NL02",
        holderName="DUMITRU DINU",
        holderName_key="dinu dumitru",
    )
    for n in range(3):
        extra = {"employerName": "Firm 1 BV", "employerName_key": "bv firm 1"} if n == 0 else {}
        ads(f"d{n}", **extra)
        _signs(case, f"d{n}", 6)
        contact(case, f"d{n}", "phone", phone, line_type="mobile")
    contact(case, "d1", "email", "dumitru.dinu12@ziggo.nl")
    ads("plain", employerName="Firm 3 BV", employerName_key="bv firm 3")
    contact(case, "plain", "phone", "+31201234567", line_type="fixed")
    _stage(case, "ad_poster", [{"ad": f"d{n}", "poster": "R"} for n in range(3)])
    con = duckdb.connect(str(case.ws.db_path))
    try:
        contact_names(con)
    finally:
        con.close()
    build(case.ws, resolution=0.05, hub_degree=50)
    return case


def test_co_linked_to_deceptive_ads(campaign):
    hits = campaign.hits("co_linked_to_deceptive_ads")
    assert set(hits) == {"F1", "F2"}  # F3 is named only in an ordinary ad
    assert hits["F1"][1] == "1 deceptive recruitment ad(s) tie to it: named as employer"
    assert hits["F2"][1] == (
        "3 deceptive recruitment ad(s) tie to it: employs workers whose contact is the ads' "
        "phone +31627958015 (1 worker(s))"
    )
    assert {"tbl": "employment", "id": "e1"} in hits["F2"][2]


def test_wk_contact_in_deceptive_ads(campaign):
    hits = campaign.hits("wk_contact_in_deceptive_ads")
    assert set(hits) == {"w"}
    assert (
        hits["w"][1]
        == "gives as own contact the phone +31627958015 of 3 deceptive recruitment ad(s)"
    )


def test_tx_linked_to_deceptive_ads(campaign):
    hits = campaign.hits("tx_linked_to_deceptive_ads")
    assert set(hits) == {"kyc", "acc"}
    assert hits["kyc"][1] == "3 deceptive recruitment ad(s): its customer phone is the ads' contact"
    assert (
        hits["acc"][1] == "1 deceptive recruitment ad(s): the ads' e-mail spells its holder's name"
    )


def test_ad_tied_to_flagged_entity(case, ads):
    from invert.network import build

    case.add_rows(
        "company",
        [
            {"id": "bad", "name": "Kas Bad BV", "name_key": "bad bv kas", "phone": "+31101234567"},
            {"id": "ok", "name": "Kas Goed BV", "name_key": "bv goed kas"},
        ],
    )
    case.add(
        "inspection",
        id="i1",
        date="2024-05-01",
        employer="bad",
        findings=["paspoorten ingenomen door werkgever"],
    )
    ads("named", employerName="Kas Bad BV", employerName_key="bad bv kas")
    ads("phoned")
    contact(case, "phoned", "phone", "+31101234567", line_type="fixed")
    ads("clean", employerName="Kas Goed BV", employerName_key="bv goed kas")
    build(case.ws, resolution=0.05, hub_degree=50)
    hits = case.hits("ad_tied_to_flagged_entity")
    assert set(hits) == {"named", "phoned"}  # the firm's own risk (2.2) reaches its ads
    value = hits["named"][1]
    assert value.startswith("names as employer company Kas Bad BV (own risk ")
    assert value.endswith(" log-odds, mainly co_documents_held)")
    assert hits["phoned"][1].startswith("shares phone +31101234567 with company Kas Bad BV")
    assert 2.2 / 5.0 <= hits["named"][0] <= 1.0
    assert {"tbl": "company", "id": "bad"} in hits["named"][2]


def test_ad_tied_to_flagged_entity_needs_a_risky_tie(case, ads):
    from invert.network import build

    case.add("company", id="ok", name="Kas Goed BV", name_key="bv goed kas")
    ads("clean", employerName="Kas Goed BV", employerName_key="bv goed kas")
    build(case.ws, resolution=0.05, hub_degree=50)
    assert case.hits("ad_tied_to_flagged_entity") == {}
