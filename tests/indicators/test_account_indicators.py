"""Bank-account and transaction patterns (catalogue/account_patterns.yml) on tiny hand-made
workspaces: for each indicator a case that fires, one that must not, and one at the threshold."""

from __future__ import annotations

import datetime as dt

D = dt.date


def tx(
    case,
    tid: str,
    payer: str | None,
    payee: str | None,
    amount: float,
    day: dt.date,
    channel: str | None = None,
    mcc: str | None = None,
    city: str | None = None,
    country: str | None = None,
    purpose: str | None = None,
    report: str | None = None,
) -> str:
    return case.add(
        "transaction",
        id=tid,
        payerAccount=payer,
        beneficiaryAccount=payee,
        amount=amount,
        date=day,
        channel=channel,
        mcc=mcc,
        city=city,
        country=country,
        purpose=purpose,
        report=report,
    )


def ids(evidence: list) -> set[str]:
    return {e["id"] for e in evidence}


def test_tx_structuring(case):
    # Three cash/wire amounts in [9,000, 10,000) out of four within 90 days: 75%.
    tx(case, "s1", None, "struct", 9500, D(2024, 3, 1), "cash")
    tx(case, "s2", None, "struct", 9800, D(2024, 3, 20), "cash")
    tx(case, "s3", "struct", "abroad", 9900, D(2024, 4, 15), "wire")
    tx(case, "s4", "struct", "landlord", 2000, D(2024, 4, 1), "wire")
    # At or above the threshold, or far below it: not structuring.
    for k, amount in enumerate((10000, 12000, 500, 10000)):
        tx(case, f"h{k}", None, "honest", amount, D(2024, 3, 1 + k), "cash")
    # Exactly half near the threshold: the share must be above 50%.
    for k in range(3):
        tx(case, f"e{k}", None, "edge", 9200, D(2024, 3, 1 + k), "cash")
        tx(case, f"f{k}", "edge", "shop", 300, D(2024, 3, 1 + k), "wire")
    # Three near amounts, but never within one 90-day window.
    for k, day in enumerate((D(2024, 1, 1), D(2024, 2, 15), D(2024, 3, 31))):
        tx(case, f"w{k}", None, "slow", 9500, day, "cash")
    # No channel in the data: cannot tell cash or wire.
    for k in range(4):
        tx(case, f"n{k}", None, "nochannel", 9500, D(2024, 3, 1 + k))
    hits = case.hits("tx_structuring")
    assert set(hits) == {"struct"}
    strength, value, evidence = hits["struct"]
    assert value == (
        "3 of 4 cash/wire transactions (75%) in 90 days between 9000 and 10000, "
        "just under the 10000 threshold"
    )
    assert abs(strength - 0.75) < 1e-9
    assert ids(evidence) == {"s1", "s2", "s3"}


def test_tx_wires_high_risk_corridor(case):
    case.add("bank_account", id="corr", country="NL")
    case.add("bank_account", id="home", country="BG")
    for k, (cash_day, wire_day) in enumerate(
        (
            (D(2024, 1, 3), D(2024, 1, 5)),
            (D(2024, 2, 1), D(2024, 2, 8)),
            (D(2024, 3, 1), D(2024, 3, 2)),
        )
    ):  # the second wire exactly 7 days after the cash
        tx(case, f"c{k}", None, "corr", 2000, cash_day, "cash")
        tx(case, f"w{k}", "corr", "vn-payee", 1000, wire_day, "wire", country="VN")
        # A Bulgarian account wiring within Bulgaria (on the grey list) is no corridor.
        tx(case, f"hc{k}", None, "home", 2000, cash_day, "cash")
        tx(case, f"hw{k}", "home", "bg-payee", 1000, wire_day, "wire", country="BG")
        # Wires eight days after the cash are too late.
        tx(case, f"lc{k}", None, "late", 2000, cash_day, "cash")
        tx(
            case,
            f"lw{k}",
            "late",
            "vn-payee",
            1000,
            cash_day + dt.timedelta(days=8),
            "wire",
            country="VN",
        )
        # Wires to a country on no list.
        tx(case, f"sc{k}", None, "safe", 2000, cash_day, "cash")
        tx(case, f"sw{k}", "safe", "de-payee", 1000, wire_day, "wire", country="DE")
    # Two episodes in Q1 and one in Q2: never three in one quarter.
    for k, day in enumerate((D(2024, 2, 1), D(2024, 3, 1), D(2024, 4, 2))):
        tx(case, f"qc{k}", None, "split", 2000, day, "cash")
        tx(
            case,
            f"qw{k}",
            "split",
            "ir-payee",
            1000,
            day + dt.timedelta(days=1),
            "wire",
            country="IR",
        )
    hits = case.hits("tx_wires_high_risk_corridor")
    assert set(hits) == {"corr"}
    strength, value, evidence = hits["corr"]
    assert value == (
        "3 wires (3000.00) to VN within 7 days of cash deposits in one quarter (1 such quarter(s))"
    )
    assert abs(strength - 0.5) < 1e-9
    assert ids(evidence) == {"c0", "c1", "c2", "w0", "w1", "w2"}


