"""Extraction on hand-written ads in each lexicon language: for each a deceptive ad (several
cues, an obfuscated phone, a messaging handle), an ordinary lawful vacancy (no deceptive cue)
and a tricky one (negations that must not fire)."""

from __future__ import annotations

import pytest

from helpers import ALL_DECEPTIVE, DECEPTIVE, Ads
from invert.ads import extract as extract_module
from invert.errors import InvertError

# lang: (deceptive title, body, phone, app handle), (ordinary title, body), tricky body
CASES = {
    "en": (
        (
            "URGENT!!! Work in the Netherlands - greenhouse worker €2,500 NET per month",
            "No experience, no English needed! Free accommodation, €80 per week taken from your "
            "salary. We pay your ticket, you pay it back from the first salary. We arrange all "
            "documents (BSN, bank account). Registration fee of €150 before departure. No "
            "interview, start immediately! Send a photo of your passport and your age.\n"
            "WhatsApp: +31 6 five8 78 06 30\nTelegram: @holland_jobs24",
            "+31658780630",
            "telegram:@holland_jobs24",
        ),
        (
            "Order picker - Tilburg",
            "Logistiek Brabant B.V. is looking for an order picker for our warehouse in Tilburg. "
            "We offer €14.80 per hour gross, a contract from day one and 8% holiday pay. "
            "Experience in a warehouse is an advantage. We help you find housing nearby.\n"
            "Apply: 013 123 4567 or jobs@logistiekbrabant.nl\nOffice: 12 Station Road, Tilburg. "
            "KvK 12345678",
        ),
        "Warehouse worker wanted in Venlo. No fees charged to candidates - we never ask for "
        "money or a deposit. Experience is an advantage. Accommodation is not provided.",
    ),
    "nl": (
        (
            "Werk in Nederland - kasmedewerker, €2400 netto per maand!",
            "Geen ervaring nodig, geen Engels nodig! Gratis huisvesting, de huur wordt ingehouden "
            "op je loon. Wij betalen je ticket, je betaalt het terug van je eerste salaris. Wij "
            "regelen alle papieren (BSN, bankrekening). Inschrijfgeld €100 vooraf betalen. Geen "
            "sollicitatiegesprek, per direct beginnen! Stuur een foto van je paspoort.\n"
            "WhatsApp: nul zes 1234 5678\nTelegram: @werk_nl",
            "+31612345678",
            "whatsapp:+31612345678",
        ),
        (
            "Orderpicker gezocht in Venlo",
            "Logistiek Limburg B.V. zoekt een orderpicker voor het magazijn in Venlo. Wij bieden "
            "€14,50 bruto per uur en een contract vanaf dag één. Ervaring is een pré. Wij helpen "
            "je bij het vinden van woonruimte in de buurt.\nSolliciteer: 077 123 4567, "
            "vacatures@logistieklimburg.nl\nKvK 87654321, Industrieweg 12, 5928 PN Venlo",
        ),
        "Magazijnmedewerker in Venlo gezocht. Geen kosten voor kandidaten: wij vragen nooit om "
        "geld of inschrijfgeld. Huisvesting is niet beschikbaar. Ervaring is een pré.",
    ),
    "ro": (
        (
            "Muncă în Olanda - culegător căpșuni, 2500 euro net pe lună",
            "Fără experiență, fără limba engleză! Cazare gratuită, chiria se reține din salariu. "
            "Biletul de avion este plătit de firmă, îl returnezi din primul salariu. Ne ocupăm "
            "de toate actele (BSN, cont bancar). Taxa de înscriere 150 euro, plata în avans. "
            "Fără interviu, plecare imediată! Trimite o poză cu buletinul.\n"
            "WhatsApp: +40 7două1 234 567\nTelegram: @munca_olanda",
            "+40721234567",
            "whatsapp:+40721234567",
        ),
        (
            "Lucrător depozit - Tilburg",
            "Logistiek Brabant B.V. angajează lucrător în depozit în Tilburg. Salariu: 14,85 € "
            "brut pe oră, contract olandez din prima zi. Experiența este un avantaj. Vă ajutăm "
            "să găsiți cazare în apropiere.\nTel.: +31 13 123 4567, e-mail: "
            "jobs@logistiekbrabant.nl",
        ),
        "Lucrători în depozit, Venlo. Nu cerem bani sau taxa de înscriere de la candidați. "
        "Fără cazare. Experiența este un avantaj.",
    ),
    "pl": (
        (
            "Praca w Holandii - zbieracz truskawek, 2400 € netto miesięcznie",
            "Bez doświadczenia, bez języka! Darmowe zakwaterowanie, koszt potrącany z wypłaty. "
            "Bilet opłacony przez firmę, oddajesz z pierwszej wypłaty. Załatwiamy wszystkie "
            "dokumenty (BSN, konto). Opłata rekrutacyjna 100 € płatna z góry. Bez rozmowy "
            "kwalifikacyjnej, wyjazd od zaraz! Wyślij zdjęcie dowodu.\n"
            "WhatsApp: +31 6 4787986osiem\nTelegram: @praca_nl",
            "+31647879868",
            "whatsapp:+31647879868",
        ),
        (
            "Magazynier - Venlo",
            "Logistiek Limburg B.V. zatrudni magazyniera w Venlo. Oferujemy 14,50 € brutto za "
            "godzinę i umowę od pierwszego dnia. Doświadczenie mile widziane. Pomagamy w "
            "znalezieniu zakwaterowania w pobliżu.\nTel. 077 123 4567, praca@logistieklimburg.nl",
        ),
        "Magazynier w Venlo. Nie pobieramy opłaty rekrutacyjnej ani kaucji. Nie zapewniamy "
        "zakwaterowania. Doświadczenie mile widziane.",
    ),
    "hu": (
        (
            "Munka Hollandiában - üvegházi dolgozó, nettó 2400 euró havonta",
            "Tapasztalat nem szükséges, nyelvtudás nélkül! Ingyenes szállás, a lakbért levonjuk "
            "a fizetésből. A repülőjegyet mi fizetjük, az első fizetésből visszafizeted. Mindent "
            "elintézünk (BSN, bankszámla). Regisztrációs díj 100 euró, előre kell fizetni. "
            "Interjú nélkül, azonnali kezdés! Küldd el az útleveled fényképét.\n"
            "WhatsApp: +31 6 4hat12 34 56\nTelegram: @munka_holland",
            "+31646123456",
            "whatsapp:+31646123456",
        ),
        (
            "Raktáros - Venlo",
            "A Logistiek Limburg B.V. raktárost keres Venlóba. Bruttó 14,50 €/óra, holland "
            "szerződés az első naptól. A tapasztalat előny. Segítünk szállást találni a "
            "közelben.\nTel.: +31 77 123 4567, e-mail: allas@logistieklimburg.nl",
        ),
        "Raktáros Venlóba. Nem kérünk közvetítési díjat a jelentkezőktől. Szállás nincs. "
        "A tapasztalat előny.",
    ),
    "bg": (
        (
            "Работа в Холандия - берач на ягоди, 2400 евро нето на месец",
            "Без опит, без език! Безплатна квартира, наемът се удържа от заплатата. Билетът е "
            "платен от фирмата, връщаш го от първата заплата. Уреждаме всички документи (BSN, "
            "банкова сметка). Такса за регистрация 100 евро, плащане предварително. Без "
            "интервю, заминаване веднага! Изпратете снимка на личната карта.\n"
            "Viber: +359 88 осем12 3456\nTelegram: @rabota_holandia",
            "+359888123456",
            "viber:+359888123456",
        ),
        (
            "Складов работник - Венло",
            "Logistiek Limburg B.V. търси складов работник във Венло. Предлагаме 14,50 € бруто "
            "на час и договор от първия ден. Опитът е предимство. Помагаме ви да намерите "
            "квартира наблизо.\nТел.: +31 77 123 4567, имейл: rabota@logistieklimburg.nl",
        ),
        "Складов работник във Венло. Не взимаме такса за регистрация от кандидатите. Без "
        "квартира. Опитът е предимство.",
    ),
    "it": (
        (
            "Lavoro in Olanda - raccoglitore di fragole, 2400 euro netti al mese",
            "Senza esperienza, senza lingua! Alloggio gratuito, l'affitto viene trattenuto "
            "dallo stipendio. Il biglietto è pagato dall'azienda, lo restituisci dal primo "
            "stipendio. Ci occupiamo di tutti i documenti (BSN, conto bancario). Quota di "
            "iscrizione 100 euro, pagamento anticipato. Senza colloquio, partenza immediata! "
            "Invia una foto del passaporto.\nWhatsApp: +39 3tre3 123 4567\n"
            "Telegram: @lavoro_olanda",
            "+393331234567",
            "whatsapp:+393331234567",
        ),
        (
            "Magazziniere - Venlo",
            "Logistiek Limburg B.V. cerca un magazziniere a Venlo. Offriamo 14,50 € lordi "
            "all'ora e contratto dal primo giorno. L'esperienza è un plus. Ti aiutiamo a trovare "
            "un alloggio nelle vicinanze.\nTel. +31 77 123 4567, email lavoro@logistieklimburg.nl",
        ),
        "Magazziniere a Venlo. Non chiediamo nessuna quota di iscrizione ai candidati. Alloggio "
        "non fornito. L'esperienza è un plus.",
    ),
    "fr": (
        (
            "Travail aux Pays-Bas - cueilleur de fraises, 2400 euros net par mois",
            "Sans expérience, sans langue ! Logement gratuit, le loyer est retenu sur le salaire. "
            "Le billet est payé par la société, vous le remboursez sur le premier salaire. Nous "
            "nous occupons de tous les papiers (BSN, compte bancaire). Frais d'inscription 100 "
            "euros, paiement d'avance. Sans entretien, départ immédiat ! Envoyez une photo de "
            "votre passeport.\nWhatsApp : +33 6 12 34 cinq6 78\nTelegram : @travail_pb",
            "+33612345678",
            "whatsapp:+33612345678",
        ),
        (
            "Préparateur de commandes - Venlo",
            "Logistiek Limburg B.V. recrute un préparateur de commandes à Venlo. Nous offrons "
            "14,50 € brut de l'heure et un contrat dès le premier jour. L'expérience est un "
            "atout. Nous vous aidons à trouver un logement à proximité.\nTél. : +31 77 123 4567, "
            "e-mail : emploi@logistieklimburg.nl",
        ),
        "Préparateur de commandes à Venlo. Aucun frais d'inscription n'est demandé aux "
        "candidats. Logement non fourni. L'expérience est un atout.",
    ),
}
LANGS = sorted(CASES)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    ads = Ads(tmp_path_factory.mktemp("ads") / "case")
    ads.add_cases(CASES)
    ads.counts = ads.run()
    return ads


