"""Extraction on hand-written ads in Lithuanian (work in Norway), Ukrainian (work in Czechia) and
Russian (work in Poland), in the style of ``test_extract.py``: per language a deceptive ad
(several cues, a phone with a digit spelled out in that language), an ordinary lawful vacancy
(no deceptive cue) and a tricky one whose negations must not fire. The ads carry no structured
country, so the destination comes from the text."""

from __future__ import annotations

import pytest

from helpers import ALL_DECEPTIVE, DECEPTIVE, Ads

# lang: (deceptive title, body, phone, app handle, destination, extra cues),
#       (ordinary title, body, employer, destination, currency, EUR per hour range), tricky body
CASES = {
    "lt": (
        (
            "SKUBIAI! Darbas Norvegijoje – žuvies fabrikas, 250 NOK/val. į rankas",
            "Be patirties, be kalbos žinių! Nemokamas apgyvendinimas, nuoma išskaičiuojama iš "
            "atlyginimo. Lėktuvo bilietus apmokame, grąžinsite iš pirmo atlyginimo. Sutvarkome "
            "visus dokumentus (D-numeris, banko sąskaita). Registracijos mokestis 150 eurų, "
            "mokama iš anksto. Be pokalbio, išvykimas iškart! Atsiųskite paso nuotrauką. Nemokamas "
            "pavežėjimas į darbą. Apie "
            "darbą niekam nesakykite, rašykite tik per WhatsApp.\n"
            "WhatsApp: +370 6aštuoni1 23456\nTelegram: @darbas_norvegija",
            "+37068123456",
            "whatsapp:+37068123456",
            "NO",
            {"secrecy", "transport"},
        ),
        (
            "Sandėlio darbuotojas – Oslas",
            "UAB „Baltic Staffing“ ieško sandėlio darbuotojų Norvegijos logistikos įmonei Osle.\n"
            "Atlyginimas 210 NOK/val. bruto, darbo sutartis nuo pirmos dienos. Patirtis "
            "sandėlyje bus privalumas. Padedame susirasti būstą netoliese.\n"
            "Tel.: +370 5 212 3456, el. paštas: darbas@balticstaffing.lt",
            "Baltic Staffing",
            "NO",
            "NOK",
            (17, 18.5),
        ),
        "Sandėlio darbuotojai Bergene. Jokių mokesčių kandidatams – įdarbinimas nemokamas, "
        "mes neimame jokių pinigų. Apgyvendinimas nesuteikiamas. Be patirties nepriimame.",
    ),
    "uk": (
        (
            "ТЕРМІНОВО! Робота в Чехії – пакувальник на м'ясокомбінат, 32000 крон чистими на "
            "місяць",
            "Без досвіду, без знання мови! Безкоштовне житло, оренда вираховується із зарплати. "
            "Квиток оплачуємо, повернете з першої зарплати. Оформлюємо всі документи "
            "(страховка, рахунок у банку), робочу візу зробимо за 10 днів. Реєстраційний "
            "внесок 200 євро, оплата наперед. Без співбесіди, виїзд одразу! Надішліть фото "
            "паспорта та вкажіть ваш вік. Безкоштовний транспорт до заводу. Пишіть тільки у "
            "Viber.\nViber: +380 67 123 45 сім8\nTelegram: @robota_chehiya",
            "+380671234578",
            "viber:+380671234578",
            "CZ",
            {"visa", "transport", "secrecy"},
        ),
        (
            "Комплектувальник на склад – Брно",
            "Logistika Morava s.r.o. шукає комплектувальників на склад у Брно.\n"
            "Пропонуємо 180 крон брутто на годину, трудовий договір з першого дня. Досвід "
            "роботи на складі буде перевагою. Допомагаємо знайти житло поблизу.\n"
            "Тел.: +420 541 123 456, e-mail: prace@logistikamorava.cz",
            "Logistika Morava s.r.o.",
            "CZ",
            "CZK",
            (7, 7.5),
        ),
        "Комплектувальник у Познані. Ми не беремо з кандидатів жодних грошей, "
        "працевлаштування безкоштовне. Житло не надається. Без досвіду роботи не розглядаємо.",
    ),
    "ru": (
        (
            "СРОЧНО! Работа в Польше – сборщик клубники, 4500 злотых на руки в месяц",
            "Без опыта, без знания языка! Бесплатное жильё, проживание вычитается из зарплаты. "
            "Билет оплачиваем, вернёте с первой зарплаты. Оформляем все документы (PESEL, "
            "банковский счёт), рабочую визу гарантируем. Регистрационный сбор 300 злотых, "
            "предоплата до выезда. Без собеседования, выезд сразу! Пришлите фото паспорта. "
            "Бесплатный транспорт до фермы. Никому не рассказывайте, пишите только в Viber.\n"
            "Viber: +48 5ноль1 234 567\nTelegram: @rabota_polsha",
            "+48501234567",
            "viber:+48501234567",
            "PL",
            {"visa", "transport", "secrecy"},
        ),
        (
            "Комплектовщик на склад – Вроцлав",
            "Logistyka Dolny Śląsk Sp. z o.o. ищет комплектовщиков на склад во Вроцлаве.\n"
            "Предлагаем 31,50 зл брутто в час, трудовой договор с первого дня. Опыт работы на "
            "складе будет преимуществом. Помогаем найти жильё поблизости.\n"
            "Тел.: +48 71 123 45 67, e-mail: praca@logistykads.pl",
            "Logistyka Dolny Śląsk Sp. z o.o.",
            "PL",
            "PLN",
            (7, 7.5),
        ),
        "Кладовщик на склад в Праге. Мы не берём с кандидатов никаких денег, трудоустройство "
        "бесплатное. Жильё не предоставляется. Без опыта работы не рассматриваем.",
    ),
}
LANGS = sorted(CASES)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    ads = Ads(tmp_path_factory.mktemp("ads") / "case")
    ads.add_cases(CASES, country=None)
    ads.counts = ads.run()
    return ads