def test_tx_funnel_account(case):
    deposits = (
        (D(2024, 3, 1), "Amsterdam"),
        (D(2024, 3, 15), "Rotterdam"),
        (D(2024, 3, 30), "Utrecht"),
    )  # three cities spanning exactly 30 days
    for k, (day, city) in enumerate(deposits):
        tx(case, f"d{k}", None, "funnel", 3000, day, "cash", city=city)
        tx(case, f"s{k}", None, "slow", 3000, day, "cash", city=city)
        tx(case, f"m{k}", None, "same", 3000, day, "cash", city=city)
        tx(case, f"n{k}", None, "nocity", 3000, day, "cash")
        tx(case, f"nw{k}", "nocity", None, 2900, day, "atm")
    # Taken out in Eindhoven the same day and the next day.
    tx(case, "o0", "funnel", None, 2900, D(2024, 3, 1), "atm", city="Eindhoven")
    tx(case, "o1", "funnel", None, 2900, D(2024, 3, 16), "cash", city="EINDHOVEN ")
    # Taken out two days later: not quick.
    tx(case, "so0", "slow", None, 2900, D(2024, 3, 3), "atm", city="Eindhoven")
    tx(case, "so1", "slow", None, 2900, D(2024, 3, 17), "atm", city="Eindhoven")
    # Taken out in the city of the deposit.
    tx(case, "mo0", "same", None, 2900, D(2024, 3, 1), "atm", city="Amsterdam")
    tx(case, "mo1", "same", None, 2900, D(2024, 3, 15), "atm", city="Rotterdam")
    # Three cities, but 31 days apart.
    for k, (day, city) in enumerate(
        ((D(2024, 3, 1), "Breda"), (D(2024, 3, 15), "Gouda"), (D(2024, 3, 31), "Delft"))
    ):
        tx(case, f"w{k}", None, "wide", 3000, day, "cash", city=city)
        tx(case, f"wo{k}", "wide", None, 2900, day, "atm", city="Venlo")
    hits = case.hits("tx_funnel_account")
    assert set(hits) == {"funnel"}
    strength, value, evidence = hits["funnel"]
    assert value == (
        "cash paid in in 3 cities within 30 days; 2 deposit(s) taken out in another city "
        "within 1 day(s)"
    )
    assert abs(strength - 0.5) < 1e-9
    assert ids(evidence) == {"d0", "d1", "d2", "o0", "o1"}


