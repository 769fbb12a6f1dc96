"""Phones hidden in ad text: de-obfuscation, parsing, and what must not be read as a phone."""

from __future__ import annotations

import pytest

from invert.ads.lexicon import load
from invert.ads.phones import numbers, plain

LEX = load()


def words(*langs: str) -> dict[str, int]:
    out = dict(LEX.digit_words("en"))
    for lang in langs:
        out.update(LEX.digit_words(lang))
    return out


@pytest.mark.parametrize(
    ("span", "lang", "e164"),
    [
        ("+31 6 5eight780630", "en", "+31658780630"),
        ("+31 6 4787986osiem", "pl", "+31647879868"),
        ("+31 6 4787dziewięć868", "pl", "+31647879868"),
        ("+31 6 4787dziewiec868", "pl", "+31647879868"),
        ("zero 6 58780630", "en", "+31658780630"),
        ("nul zes 1234 5678", "nl", "+31612345678"),
        ("+40 7două1 234 567", "ro", "+40721234567"),
        ("+359 88 осем12 3456", "bg", "+359888123456"),
        ("+39 3tre3 123 4567", "it", "+393331234567"),
        ("+33 6 12 34 cinq6 78", "fr", "+33612345678"),
        ("+31 6 4hat12 34 56", "hu", "+31646123456"),
        ("O6 5878O63O", "en", "+31658780630"),
        ("06 l234 5678", "en", "+31612345678"),
        ("0 6 4 7 8 7 9 8 6 8", "en", "+31647879868"),
        ("0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", "en", "+31612345678"),
        ("０６１２３４５６７８", "en", "+31612345678"),
    ],
)
def test_obfuscated_numbers_are_recovered(span, lang, e164):
    found = numbers(span, "NL", words(lang))
    assert [(n, obf) for n, _, obf in found] == [(e164, True)]


@pytest.mark.parametrize(
    ("span", "e164"),
    [
        ("+31.174.310466", "+31174310466"),
        ("0031 6 59783968", "+31659783968"),
        ("0040 721 234 567", "+40721234567"),
        ("(0174) 310 466", "+31174310466"),
        ("06-12345678", "+31612345678"),
    ],
)
def test_plain_numbers_are_not_obfuscated(span, e164):
    [(number, raw, obf)] = numbers(span, "NL", words())
    assert (number, obf) == (e164, False)
    assert raw == span


def test_two_numbers_and_a_trailing_year():
    found = numbers("0612345678 / 0687654321 2024", "NL", words())
    assert [n for n, _, _ in found] == ["+31612345678", "+31687654321"]


@pytest.mark.parametrize(
    "span", ["06 1234", "12.03.2024", "2024-03-12", "01/06/2024", "2.400", "1500-2000"]
)
def test_too_short_dates_and_prices_are_no_phones(span):
    assert numbers(span, "NL", words()) == []


def test_region_reads_national_numbers():
    assert numbers("0721 234 567", "RO", words())[0][0] == "+40721234567"
    assert numbers("0721 234 567", "NL", words())[0][0] == "+31721234567"


def test_plain():
    assert plain("+31 6 1234 5678")
    assert not plain("0 6 1 2 3 4 5 6 7 8")
    assert not plain("O6 12345678")


def test_prices_and_dates_in_text_are_no_phones(ads):
    text = (
        "Salary 2.400 - 2.800 EUR per month, start 01.06.2024, 40 hours. Bonus 1500 €. "
        "Fizetés 24 000 000 Ft évente. Rent 2400-2800 EUR.\n"
    )
    nl = ads.add(text + "Call 06 1234 5678", "Picker", country="NL")
    hu = ads.add(text, "Picker", country="HU")
    ads.run()
    assert {v for _, v, _, _ in ads.contacts(nl, "phone")} == {"+31612345678"}
    assert ads.contacts(hu, "phone") == set()


def test_structured_phone_wins_over_the_ads_country(ads):
    # A Dutch agency's ad for work in Germany writes its Dutch number nationally.
    ad = ads.add(
        "Werk in Kleve. Bel 06-20460782.",
        "Orderpicker",
        country="DE",
        phone="+31620460782",
        phone_raw="06-20460782",
    )
    ads.run()
    assert {v for _, v, _, _ in ads.contacts(ad, "phone")} == {"+31620460782"}
