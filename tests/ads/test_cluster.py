"""Near-duplicate clusters, posters and templates on hand-made ads: two recruiters with two
templates each and their phone written many ways, thirty ordinary vacancies of ten firms on one
job board's boilerplate, exact duplicates and unrelated ads."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Case, query
from invert.ads.cluster import cluster
from invert.ads.template import template_of

JOBS = ["greenhouse worker", "order picker", "meat packer", "flower packer", "cleaner", "driver"]
CITIES = ["Rotterdam", "Delft", "Naaldwijk", "Den Haag", "Zoetermeer", "Monster"]
# Recruiter A: one phone, five ways of writing it; recruiter B: one phone and a Telegram handle.
A_PHONES = [
    "06-58780630",
    "O6 5878O63O",
    "0 6 5 8 7 8 0 6 3 0",
    "+31 6 58780630",
    "zero 6 58780630",
]
B_PHONES = ["06 27958015", "+31.6.27958015", "0031 6 27958015", "O6 27958O15", "06-27958015"]
EXTRAS = [
    "Free transport to work every day.",
    "Papers ready in two days, we take care of everything.",
    "Couples welcome, no interview, start immediately!",
    "Travel and food for the first week advanced by the company.",
    "Only serious people, call now, places go fast!",
    "Bus to the Netherlands paid by us, you return it from your wages.",
]


def a1(i: int) -> tuple[str, str]:
    return (
        f"Work in the Netherlands: {JOBS[i % 6]} - €{2500 + 50 * i} NET per month",
        f"Work in the Netherlands - {JOBS[i % 6]} near {CITIES[i % 6]}!\n"
        f"Salary €{2500 + 50 * i} NET per month, paid every week.\n"
        f"Cheap house, shared room, we arrange everything. {EXTRAS[i % 6]}\n"
        f"No language and no experience required. Departure every week.\n"
        f"Phone/WhatsApp: {A_PHONES[i % 5]}",
    )


def a2(i: int) -> tuple[str, str]:
    return (
        f"Urgently needed: {JOBS[(i + 2) % 6]} - €{18 + i},50 NET per hour",
        f"We need people for work in Holland as {JOBS[(i + 2) % 6]}, {CITIES[(i + 3) % 6]} "
        f"region.\nWe pay €{18 + i},50 NET per hour and you live in our FREE accommodation with "
        f"other workers from your country. {EXTRAS[(i + 1) % 6]}\n"
        f"Send your name, age and a photo of your passport on WhatsApp today.\n"
        f"Write or call the coordinator: {A_PHONES[(i + 2) % 5]}",
    )


def b1(i: int) -> tuple[str, str]:
    return (
        f"Praca w Holandii: {JOBS[i % 6]} od zaraz",
        f"Szukamy ludzi do pracy w Holandii na stanowisko {JOBS[i % 6]}, okolice "
        f"{CITIES[(i + 1) % 6]}. Płacimy {2700 + 100 * i} euro netto miesięcznie, wypłata co "
        f"tydzień. Zakwaterowanie zapewnione, tylko 80 euro tygodniowo, potrącane z wypłaty. "
        f"Bez doświadczenia, bez języka, wyjazdy co tydzień!\nPisz lub dzwoń: {B_PHONES[i % 5]}"
        f"\nTelegram: @praca_nl31",
    )


def b2(i: int) -> tuple[str, str]:
    return (
        f"Wyjazd do Holandii {i + 10}.06 - {JOBS[(i + 4) % 6]}",
        f"Pilnie potrzebni pracownicy: {JOBS[(i + 4) % 6]} w {CITIES[(i + 2) % 6]}. Dajemy "
        f"bilet autobusowy, oddajesz z pierwszej wypłaty, a mieszkanie w domu z innymi "
        f"pracownikami kosztuje {70 + i} euro. Dokumenty BSN i konto w banku załatwiamy w dwa "
        f"dni. Wyślij zdjęcie dowodu osobistego przez Telegram.\nKontakt: {B_PHONES[(i + 1) % 5]}",
    )


FIRMS = [
    ("Bakker Kassen BV", "bakkerkassen"),
    ("De Groot Logistiek", "degrootlogistiek"),
    ("Visser Vlees", "vissservlees"),
    ("Jansen Bloemen", "jansenbloemen"),
    ("Smit Schoonmaak", "smitschoonmaak"),
    ("Mulder Transport", "muldertransport"),
    ("Van Dijk Tuinbouw", "vandijktuinbouw"),
    ("Meijer Horeca", "meijerhoreca"),
    ("De Vries Bouw", "devriesbouw"),
    ("Bos Verpakking", "bosverpakking"),
]


def boilerplate(firm: int, i: int) -> tuple[str, str]:
    name, domain = FIRMS[firm]
    return (
        f"Vacature: {JOBS[(firm + i) % 6]} in {CITIES[(firm + 2 * i) % 6]}",
        f"{name} zoekt een {JOBS[(firm + i) % 6]} in {CITIES[(firm + 2 * i) % 6]}.\n"
        f"Wat bieden wij? {14 + firm},{10 * i} euro bruto per uur, 38 uur per week, 8% "
        f"vakantiegeld en een contract vanaf dag een.\nWat vragen wij? Je bent fysiek fit, "
        f"punctueel en kunt vroege diensten draaien.\nSolliciteren: Tel. 010-{5550000 + firm}\n"
        f"E-mail: info@{domain}.nl\nMeer vacatures: www.{domain}.nl",
    )


LONE = [
    (
        "Office manager (m/f) for our Amsterdam head office",
        "A fast-growing software company seeks an office manager to run facilities, travel "
        "and events for 120 colleagues. Fluent Dutch and English. Hybrid work possible.",
    ),
    (
        "Bijles wiskunde gezocht",
        "Voor onze zoon in havo 4 zoeken wij een student die twee keer per week bijles "
        "wiskunde B kan geven, bij voorkeur in Utrecht Oost. Vergoeding in overleg.",
    ),
    (
        "Chauffeur CE internationaal",
        "Transportbedrijf zoekt ervaren chauffeur met code 95 voor ritten naar Italië en "
        "Spanje, vijf dagen weg, vast contract, goede vergoeding en nieuwe trucks.",
    ),
]


def _ads() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    ads: list[dict[str, object]] = []
    contacts: list[dict[str, object]] = []

    def add(ad_id: str, text: tuple[str, str], day: int, city: str, lang: str, **contact: str):
        ads.append(
            {
                "id": ad_id,
                "platform": "facebook-group" if ad_id[0] in "ab" else "indeed",
                "url": f"https://example.org/{ad_id}",
                "kind": "job",
                "title": text[0],
                "body": text[1],
                "language": lang,
                "postedAt": f"2024-{1 + day // 28:02d}-{1 + day % 28:02d} 10:00:00",
                "location": city,
                "source_row": len(ads) + 2,
            }
        )
        for kind, value in contact.items():
            contacts.append({"ad": ad_id, "kind": kind, "value": value, "raw": value})

    for i in range(6):
        add(f"a1-{i}", a1(i), 3 * i, CITIES[i % 6], "en", phone="+31658780630")
        add(f"a2-{i}", a2(i), 3 * i + 1, CITIES[(i + 3) % 6], "en", phone="+31658780630")
        add(f"b1-{i}", b1(i), 2 * i, CITIES[(i + 1) % 6], "pl", phone="+31627958015")
        add(f"b2-{i}", b2(i), 2 * i + 40, CITIES[(i + 2) % 6], "pl", phone="+31627958015")
    contacts.append({"ad": "b1-0", "kind": "handle", "value": "telegram:@praca_nl31"})
    add("a1-dup", a1(0), 30, CITIES[0], "en", phone="+31658780630")  # the same ad re-posted
    add("a1-dup2", a1(1), 31, CITIES[1], "en")  # re-posted without a readable phone
    for firm in range(10):
        for i in range(3):
            add(
                f"o{firm}-{i}",
                boilerplate(firm, i),
                firm + 5 * i,
                CITIES[(firm + 2 * i) % 6],
                "nl",
                phone=f"+3110{5550000 + firm}",
                email=f"info@{FIRMS[firm][1]}.nl",
            )
    for n, text in enumerate(LONE):
        add(f"lone-{n}", text, 50 + n, "Amsterdam", "nl")
    return ads, contacts


@pytest.fixture
def case(tmp_path: Path) -> Case:
    case = Case(tmp_path / "case")
    ads, contacts = _ads()
    case.add_rows("ad", ads)
    with case.ws.connect() as con:
        con.execute("""CREATE TABLE ad_contact (ad VARCHAR, kind VARCHAR, value VARCHAR,
                       raw VARCHAR, obfuscated BOOLEAN, app VARCHAR)""")
        con.executemany(
            "INSERT INTO ad_contact (ad, kind, value, raw) VALUES (?, ?, ?, ?)",
            [(c["ad"], c["kind"], c["value"], c.get("raw")) for c in contacts],
        )
    return case


def _run(case: Case, **params: object):
    with case.ws.connect() as con:
        return cluster(con, **params)


def _of(case: Case, table: str, column: str) -> dict[str, str]:
    return dict(query(case.ws, f"SELECT ad, {column} FROM {table}"))


def test_templates_become_clusters_and_recruiters_stay_apart(case: Case) -> None:
    counts = _run(case)
    assert counts.ads == 59 and counts.exact_duplicates == 2
    clusters = _of(case, "ad_cluster", "cluster")
    for prefix in ("a1", "a2", "b1", "b2"):
        assert len({clusters.get(f"{prefix}-{i}") for i in range(6)}) == 1, prefix
    assert clusters["a1-dup"] == clusters["a1-0"] == clusters["a1-dup2"]
    recruiters = {clusters[f"{p}-0"] for p in ("a1", "a2", "b1", "b2")}
    assert len(recruiters) == 4
    ordinary = {clusters.get(f"o{f}-{i}") for f in range(10) for i in range(3)}
    assert not ordinary & recruiters and None not in ordinary
    assert not {f"lone-{n}" for n in range(3)} & set(clusters)  # singletons have no row
    size, similarity = query(
        case.ws, "SELECT size, similarity FROM ad_cluster WHERE ad = 'a1-dup'"
    )[0]
    assert size == 8 and 0.3 < similarity <= 1.0


def test_posters_join_a_recruiters_templates_but_not_the_boilerplate_firms(case: Case) -> None:
    _run(case)
    poster = _of(case, "ad_poster", "poster")
    a = {poster[f"{p}-{i}"] for p in ("a1", "a2") for i in range(6)}
    b = {poster[f"{p}-{i}"] for p in ("b1", "b2") for i in range(6)}
    assert len(a) == 1 and len(b) == 1 and a != b
    assert poster["a1-dup2"] in a  # no contact of its own: its consistent text cluster says
    firms = [{poster[f"o{f}-{i}"] for i in range(3)} for f in range(10)]
    assert all(len(f) == 1 for f in firms)
    assert len(set().union(*firms)) == 10 and not set().union(*firms) & (a | b)
    assert not {f"lone-{n}" for n in range(3)} & set(poster)
    (profile,) = query(
        case.ws,
        """SELECT ads, text_clusters, contacts, languages, cities[1].city, first_posted::VARCHAR,
                  ads_per_30_days FROM ad_poster_profile WHERE poster = ?""",
        [next(iter(b))],
    )
    ads, text_clusters, contacts, languages, first_city, first_posted, rate = profile
    assert (ads, text_clusters) == (12, 2)
    assert contacts == ["handle:telegram:@praca_nl31", "phone:+31627958015"]
    assert languages == [{"language": "pl", "ads": 12}]
    assert first_city == "Delft" and first_posted == "2024-01-01 10:00:00"
    assert rate == pytest.approx(12 * 30 / 53)  # 12 ads from 1 January to 23 February


def test_template_shows_the_shared_text_and_the_slots(case: Case) -> None:
    _run(case)
    cluster_id = _of(case, "ad_cluster", "cluster")["b1-0"]
    (row,) = query(case.ws, "SELECT template, slots, members FROM ad_template WHERE cluster = ?",
                   [cluster_id])  # fmt: skip
    text, slots, members = row
    assert members == 6
    assert "Szukamy ludzi do pracy w Holandii na stanowisko" in text
    assert "Telegram: @praca_nl31" in text and "{1}" in text
    values = {v for slot in slots for v in slot["values"]}
    assert {"Rotterdam", "Delft"} <= values  # the cities vary
    with case.ws.connect() as con:
        lazy = template_of(con, cluster_id)
        assert template_of(con, "no-such-cluster") is None
    assert lazy is not None and lazy.template == text and lazy.members == 6


def test_rerun_is_idempotent(case: Case) -> None:
    tables = ("ad_cluster", "ad_poster", "ad_poster_profile", "ad_template")
    _run(case)
    first = {t: query(case.ws, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}
    _run(case)
    assert {t: query(case.ws, f"SELECT * FROM {t} ORDER BY ALL") for t in tables} == first


def test_without_ad_contact_the_ads_own_columns_are_used(tmp_path: Path) -> None:
    case = Case(tmp_path / "case")
    ads, _ = _ads()
    for ad in ads:
        if ad["id"].startswith(("o1-", "o2-")):
            ad["phone"] = "+3110555000" + ad["id"][1]
        if ad["id"].startswith("b"):
            ad["handle"] = "whatsapp:+31627958015"
    case.add_rows("ad", ads)
    _run(case)
    poster = _of(case, "ad_poster", "poster")
    assert len({poster[f"o1-{i}"] for i in range(3)}) == 1
    assert poster["o1-0"] != poster["o2-0"]
    assert len({poster[f"{p}-{i}"] for p in ("b1", "b2") for i in range(6)}) == 1
    contacts = query(case.ws, "SELECT contacts FROM ad_poster_profile WHERE poster = ?",
                     [poster["b1-0"]])  # fmt: skip
    assert contacts == [(["phone:+31627958015"],)]


def test_empty_ad_table_gives_empty_tables(tmp_path: Path) -> None:
    case = Case(tmp_path / "case")
    counts = _run(case)
    assert counts.ads == 0 and counts.text_clusters == 0
    for table in ("ad_cluster", "ad_poster", "ad_poster_profile", "ad_template"):
        assert query(case.ws, f"SELECT count(*) FROM {table}") == [(0,)]


def test_parameters_are_checked(case: Case) -> None:
    with pytest.raises(ValueError, match="bands"):
        _run(case, num_perm=100, bands=30)
    with pytest.raises(ValueError, match="shingle"):
        _run(case, shingle="sentence")