def test_tx_atm_multi_city(case):
    def atm(account: str, tid: str, day: dt.date, city: str | None) -> None:
        tx(case, tid, account, None, 200, day, "atm", city=city)

    # Two bursts: three cities in exactly 7 days, then three more in the third week.
    for k, (day, city) in enumerate(
        (
            (1, "Den Haag"),
            (3, "Leiden"),
            (7, "Haarlem"),
            (20, "Zwolle"),
            (21, "Deventer"),
            (22, "Arnhem"),
        )
    ):
        atm("hopper", f"h{k}", D(2024, 3, day), city)
        atm("once", f"o{k}", D(2024, 3, day), city if day < 10 else "Den Haag")
        atm("nocity", f"n{k}", D(2024, 3, day), None)
    # Three cities, but over 8 days, twice.
    for k, (day, city) in enumerate(
        (
            (1, "Den Haag"),
            (4, "Leiden"),
            (8, "Haarlem"),
            (15, "Den Haag"),
            (18, "Leiden"),
            (22, "Haarlem"),
        )
    ):
        atm("spread", f"s{k}", D(2024, 3, day), city)
    # Hopping every day for a fortnight: two 7-day windows.
    cities = ("Assen", "Emmen", "Hoogeveen")
    for k in range(14):
        atm("roamer", f"r{k}", D(2024, 4, 1 + k), cities[k % 3])
    hits = case.hits("tx_atm_multi_city")
    assert set(hits) == {"hopper", "roamer"}
    strength, value, evidence = hits["hopper"]
    assert value == (
        "ATM withdrawals in 3 or more cities within 7 days, in 2 separate windows (up to 3 cities)"
    )
    assert abs(strength - 0.5) < 1e-9
    assert ids(evidence) == {f"h{k}" for k in range(6)}
    assert "in 2 separate windows" in hits["roamer"][1]


def test_tx_short_stay_lodging(case):
    # Four hotel payments in exactly 7 days (the weekly rate of the Grant Thornton pattern).
    for k, day in enumerate((1, 3, 5, 7)):
        tx(case, f"h{k}", "hotelier", "hotel", 80, D(2024, 3, day), "card", "7011", "Utrecht")
    tx(case, "h-old", "hotelier", "hotel", 80, D(2024, 1, 5), "card", "7011", "Utrecht")
    # Three stays in a week in one or two cities: below every rate.
    for k, (day, city) in enumerate(((1, "Gent"), (3, "Gent"), (5, "Brugge"))):
        tx(case, f"t{k}", "three", "hotel", 80, D(2024, 3, day), "card", "3501", city)
    # Three cities within a week (chain hotel MCCs).
    for k, (day, mcc, city) in enumerate(
        ((1, "3504", "Lyon"), (3, "3509", "Dijon"), (6, "7011", "Paris"))
    ):
        tx(case, f"c{k}", "tour", "hotel", 90, D(2024, 3, day), "card", mcc, city)
    # Sporting camps (7032) are not lodging; no MCC at all cannot be judged.
    for k in range(5):
        tx(case, f"x{k}", "camper", "camp", 30, D(2024, 3, 1 + k), "card", "7032", "Ede")
        tx(case, f"y{k}", "nomcc", "hotel", 80, D(2024, 3, 1 + k), "card", None, "Ede")
    hits = case.hits("tx_short_stay_lodging")
    assert set(hits) == {"hotelier", "tour"}
    strength, value, evidence = hits["hotelier"]
    assert value == "4 lodging payments in 7 days, 4 in 30 days, 1 cities in 7 days (to 2024-03-07)"
    assert abs(strength - 0.6) < 1e-9
    assert ids(evidence) == {"h0", "h1", "h2", "h3"}
    assert hits["tour"][1].startswith("3 lodging payments in 7 days, 3 in 30 days, 3 cities")


def test_tx_ad_platform_payments(case):
    # Four small fixed payments to classifieds in several languages (no MCC).
    for k, purpose in enumerate(
        (
            "VIVASTREET.COM ANNONCE",
            "Anunt publi24.ro",
            "Ogłoszenie OLX premium",
            "kleinanzeigen.de Anzeige",
        )
    ):
        tx(case, f"p{k}", "poster", None, 12, D(2024, 3, 2 + 5 * k), "card", purpose=purpose)
    # Five payments to an advertising agency (MCC 7311), varying amounts.
    for k, amount in enumerate((200, 300, 150, 400, 250)):
        tx(case, f"a{k}", "agency", None, amount, D(2024, 3, 1 + k), "card", "7311")
    # Three a month only; four spread over two months; Polish complaints (reklamacja).
    for k in range(3):
        tx(case, f"t{k}", "three", None, 12, D(2024, 3, 1 + k), "card", purpose="MARKTPLAATS")
    for k, day in enumerate((D(2024, 3, 30), D(2024, 3, 31), D(2024, 4, 1), D(2024, 4, 2))):
        tx(case, f"s{k}", "spread", None, 12, day, "card", purpose="2dehands.be")
    for k in range(4):
        tx(case, f"r{k}", "complainer", None, 12, D(2024, 3, 1 + k), purpose="reklamacja nr 5")
    hits = case.hits("tx_ad_platform_payments")
    assert set(hits) == {"poster", "agency"}
    strength, value, evidence = hits["poster"]
    assert value == (
        "4 payments to ad/classified sites in one month (48.00; 1 such month(s)), "
        "in repeated small fixed amounts"
    )
    assert abs(strength - 0.7) < 1e-9
    assert ids(evidence) == {"p0", "p1", "p2", "p3"}
    assert abs(hits["agency"][0] - 0.6) < 1e-9
    assert "fixed" not in hits["agency"][1]