@pytest.mark.parametrize("lang", LANGS)
def test_deceptive_ad_carries_the_cues(extracted, lang):
    found = extracted.cues()[f"{lang}-deceptive"]
    assert found >= ALL_DECEPTIVE, sorted(ALL_DECEPTIVE - found)


@pytest.mark.parametrize("lang", LANGS)
def test_deceptive_ad_obfuscated_phone_and_handle(extracted, lang):
    _, _, phone, handle = CASES[lang][0]
    ad = f"{lang}-deceptive"
    phones = extracted.contacts(ad, "phone")
    assert any(v == phone and obf for _, v, obf, _ in phones), phones
    handles = {v for _, v, _, _ in extracted.contacts(ad, "handle")}
    assert handle in handles, handles
    text = extracted.text(ad)
    assert text["language"] == lang
    assert text["has_company_domain"] is False
    assert text["dest_country"] == "NL"
    assert text["pay_net"] is True


@pytest.mark.parametrize("lang", LANGS)
def test_ordinary_vacancy_has_no_deceptive_cue(extracted, lang):
    found = extracted.cues()[f"{lang}-ordinary"]
    assert "housing" in found
    assert not found & DECEPTIVE, sorted(found & DECEPTIVE)
    text = extracted.text(f"{lang}-ordinary")
    assert text["language"] == lang
    assert text["occupation"] == "warehouse"
    assert text["has_company_domain"] is True
    assert text["employer_name"] in ("Logistiek Brabant B.V.", "Logistiek Limburg B.V.")
    assert text["pay_net"] is False
    assert text["pay_period"] == "hour"
    assert 14 < text["pay_hourly_eur"] < 15
    phones = extracted.contacts(f"{lang}-ordinary", "phone")
    assert len(phones) == 1 and not next(iter(phones))[2], phones


