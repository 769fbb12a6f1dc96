"""Offered pay read from the text and normalised to euro per hour and month."""

from __future__ import annotations

import pytest

from invert.ads.pay import MONTH_HOURS, rates


@pytest.mark.parametrize(
    ("text", "lang", "amount", "currency", "period", "net"),
    [
        ("Salaris: € 2.400 netto per maand", "nl", 2400, "EUR", "month", True),
        ("Salariu 14,85 € brut pe oră", "ro", 14.85, "EUR", "hour", False),
        ("Pay 1500 EUR/month", "en", 1500, "EUR", "month", None),
        ("Wynagrodzenie 3 000 zł miesięcznie", "pl", 3000, "PLN", "month", None),
        ("Salariu 2500 lei", "ro", 2500, "RON", None, None),
        ("Rate 22 €/h", "en", 22, "EUR", "hour", None),
        ("Fizetés: bruttó 450 000 Ft havonta", "hu", 450000, "HUF", "month", False),
        ("Заплата 1200 лв. на месец", "bg", 1200, "BGN", "month", None),
    ],
)
def test_pay_from_text(ads, text, lang, amount, currency, period, net):
    ad = ads.add(text + "\nTel. 06 1234 5678", "Worker", language=lang)
    ads.run()
    t = ads.text(ad)
    assert (t["pay_amount"], t["pay_currency"], t["pay_period"], t["pay_net"]) == (
        amount,
        currency,
        period,
        net,
    )
    if period == "hour":
        eur = amount / rates()[currency]
        assert t["pay_hourly_eur"] == pytest.approx(eur)
        assert t["pay_monthly_eur"] == pytest.approx(eur * MONTH_HOURS)


def test_costs_are_not_pay(ads):
    ad = ads.add(
        "Accommodation €80 per week, deducted.\nSalary €15.20 per hour gross.\n"
        "Travel allowance €0.19 per km.",
        "Picker",
    )
    ads.run()
    t = ads.text(ad)
    assert (t["pay_amount"], t["pay_period"]) == (15.2, "hour")


def test_period_inferred_from_the_amount(ads):
    hour = ads.add("We pay €16.50 gross.", "Picker")
    month = ads.add("We pay €2,600 gross.", "Picker")
    ads.run()
    assert ads.text(hour)["pay_period"] == "hour"
    assert ads.text(month)["pay_period"] == "month"
    assert ads.text(month)["pay_hourly_eur"] == pytest.approx(2600 / MONTH_HOURS)


def test_rates_file_names_its_date_and_source():
    from invert.ads.pay import RATES

    text = RATES.read_text(encoding="utf-8")
    assert "date:" in text and "ECB" in text
    assert {"EUR", "RON", "BGN", "HUF", "PLN", "GBP", "CZK", "UAH", "CHF", "SEK", "DKK"} <= set(
        rates()
    )