def test_tx_travel_for_others(case):
    # Two flights on one day and a bus ticket on the 30th day.
    tx(case, "t0", "traveller", None, 120, D(2024, 3, 1), "card", "4511")
    tx(case, "t1", "traveller", None, 120, D(2024, 3, 1), "card", "3008")
    tx(case, "t2", "traveller", None, 40, D(2024, 3, 30), "card", "4131")
    # Commuting (4111) is not travel.
    for k in range(10):
        tx(case, f"c{k}", "commuter", None, 3, D(2024, 3, 1 + k), "card", "4111")
    # Three tickets over 31 days.
    for k, day in enumerate((1, 15, 31)):
        tx(case, f"r{k}", "rare", None, 60, D(2024, 3, day), "card", "4112")
    hits = case.hits("tx_travel_for_others")
    assert set(hits) == {"traveller"}
    strength, value, evidence = hits["traveller"]
    assert value == "3 travel tickets within 30 days (2 bought on a day with several)"
    assert abs(strength - 0.5) < 1e-9
    assert ids(evidence) == {"t0", "t1", "t2"}


def _card_peers(case, n: int = 20) -> None:
    """Ordinary card users: one grocery payment each in March 2024."""
    for k in range(n):
        tx(case, f"g{k}", f"peer{k}", None, 50, D(2024, 3, 10), "card", "5411")


def test_tx_local_transport_rentals(case):
    _card_peers(case)
    for k in range(4):  # a few peers take one taxi
        tx(case, f"pt{k}", f"peer{k}", None, 20, D(2024, 3, 12), "card", "4121")
    # Eight rides and rentals worth 400: above the 95th percentile, at the minimum count.
    for k, mcc in enumerate(("4121",) * 5 + ("7512", "3357", "3389")):
        tx(case, f"r{k}", "rider", None, 50, D(2024, 3, 1 + k), "card", mcc)
    # Seven rides worth 700: too few, however expensive.
    for k in range(7):
        tx(case, f"f{k}", "few", None, 100, D(2024, 3, 1 + k), "card", "4121")
    # Ten cheap rides worth 50: many, but not above the percentile.
    for k in range(10):
        tx(case, f"c{k}", "cheap", None, 5, D(2024, 3, 1 + k), "card", "4121")
    hits = case.hits("tx_local_transport_rentals")
    assert set(hits) == {"rider"}
    strength, value, evidence = hits["rider"]
    # 23 account-months: 0 x16, 20 x4, 50, 400, 700 -> P95 = 50 + 0.9 * 350 = 365
    assert value == (
        "400.00 on 8 taxi/ride-hailing/car-rental payments in 2024-03; the 95th percentile of "
        "23 account-months with card spending is 365.00"
    )
    assert 0.5 < strength < 0.6
    assert ids(evidence) == {f"r{k}" for k in range(8)}