@pytest.mark.parametrize("lang", LANGS)
def test_deceptive_ad_carries_the_cues(extracted, lang):
    found = extracted.cues()[f"{lang}-deceptive"]
    expected = ALL_DECEPTIVE | CASES[lang][0][5]
    assert found >= expected, sorted(expected - found)


@pytest.mark.parametrize("lang", LANGS)
def test_deceptive_ad_spelled_digit_phone_and_handle(extracted, lang):
    _, _, phone, handle, country, _ = CASES[lang][0]
    ad = f"{lang}-deceptive"
    phones = extracted.contacts(ad, "phone")
    assert any(v == phone and obf for _, v, obf, _ in phones), phones
    handles = {v for _, v, _, _ in extracted.contacts(ad, "handle")}
    assert handle in handles, handles
    text = extracted.text(ad)
    assert text["language"] == lang
    assert text["dest_country"] == country
    assert text["pay_net"] is True
    assert text["has_company_domain"] is False


@pytest.mark.parametrize("lang", LANGS)
def test_ordinary_vacancy_has_no_deceptive_cue(extracted, lang):
    _, _, employer, country, currency, (low, high) = CASES[lang][1]
    found = extracted.cues().get(f"{lang}-ordinary", set())
    assert "housing" in found
    assert not found & DECEPTIVE, sorted(found & DECEPTIVE)
    text = extracted.text(f"{lang}-ordinary")
    assert text["language"] == lang
    assert text["occupation"] == "warehouse"
    assert text["dest_country"] == country
    assert text["employer_name"] == employer
    assert text["has_company_domain"] is True
    assert (text["pay_currency"], text["pay_period"], text["pay_net"]) == (currency, "hour", False)
    assert low < text["pay_hourly_eur"] < high
    phones = extracted.contacts(f"{lang}-ordinary", "phone")
    assert len(phones) == 1 and not next(iter(phones))[2], phones


@pytest.mark.parametrize("lang", LANGS)
def test_tricky_negations_do_not_fire(extracted, lang):
    found = extracted.cues().get(f"{lang}-tricky", set())
    assert not found & {"fee", "housing", "no_experience"}, sorted(found)
    assert extracted.text(f"{lang}-tricky")["language"] == lang


@pytest.mark.parametrize(
    ("lang", "text", "cue"),
    [
        ("ru", "Работа в Германии. Документы не нужны, работа по туристической визе.", "visa"),
        ("ru", "Заработок хороший, деньги за дорогу отработаете на месте, долг вычтем.", "loan"),
        ("uk", "Робота в Нідерландах. Знання англійської мови не обов'язкове.", "no_language"),
        ("uk", "Приймаємо сімейні пари, вік не важливий. Пишіть у приват.", "no_requirements"),
        ("lt", "Darbas Olandijoje. Anglų kalbos žinios nebūtinos, kviečiame poras.", "no_language"),
        ("lt", "Darbas Anglijoje, atlyginimas mokamas grynais kiekvieną savaitę.", "cash_or_net"),
    ],
)
def test_single_cues(ads, lang, text, cue):
    ad = ads.add(text, "", country=None, language=lang)
    ads.run()
    assert cue in ads.cues()[ad]


@pytest.mark.parametrize(
    ("lang", "text", "country", "city"),
    [
        ("ru", "Работа на складе в Нидерландах, в Роттердаме.", "NL", "Rotterdam"),
        ("ru", "Требуются сборщики на завод в Чехию, Млада-Болеслав.", "CZ", "Mladá Boleslav"),
        ("uk", "Робота в Німеччині, у Гамбурзі, на складі.", "DE", "Hamburg"),
        ("uk", "Робота на фермі у Голландії.", "NL", None),
        ("lt", "Darbas Nyderlanduose, Roterdame, sandėlyje.", "NL", "Rotterdam"),
        ("lt", "Darbas Didžiojoje Britanijoje, Piterbore.", "GB", "Peterborough"),
    ],
)
def test_destination_in_the_language(ads, lang, text, country, city):
    ad = ads.add(text, "", country=None, language=lang)
    ads.run()
    t = ads.text(ad)
    assert (t["dest_country"], t["dest_city"]) == (country, city)