@pytest.mark.parametrize("lang", LANGS)
def test_tricky_negations_do_not_fire(extracted, lang):
    found = extracted.cues().get(f"{lang}-tricky", set())
    assert not found & {"fee", "housing", "no_experience"}, sorted(found)


def test_registration_and_address(extracted):
    en = extracted.text("en-ordinary")
    assert en["has_registration"] and en["has_street_address"]
    nl = extracted.text("nl-ordinary")
    assert nl["has_registration"] and nl["has_street_address"]
    assert not extracted.text("en-deceptive")["has_registration"]


def test_counts(extracted):
    c = extracted.counts
    assert c.ads == 3 * len(CASES)
    assert c.ads_with_phone >= 2 * len(CASES)
    assert c.obfuscated_phones >= len(CASES)
    assert c.cues["fee"] == len(CASES)


def test_phrase_is_kept_as_written(extracted):
    rows = extracted.rows("SELECT phrase FROM ad_cue WHERE ad = 'ro-deceptive' AND cue = 'fee'")
    assert rows == [("Taxa de înscriere",)]


def test_structured_columns_come_first(ads):
    ad = ads.add(
        "Salary €3,000 per month. Call 0612345678.",
        "Cook",
        offeredWage=16.5,
        wagePeriod="hour",
        currency="EUR",
        employerName="Keuken Groep B.V.",
        location="Utrecht",
        phone="+31687654321",
        phone_raw="06-87654321",
        email="hr@keukengroep.nl",
        handle="telegram:@keuken",
    )
    ads.run()
    t = ads.text(ad)
    assert (t["pay_amount"], t["pay_period"], t["pay_currency"]) == (16.5, "hour", "EUR")
    assert t["employer_name"] == "Keuken Groep B.V."
    assert (t["dest_city"], t["dest_country"]) == ("Utrecht", "NL")
    assert t["occupation"] == "hospitality"
    values = {v for _, v, _, _ in ads.contacts(ad)}
    assert {"+31687654321", "+31612345678", "hr@keukengroep.nl", "telegram:@keuken"} <= values