def test_tx_victim_upkeep_purchases(case):
    _card_peers(case)
    for k in range(20):  # peers: two pharmacy visits each
        for j in range(2):
            tx(case, f"u{k}-{j}", f"peer{k}", None, 8, D(2024, 3, 1 + j), "card", "5912")
    mccs = ("5912", "5631", "5977", "5814")
    for k in range(12):
        tx(case, f"k{k}", "keeper", None, 15, D(2024, 3, 1 + k), "card", mccs[k % 4])
    for k in range(10):  # exactly the minimum count
        tx(case, f"e{k}", "edge", None, 15, D(2024, 3, 1 + k), "card", mccs[k % 4])
    for k in range(9):
        tx(case, f"b{k}", "busy", None, 15, D(2024, 3, 1 + k), "card", mccs[k % 4])
    hits = case.hits("tx_victim_upkeep_purchases")
    assert set(hits) == {"keeper", "edge"}
    strength, value, evidence = hits["keeper"]
    # 23 account-months: 2 x20, 9, 10, 12 -> P95 = 9 + 0.9 * 1 = 9.9
    assert value == (
        "12 pharmacy/lingerie/cosmetics/fast-food purchases (180.00) in 2024-03; the 95th "
        "percentile of 23 account-months with card spending is 9.9"
    )
    assert hits["edge"][0] < strength
    assert ids(evidence) == {f"k{k}" for k in range(12)}


def test_tx_small_crypto_buys(case):
    for k in range(4):
        tx(case, f"b{k}", "buyer", None, 50, D(2024, 3, 1 + 7 * k), "crypto")
    for k, (amount, mcc, purpose) in enumerate(
        ((20, "6051", None), (35, None, "BITVAVO"), (60, None, "Binance"), (80, "6051", None))
    ):
        tx(case, f"m{k}", "mixed", None, amount, D(2024, 3, 1 + k), "card", mcc, purpose=purpose)
    for k in range(4):
        tx(case, f"g{k}", "big", None, 1000, D(2024, 3, 1 + k), "crypto")
    for k in range(3):
        tx(case, f"t{k}", "three", None, 50, D(2024, 3, 1 + k), "crypto")
    hits = case.hits("tx_small_crypto_buys")
    assert set(hits) == {"buyer", "mixed"}
    strength, value, evidence = hits["buyer"]
    assert value == (
        "4 crypto purchases of at most 250 in one month (200.00; 1 such month(s)), "
        "in repeated fixed amounts"
    )
    assert abs(strength - 0.7) < 1e-9
    assert ids(evidence) == {"b0", "b1", "b2", "b3"}
    assert abs(hits["mixed"][0] - 0.5) < 1e-9


def test_tx_prepaid_cards(case):
    tx(case, "l0", "loader", None, 100, D(2024, 3, 1), "card", "6540")
    tx(case, "l1", "loader", None, 50, D(2024, 3, 9), "card", purpose="PAYSAFECARD 50")
    tx(case, "l2", "loader", None, 100, D(2024, 3, 20), purpose="doładowanie karty przedpłaconej")
    for k in range(2):
        tx(case, f"t{k}", "two", None, 100, D(2024, 3, 1 + k), "card", "6540")
    for k, day in enumerate((D(2024, 3, 30), D(2024, 3, 31), D(2024, 4, 1), D(2024, 4, 2))):
        tx(case, f"s{k}", "split", None, 100, day, "card", "6540")
    hits = case.hits("tx_prepaid_cards")
    assert set(hits) == {"loader"}
    strength, value, evidence = hits["loader"]
    assert value == "3 prepaid-card purchases or loads in one month (250.00; 1 such month(s))"
    assert abs(strength - 0.5) < 1e-9
    assert ids(evidence) == {"l0", "l1", "l2"}


