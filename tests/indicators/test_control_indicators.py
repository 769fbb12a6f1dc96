"""Control concentrated in a few hands (catalogue/network_control.yml) on tiny hand-made
workspaces: for each indicator a case that fires, one that must not, and one at the threshold."""

from __future__ import annotations

import datetime as dt

D = dt.date
BOSS_IBAN = "NL02ABNA0123456789"


def _crew(case, workers: int, straight: int, abroad: float | None, boss_channel=None) -> None:
    """``workers`` workers of one employer: the first ``straight`` have the boss's account on
    their payslips, the others are paid into their own account and pay the boss from it. The
    boss sends ``abroad`` to a Romanian account (nothing when None)."""
    case.add_rows(
        "bank_account",
        [
            {"id": "boss", "iban": BOSS_IBAN, "country": "NL"},
            {"id": "firm", "iban": "NL44RABO0123456789", "country": "NL"},
            {"id": "home", "iban": "RO49AAAA1B31007593840000", "country": "RO"},
        ],
    )
    for k in range(workers):
        own = f"NL{k:02d}INGB000000000{k}"
        iban = BOSS_IBAN if k < straight else own
        case.add("bank_account", id=f"acc{k}", iban=own, country="NL")
        case.add(
            "wage_payment",
            id=f"slip{k}",
            employee=f"w{k}",
            employer="co",
            iban=iban,
            gross=1800,
            net=1500,
            periodStart=D(2024, 3, 1),
        )
        if k >= straight:
            case.add(
                "transaction",
                id=f"wage{k}",
                payerAccount="firm",
                beneficiaryAccount=f"acc{k}",
                amount=1500,
                date=D(2024, 3, 25),
                purpose="salaris maart",
            )
            case.add(
                "transaction",
                id=f"fwd{k}",
                payerAccount=f"acc{k}",
                beneficiaryAccount="boss",
                amount=1100,
                date=D(2024, 3, 26),
                channel=boss_channel,
            )
    if abroad:
        case.add(
            "transaction",
            id="out",
            payerAccount="boss",
            beneficiaryAccount="home",
            amount=abroad,
            date=D(2024, 3, 30),
            channel="wire",
        )


def test_net_controller_hub(case):
    _crew(case, workers=6, straight=2, abroad=4000)
    hits = case.hits("net_controller_hub")
    assert set(hits) == {"boss"}
    strength, value, evidence = hits["boss"]
    assert value == (
        "the earnings of 6 workers reach this account (2 paid straight in, 4 paid on from their "
        "own accounts: 4400.00); it sent 4000.00 abroad (RO)"
    )
    assert {"tbl": "wage_payment", "id": "slip0"} in evidence
    assert {"tbl": "transaction", "id": "fwd5"} in evidence
    assert {"tbl": "transaction", "id": "out"} in evidence
    assert 0.5 < strength <= 1


def test_net_controller_hub_needs_money_abroad_and_is_no_shop(case):
    _crew(case, workers=6, straight=0, abroad=None)
    assert case.hits("net_controller_hub") == {}


def test_net_controller_hub_leaves_shops_out(case):
    _crew(case, workers=6, straight=0, abroad=4000, boss_channel="card")
    assert case.hits("net_controller_hub") == {}


def test_net_controller_hub_at_the_threshold(case):
    _crew(case, workers=5, straight=1, abroad=50)
    strength = case.hits("net_controller_hub")["boss"][0]
    assert strength == 0.5
    other = case.__class__(case.ws.path.parent / "other")
    _crew(other, workers=4, straight=1, abroad=4000)
    assert other.hits("net_controller_hub") == {}


def _housed_crew(case, workers: int, leg: str) -> None:
    """Workers of firm ``co`` living in a home owned by its director's other firm ``sister``;
    ``leg`` is 'transport' (deducted on the payslip), 'pay' (paid into the director's account)
    or 'none'."""
    case.add("person", id="boss", name="Jan Boer", name_key="boer jan")
    case.add("company", id="co", name="Co bv", name_key="co bv")
    case.add("company", id="sister", name="Sister bv", name_key="sister bv")
    case.add("directorship", id="d1", director="boss", organization="co")
    case.add("directorship", id="d2", director="boss", organization="sister")
    case.add("address", id="home", full="Dorpstraat 1", owner="sister")
    case.add("bank_account", id="boss-acc", iban=BOSS_IBAN, holder="boss")
    for k in range(workers):
        case.add("person", id=f"w{k}", name=f"worker {k}", name_key=f"worker {k}")
        case.add("employment", id=f"job{k}", employee=f"w{k}", employer="co")
        case.add("residence", id=f"res{k}", resident=f"w{k}", address="home")
        case.add(
            "wage_payment",
            id=f"slip{k}",
            employee=f"w{k}",
            employer="co",
            iban=BOSS_IBAN if leg == "pay" else f"NL{k:02d}INGB000000000{k}",
            deductionType=["busje naar het werk"] if leg == "transport" else ["loonheffing"],
            gross=1800,
        )


def test_net_employer_landlord_transport(case):
    _housed_crew(case, workers=4, leg="transport")
    hits = case.hits("net_employer_landlord_transport")
    assert set(hits) == {"co"}
    strength, value, evidence = hits["co"]
    assert value == (
        "4 of its workers live in homes of Sister bv (a firm sharing its director or owner) and "
        "have their transport in the same hands"
    )
    for row in ("d1", "d2"):
        assert {"tbl": "directorship", "id": row} in evidence
    assert {"tbl": "residence", "id": "res3"} in evidence
    assert {"tbl": "wage_payment", "id": "slip3"} in evidence
    assert strength == 0.6


def test_net_employer_landlord_transport_through_pay(case):
    _housed_crew(case, workers=3, leg="pay")  # exactly the threshold
    strength, value, evidence = case.hits("net_employer_landlord_transport")["co"]
    assert value.endswith("have their pay in the same hands")
    assert {"tbl": "bank_account", "id": "boss-acc"} in evidence
    assert strength == 0.5


def test_net_employer_landlord_transport_needs_a_third_leg_and_enough_workers(case):
    _housed_crew(case, workers=5, leg="none")  # home and job only
    assert case.hits("net_employer_landlord_transport") == {}
    other = case.__class__(case.ws.path.parent / "other")
    _housed_crew(other, workers=2, leg="transport")
    assert other.hits("net_employer_landlord_transport") == {}