def test_employer_from_text_and_destination(ads):
    ad = ads.add(
        "Firma Agro Trans angajează culegători în Germania, lângă München. Salariu 1800 euro.",
        "Culegători căpșuni",
        country=None,
        language="ro",
    )
    ads.run()
    t = ads.text(ad)
    assert t["employer_name"] == "Agro Trans"
    assert (t["dest_country"], t["dest_city"]) == ("DE", "München")
    assert t["occupation"] == "agri"


def test_sex_cues_only_in_sex_ads(ads):
    sex = ads.add(
        "New in town! Young Latina girl, 100% real photos. Call 06 1234 5678",
        kind="sex",
    )
    job = ads.add("Young team, new in town? Call 06 1234 5678", "Waiter")
    ads.run()
    cues = ads.cues()
    assert {"youth", "ethnicity", "trust", "movement"} <= cues[sex]
    assert not cues.get(job, set()) & {"youth", "ethnicity", "trust", "movement"}


def test_user_lexicon_extends_a_language(ads, tmp_path):
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "en.yml").write_text(
        "cues:\n  fee: ['starter kit for 50']\n  bonus: {match: ['sign-on bonus']}\n"
        "occupations:\n  fishing: ['deckhand']\n",
        encoding="utf-8",
    )
    ad = ads.add("Deckhand wanted. Sign-on bonus! Buy the starter kit for 50 euro.", "Deckhand")
    ads.run([folder])
    assert {"fee", "bonus"} <= ads.cues()[ad]
    assert ads.text(ad)["occupation"] == "fishing"


def test_invalid_lexicon_names_every_problem(ads, tmp_path):
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "en.yml").write_text(
        "cues:\n  fee: ['(?<=no )fee']\nwords: []\ncountries:\n  NO: [norge]\n", encoding="utf-8"
    )
    with pytest.raises(InvertError) as err:
        ads.run([folder])
    text = str(err.value)
    assert "unknown key 'words'" in text
    assert "'countries' key False is no ISO 3166 code" in text


def test_rerun_gives_the_same_rows(ads):
    for lang, (deceptive, _, _) in CASES.items():
        ads.add(deceptive[1], deceptive[0], id=lang)
    ads.run()
    tables = ("ad_text", "ad_contact", "ad_cue")
    first = {t: ads.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in tables}
    ads.run()
    assert {t: ads.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in tables} == first


def test_failure_keeps_the_previous_tables(ads, monkeypatch):
    ads.add("Urgent! No experience needed. Call 06 1234 5678", "Picker")
    ads.run()
    before = ads.rows("SELECT * FROM ad_cue ORDER BY ALL")
    ads.add("Free accommodation. Call 06 8765 4321", "Picker")

    def broken(con, lex):
        con.execute("CREATE OR REPLACE TABLE ad_cue AS SELECT 1 AS half_written")
        raise RuntimeError("disk full")

    monkeypatch.setattr(extract_module.cues, "build", broken)
    with pytest.raises(RuntimeError):
        ads.run()
    assert ads.rows("SELECT * FROM ad_cue ORDER BY ALL") == before
    assert ads.rows("SELECT count(*) FROM ad_text") == [(1,)]


def test_detection_overrides_a_wrong_given_language(ads):
    ad = ads.add(
        "Căutăm lucrători pentru depozit în Olanda. Salariu bun, contract de muncă, program "
        "de opt ore pe zi. Sunați-ne pentru detalii.",
        "Lucrători depozit",
        language="en",
    )
    short = ads.add("OK 06 1234 5678", "", language="pl")
    ads.run()
    assert ads.text(ad)["language"] == "ro"
    assert ads.text(ad)["language_given"] == "en"
    assert ads.text(short)["language"] == "pl"