def test_tx_payment_processor_layering(case):
    for k in range(10):  # half via the P2P channel, half named as PayPal in the text
        p2p = k % 2 == 0
        tx(
            case,
            f"p{k}",
            f"client{k}",
            "layer",
            50,
            D(2024, 3, 1 + k),
            "p2p" if p2p else "wire",
            purpose=None if p2p else "PayPal Europe",
        )
        tx(case, f"q{k}", f"client{k}", "nopass", 50, D(2024, 3, 1 + k), "p2p")
        tx(case, f"b{k}", f"client{k}", "big", 100, D(2024, 3, 1 + k), "p2p")  # not under 100
        if k < 9:
            tx(case, f"n{k}", f"client{k}", "nine", 50, D(2024, 3, 1 + k), "p2p")
    tx(case, "o1", "layer", None, 400, D(2024, 3, 17), "crypto")  # 7 days after the last
    tx(case, "o2", "layer", None, 400, D(2024, 4, 30), "crypto")  # too long after
    tx(case, "bo", "big", None, 400, D(2024, 3, 12), "crypto")
    tx(case, "no", "nine", None, 400, D(2024, 3, 12), "wire", purpose="Factuur Vodafone")
    tx(case, "np", "nopass", None, 400, D(2024, 3, 12), "wire", purpose="huur")
    hits = case.hits("tx_payment_processor_layering")
    assert set(hits) == {"layer"}
    strength, value, evidence = hits["layer"]
    assert value == (
        "10 P2P/processor credits under 100 (500.00) in one month, then 1 crypto or bill "
        "payment(s) (400.00); 1 such month(s)"
    )
    assert abs(strength - 0.66) < 1e-9
    assert ids(evidence) == {f"p{k}" for k in range(10)} | {"o1"}


def test_tx_cash_without_card_revenue(case):
    case.add("company", id="shop", name="Nagelstudio X")
    case.add("company", id="gapco", name="Kapper Y")
    case.add("company", id="mixed", name="Snackbar Z")
    case.add("person", id="pp", name="p")
    case.add("bank_account", id="acc-shop", holder="shop")
    case.add("bank_account", id="acc-shop2", holder="shop")
    case.add("bank_account", id="acc-gap", holder="gapco")
    case.add("bank_account", id="acc-mixed", holder="mixed")
    case.add("bank_account", id="acc-pp", holder="pp")
    for m in (3, 4, 5):  # exactly three consecutive months, 98% cash
        for k in range(3):
            tx(case, f"s{m}{k}", None, "acc-shop", 1000, D(2024, m, 1 + k), "cash")
            tx(case, f"p{m}{k}", None, "acc-pp", 1000, D(2024, m, 1 + k), "cash")
            tx(case, f"x{m}{k}", None, "acc-mixed", 300, D(2024, m, 1 + k), "cash")
        tx(case, f"sc{m}", "visa", "acc-shop", 50, D(2024, m, 10), "card")
        # Transfers from the company's own other account are not takings.
        tx(case, f"own{m}", "acc-shop2", "acc-shop", 50000, D(2024, m, 11), "wire")
        tx(case, f"xc{m}", "adyen", "acc-mixed", 100, D(2024, m, 10), "card")  # 90% cash
    for m in (3, 4, 6):  # not consecutive
        for k in range(3):
            tx(case, f"g{m}{k}", None, "acc-gap", 1000, D(2024, m, 1 + k), "cash")
    hits = case.hits("tx_cash_without_card_revenue")
    assert set(hits) == {"acc-shop"}
    strength, value, evidence = hits["acc-shop"]
    assert value == "3 consecutive months (2024-03 to 2024-05) with 98% of credits in cash"
    assert abs(strength - 0.5) < 1e-9
    assert ids(evidence) == {f"s{m}{k}" for m in (3, 4, 5) for k in range(3)}


def test_tx_business_revenue_no_payroll(case):
    # nopay fires; pay, tax and slip pay wages; blind shows no debits, mute none with a text;
    # two has revenue in two months only.
    for c in ("nopay", "pay", "tax", "slip", "blind", "mute", "two"):
        case.add("company", id=f"c-{c}", name=c)
        case.add("bank_account", id=f"acc-{c}", holder=f"c-{c}")
    case.add("bank_account", id="acc-w", iban="NL02ABNA0123456789")
    case.add("wage_payment", id="wp", employee="w", employer="c-slip", iban="NL02ABNA0123456789")
    for m in (3, 4, 5):
        for c in ("nopay", "pay", "tax", "slip", "blind", "mute"):
            tx(case, f"r-{c}{m}", "client", f"acc-{c}", 5000, D(2024, m, 5), "wire")
        for c in ("nopay", "pay", "tax", "slip", "mute"):
            text = None if c == "mute" else "HUUR"
            tx(case, f"h-{c}{m}", f"acc-{c}", "landlord", 800, D(2024, m, 1), purpose=text)
        if m < 5:
            tx(case, f"r-two{m}", "client", "acc-two", 5000, D(2024, m, 5), "wire")
            tx(case, f"h-two{m}", "acc-two", "landlord", 800, D(2024, m, 1), "wire", purpose="HUUR")
    tx(case, "sal", "acc-pay", "worker", 1800, D(2024, 4, 25), "wire", purpose="SALARIS APRIL")
    tx(
        case,
        "lh",
        "acc-tax",
        "belastingdienst",
        900,
        D(2024, 4, 25),
        "wire",
        purpose="Aangifte loonheffingen 2024/04",
    )
    tx(case, "ws", "acc-slip", "acc-w", 1800, D(2024, 4, 25), "wire", purpose="overboeking")
    hits = case.hits("tx_business_revenue_no_payroll")
    assert set(hits) == {"acc-nopay"}
    strength, value, evidence = hits["acc-nopay"]
    assert value == (
        "revenue of 15000.00 in 3 months (2024-03 to 2024-05) and no wage, payroll-tax or "
        "payslip payments from any account of the company"
    )
    assert abs(strength - 0.4) < 1e-9
    assert {"tbl": "company", "id": "c-nopay"} in evidence
    assert ids(evidence) == {"c-nopay", "r-nopay3", "r-nopay4", "r-nopay5"}


def test_tx_payments_to_unlicensed_recruiters(case, tmp_path):
    def firms(c) -> None:
        c.add("company", id="agency", name="Flex Uitzend BV", sector="N78.20")
        c.add("company", id="bakery", name="Bakker BV", sector="C10.71")
        c.add("bank_account", id="acc-agency", holder="agency")
        c.add("bank_account", id="acc-agency2", holder="agency")
        c.add("bank_account", id="acc-bak", holder="bakery")
        tx(c, "t1", "worker1", "acc-agency", 300, D(2024, 3, 1), "wire", purpose="bemiddeling")
        tx(c, "t3", "worker3", "acc-bak", 300, D(2024, 3, 1), "wire")
        tx(c, "t4", "acc-agency2", "acc-agency", 9000, D(2024, 3, 1), "wire")  # its own money

    firms(case)
    case.add("company", id="licensed", name="Keurmerk BV", sector="7810", licence="SNA-1234")
    case.add("bank_account", id="acc-lic", holder="licensed")
    tx(case, "t2", "worker2", "acc-lic", 300, D(2024, 3, 1), "wire")
    hits = case.hits("tx_payments_to_unlicensed_recruiters")
    assert set(hits) == {"worker1"}
    strength, value, evidence = hits["worker1"]
    assert value == "1 payment(s) of 300.00 to unlicensed recruitment agency Flex Uitzend BV"
    assert 0.6 < strength < 0.7
    assert evidence == [{"tbl": "company", "id": "agency"}, {"tbl": "transaction", "id": "t1"}]
    # A case without any licence data: a missing licence says nothing.
    other = type(case)(tmp_path / "no-licences")
    firms(other)
    assert other.hits("tx_payments_to_unlicensed_recruiters") == {}


def test_tx_batch_openings(case):
    def account(aid: str, day: int, who: str, **kyc: str) -> None:
        case.add("bank_account", id=aid, holder=who, openingDate=D(2024, 3, day), **kyc)

    # Three holders, one phone, opened on days 1, 8 and 14: within 14 days.
    for aid, day, who in (("b1", 1, "p1"), ("b2", 8, "p2"), ("b3", 14, "p3")):
        account(aid, day, who, kycPhone="+31611111111")
    # Days 1, 8 and 15: never three within 14 days.
    for aid, day, who in (("c1", 1, "q1"), ("c2", 8, "q2"), ("c3", 15, "q3")):
        account(aid, day, who, kycPhone="+31622222222")
    # One holder opening three accounts is no batch.
    for aid, day in (("d1", 1), ("d2", 2), ("d3", 3)):
        account(aid, day, "solo", kycEmail="solo@example.com")
    # Same address and e-mail for three holders.
    for aid, day, who in (("e1", 2, "r1"), ("e2", 3, "r2"), ("e3", 4, "r3")):
        account(aid, day, who, kycAddress_key="kerkstraat 1 1234ab", kycEmail="Boss@Example.com")
    hits = case.hits("tx_batch_openings")
    assert set(hits) == {"b1", "b2", "b3", "e1", "e2", "e3"}
    strength, value, evidence = hits["b2"]
    assert (
        value == "one of 3 accounts of different holders opened within 14 days with the same phone"
    )
    assert abs(strength - 0.5) < 1e-9
    assert ids(evidence) == {"b1", "b2", "b3"}
    assert hits["e1"][1].endswith("with the same address and e-mail")
    assert abs(hits["e1"][0] - 0.6) < 1e-9


def test_tx_kyc_matches_sex_ads(case):
    case.add("ad", id="ad1", kind="sex", phone="+31612345678")
    case.add("ad", id="ad2", kind="sex", email="lola@example.com")
    case.add("ad", id="ad3", kind="job", phone="+31699999999")
    case.add("ad", id="ad4", kind="sex", phone="")
    case.add("bank_account", id="k1", kycPhone="+31612345678", kycEmail="LOLA@example.com")
    case.add("bank_account", id="k2", kycPhone="+31699999999")  # a job ad only
    case.add("bank_account", id="k3", kycPhone="")  # blank is no match
    case.add("bank_account", id="k4", kycPhone="+31612345678")  # one ad: the minimum
    hits = case.hits("tx_kyc_matches_sex_ads")
    assert set(hits) == {"k1", "k4"}
    strength, value, evidence = hits["k1"]
    assert value == "KYC phone and e-mail found in 2 sex-service ad(s)"
    assert abs(strength - 0.8) < 1e-9
    assert evidence == [
        {"tbl": "bank_account", "id": "k1"},
        {"tbl": "ad", "id": "ad1"},
        {"tbl": "ad", "id": "ad2"},
    ]
    assert hits["k4"][1] == "KYC phone found in 1 sex-service ad(s)"
    assert abs(hits["k4"][0] - 0.6) < 1e-9


def test_tx_linked_to_reported_account(case, tmp_path):
    case.add("report", id="r1", reportNumber="1/A", reason="Vermoeden van mensenhandel")
    case.add("report", id="r2", reportNumber="1/B", reason="Large cash deposits")
    tx(case, "t-rep", "boss", "victim", 1000, D(2024, 3, 1), "wire", report="r1")
    tx(case, "t1", "friend", "boss", 100, D(2024, 3, 2), "wire")  # direct
    tx(case, "t2", "cousin", "friend", 50, D(2024, 3, 3), "wire")  # one intermediary
    tx(case, "t3", "stranger", "cousin", 50, D(2024, 3, 4), "wire")  # three hops: too far
    # A hub (more counterparties than max_degree) is neither flagged nor followed.
    tx(case, "t4", "victim", "shop", 20, D(2024, 3, 5), "card")
    for k in range(3):
        tx(case, f"ts{k}", f"customer{k}", "shop", 20, D(2024, 3, 5), "card")
    # Reported for something other than trafficking.
    tx(case, "t-r2", "cashy", None, 5000, D(2024, 3, 1), "cash", report="r2")
    tx(case, "t5", "pal", "cashy", 100, D(2024, 3, 2), "wire")
    config = tmp_path / "run.toml"
    config.write_text("[parameters.tx_linked_to_reported_account]\nmax_degree = 3\n")
    hits = case.hits("tx_linked_to_reported_account", config)
    assert set(hits) == {"friend", "cousin"}
    strength, value, evidence = hits["friend"]
    assert value == "exchanged money with 1 account(s) named in trafficking STRs, directly"
    assert abs(strength - 0.6) < 1e-9
    assert evidence == [
        {"tbl": "report", "id": "r1"},
        {"tbl": "transaction", "id": "t-rep"},
        {"tbl": "transaction", "id": "t1"},
    ]
    strength, value, evidence = hits["cousin"]
    assert value == (
        "exchanged money with 1 account(s) named in trafficking STRs, through one intermediary"
    )
    assert abs(strength - 0.3) < 1e-9
    assert ids(evidence) == {"r1", "t-rep", "t1", "t2"}
