"""Network-stage indicators: risk passed along ties from subjects whose own records are risky."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date


def _risky_company(case, cid: str, workers: int = 3) -> None:
    """A company that pays several workers into one shared account (entity-stage hits)."""
    case.add("company", id=cid, name=f"{cid} bv", name_key=f"{cid} bv", registrationNumber=cid)
    for k in range(workers):
        pid = f"{cid}-w{k}"
        case.add("person", id=pid, name=pid, name_key=pid, taxNumber=pid, birthDate=D(1990, 1, 1))
        case.add(
            "wage_payment",
            id=f"{pid}-s",
            employee=pid,
            employer=cid,
            periodStart=D(2024, 3, 1),
            periodEnd=D(2024, 3, 31),
            gross=600,
            hoursPaid=160,
            iban="NL91ABNA0417164300",
            ibanHolder_key="boss",
        )


def test_co_linked_to_flagged_company(case):
    _risky_company(case, "bad")
    case.add("person", id="dir", name="jan boer", name_key="boer jan", birthDate=D(1970, 1, 1))
    case.add("directorship", id="d1", director="dir", organization="bad")
    # the successor shares the director; the neighbour shares only a busy letterbox address
    case.add("company", id="succ", name="succ", name_key="succ", registrationNumber="succ")
    case.add("directorship", id="d2", director="dir", organization="succ")
    # same person recorded again by another source, which resolution found to be him
    case.add("person", id="dir2", name="boer jan", name_key="boer jan", birthDate=D(1970, 1, 1))
    case.add("company", id="sister", name="sister", name_key="sister", registrationNumber="sis")
    case.add("directorship", id="d3", director="dir2", organization="sister")
    case.resolve("person", dir2="dir")
    # a namesake born on the same day but not resolved to him is someone else
    case.add("person", id="dir3", name="jan boer", name_key="boer jan", birthDate=D(1970, 1, 1))
    case.add("company", id="other", name="other", name_key="other", registrationNumber="oth")
    case.add("directorship", id="d5", director="dir3", organization="other")
    # another record of the risky company itself is not a tie to another firm
    case.add("company", id="bad-copy", name="bad", name_key="bad", registrationNumber="bad")
    case.add("directorship", id="d4", director="dir", organization="bad-copy")
    case.add("company", id="clean", name="clean", name_key="clean", registrationNumber="cl")
    hits = case.hits("co_linked_to_flagged_company")
    assert set(hits) == {"succ", "sister"}
    strength, value, evidence = hits["succ"]
    assert value.startswith("shares director boer jan with bad bv (own risk")  # first name
    assert {"tbl": "directorship", "id": "d2"} in evidence
    assert {"tbl": "directorship", "id": "d1"} in evidence
    assert 0 < strength <= 1


def test_co_linked_to_flagged_company_ignores_busy_addresses_and_weak_firms(case):
    _risky_company(case, "bad")
    for k in range(6):  # six firms at one letterbox: above max_firms_at_address (5)
        case.add(
            "company",
            id=f"lb{k}",
            name=f"lb{k}",
            name_key=f"lb{k}",
            registrationNumber=f"lb{k}",
            address="Postbus 1",
            address_key="postbus 1",
        )
    case.add(
        "company",
        id="bad2",
        name="bad2",
        name_key="bad2",
        registrationNumber="bad",
        address="Postbus 1",
        address_key="postbus 1",
    )
    # a firm sharing a phone with a company whose only hit is weak (one worker)
    _risky_company(case, "meh", workers=0)
    case.add(
        "company",
        id="pal",
        name="pal",
        name_key="pal",
        registrationNumber="pal",
        phone="+31612345678",
    )
    hits = case.hits("co_linked_to_flagged_company")
    assert hits == {}


def test_wk_employer_flagged(case):
    _risky_company(case, "bad")
    case.add("person", id="quiet", name="quiet", name_key="quiet")
    case.add("employment", id="e1", employee="quiet", employer="bad")
    case.add("person", id="elsewhere", name="else", name_key="else")
    case.add("company", id="ok", name="ok", name_key="ok")
    case.add("employment", id="e2", employee="elsewhere", employer="ok")
    hits = case.hits("wk_employer_flagged")
    assert "quiet" in hits and "elsewhere" not in hits
    assert hits["quiet"][1].startswith("works for bad bv (own risk")
    assert hits["quiet"][2] == [{"tbl": "employment", "id": "e1"}]
    assert {"bad-w0", "bad-w1", "bad-w2"} <= set(hits)


def test_tx_account_of_flagged_holder(case):
    _risky_company(case, "bad")
    case.add(
        "bank_account",
        id="acc-named",
        iban="NL02ABNA0123456789",
        holderName="BAD BV",
        holderName_key="bad bv",
    )
    case.add("bank_account", id="acc-held", iban="NL20INGB0001234567", holder="bad")
    # a name shared by two different registered companies is not a reliable link
    case.add("company", id="twin1", name="twin", name_key="twin", registrationNumber="t1")
    case.add("company", id="twin2", name="twin", name_key="twin", registrationNumber="t2")
    _risky_company(case, "twin1")
    case.add("bank_account", id="acc-twin", iban="NL39RABO0300065264", holderName_key="twin")
    hits = case.hits("tx_account_of_flagged_holder")
    assert set(hits) == {"acc-named", "acc-held"}
    assert (
        "NL02ABNA0123456789 is held by BAD BV (the only company or person of that name; own"
        in (hits["acc-named"][1])
    )


def test_co_workers_at_risk(case):
    _risky_company(case, "bad")  # three workers paid 3.75 €/h into one shared account
    case.add("company", id="one", name="one", name_key="one", registrationNumber="one")
    case.add(
        "person", id="solo", name="solo", name_key="solo", taxNumber="solo", birthDate=D(1990, 1, 1)
    )
    case.add(
        "wage_payment",
        id="solo-s",
        employee="solo",
        employer="one",
        periodStart=D(2024, 3, 1),
        periodEnd=D(2024, 3, 31),
        gross=600,
        hoursPaid=160,
        iban="NL91ABNA0417164300",
        ibanHolder_key="boss",
    )
    hits = case.hits("co_workers_at_risk")
    assert set(hits) == {"bad"}  # 'one' has a single worker at risk: below min_workers (2)
    strength, value, evidence = hits["bad"]
    assert value.startswith("3 of its workers show a high risk in their own records")
    assert {"tbl": "person", "id": "bad-w0"} in evidence and strength == pytest.approx(0.7)


def test_net_company_cluster(case):
    from invert.network import build

    def firm(cid: str, director: str, dissolved: dt.date | None = None) -> None:
        case.add(
            "company",
            id=cid,
            name=cid,
            name_key=cid,
            registrationNumber=cid,
            incorporationDate=D(2023, 1, 1),
            dissolutionDate=dissolved,
        )
        case.add("directorship", id=f"d-{cid}", director=director, organization=cid)

    for boss in ("boss1", "boss2", "boss3"):
        case.add("person", id=boss, name=boss, name_key=boss)
    # three firms of one director, one wound up after eight months: a cluster
    firm("a1", "boss1", D(2023, 9, 1))
    firm("a2", "boss1")
    firm("a3", "boss1")
    # two firms, one short-lived: too few firms to be a cluster
    firm("b1", "boss2", D(2023, 9, 1))
    firm("b2", "boss2")
    # three long-lived firms: a cluster without marks
    firm("c1", "boss3")
    firm("c2", "boss3")
    firm("c3", "boss3")
    assert case.hits("net_company_cluster") == {}  # no graph built yet: nothing, no error
    build(case.ws, resolution=0.05, hub_degree=50)
    hits = case.hits("net_company_cluster")
    assert set(hits) == {"a1", "a2", "a3"}
    strength, value, evidence = hits["a2"]
    assert strength == 0.5  # one marked firm of the two that make it certain
    assert value.startswith("one of 3 firms in graph community") and "co_short_lifespan" in value
    assert {"tbl": "company", "id": "a1"} in evidence


def _moved(case, prefix: str, origin: str, destination: str, gaps: list[int]) -> None:
    """Workers leaving ``origin`` on 31 March 2024 and starting at ``destination`` after the
    given numbers of days, one worker per gap."""
    left = D(2024, 3, 31)
    people, jobs = [], []
    for k, gap in enumerate(gaps):
        pid = f"{prefix}{k}"
        people.append({"id": pid, "name": pid, "name_key": pid})
        jobs.append(
            {
                "id": f"{pid}-old",
                "employee": pid,
                "employer": origin,
                "startDate": D(2023, 1, 1),
                "endDate": left,
            }
        )
        start = left + dt.timedelta(days=gap)
        jobs.append(
            {"id": f"{pid}-new", "employee": pid, "employer": destination, "startDate": start}
        )
    case.add_tables({"person": people, "employment": jobs})


def test_net_worker_flow_between_firms(case):
    firms = [
        {"id": cid, "name": f"{cid.capitalize()} bv", "registrationNumber": cid}
        for cid in ("oud", "nieuw", "b1", "b2", "c1", "c2")
    ]
    # two firms at a small address, six at a letterbox (above max_firms_at_address, 5)
    firms += [
        {
            "id": cid,
            "name": cid,
            "registrationNumber": cid,
            "address": "Kerkstraat 1",
            "address_key": "kerkstraat 1",
        }
        for cid in ("a1", "a2")
    ]
    firms += [
        {
            "id": f"lb{k}",
            "name": f"lb{k}",
            "registrationNumber": f"lb{k}",
            "address": "Postbus 1",
            "address_key": "postbus 1",
        }
        for k in range(6)
    ]
    case.add_tables(
        {
            "company": firms,
            "person": [
                {"id": "dir", "name": "jan boer", "name_key": "boer jan"},
                {"id": "dir2", "name": "piet smit", "name_key": "piet smit"},
            ],
            "directorship": [
                {"id": "d1", "director": "dir", "organization": "oud"},
                {"id": "d2", "director": "dir", "organization": "nieuw"},
                {"id": "d3", "director": "dir2", "organization": "b1"},
                {"id": "d4", "director": "dir2", "organization": "b2"},
            ],
        }
    )
    _moved(case, "w", "oud", "nieuw", [1, 2, 3, 4, 5, 6])
    _moved(case, "a", "a1", "a2", [30, -30, 0, 10, 20])  # five, the last ones at 30 days
    _moved(case, "b", "b1", "b2", [1, 2, 3, 4, 31])  # one starts too late: four moved
    _moved(case, "c", "c1", "c2", [1, 2, 3, 4, 5, 6])  # firms not related
    _moved(case, "l", "lb0", "lb1", [1, 2, 3, 4, 5, 6])  # related only by a letterbox
    hits = case.hits("net_worker_flow_between_firms")
    assert set(hits) == {"oud", "nieuw", "a1", "a2"}
    strength, value, evidence = hits["nieuw"]
    assert hits["oud"] == hits["nieuw"]  # both ends of one flow, told the same way
    assert value == (
        "6 workers moved from Oud bv to Nieuw bv, each starting within 30 days of leaving "
        "(2024-04-01 to 2024-04-06); the firms share director jan boer"
    )
    assert strength == pytest.approx(0.6)
    assert {(e["tbl"], e["id"]) for e in evidence} == {
        ("directorship", "d1"),
        ("directorship", "d2"),
        *{("employment", f"w{k}-{j}") for k in range(6) for j in ("old", "new")},
    }
    strength, value, evidence = hits["a1"]
    assert strength == pytest.approx(0.5)  # exactly min_workers
    assert value.startswith("5 workers moved from a1 to a2") and "address Kerkstraat 1" in value
    assert {"tbl": "company", "id": "a2"} in evidence


def test_net_buffer_company_position(case, tmp_path):
    names = {"main": "Main Contractor", "main2": "Second Client", "buf": "Buffer bv"}
    contracts = [  # (id, client, supplier, value)
        ("in1", "main", "buf", 140_000),
        ("in2", "main2", "buf", 100_000),
        ("out1", "buf", "s1", 100_000),
        ("out2", "buf", "s2", 80_000),
        ("out3", "buf", "s3", 50_000),
        # at the thresholds: passes on exactly 80% with exactly five staff
        ("e1", "main", "edge", 100_000),
        ("e2", "edge", "t1", 80_000),
        # six staff; passes on only half; passes on only after its own contract ended
        ("f1", "main", "staffed", 100_000),
        ("f2", "staffed", "u1", 90_000),
        ("g1", "main", "keeper", 100_000),
        ("g2", "keeper", "v1", 50_000),
        ("h1", "main", "late", 100_000),
    ]
    # most firms of a subcontract graph are plain client-supplier pairs
    contracts += [(f"p{k}", f"cl{k}", f"sp{k}", 10_000) for k in range(30)]
    rows = [
        {
            "id": cid,
            "client": client,
            "supplier": supplier,
            "value": value,
            "currency": "EUR",
            "site_key": "bouwplaats a",
            "startDate": D(2024, 1, 1),
            "endDate": D(2024, 12, 31),
        }
        for cid, client, supplier, value in contracts
    ]
    rows.append(
        {
            "id": "h2",
            "client": "late",
            "supplier": "x1",
            "value": 90_000,
            "currency": "EUR",
            "startDate": D(2026, 1, 1),
            "endDate": D(2026, 6, 30),
        }
    )
    firms = {r[k] for r in rows for k in ("client", "supplier")}
    staff = {"buf": 2, "edge": 5, "staffed": 6}
    jobs = [
        {
            "id": f"{cid}-job{k}",
            "employee": f"{cid}-w{k}",
            "employer": cid,
            "startDate": D(2023, 6, 1),
        }
        for cid, n in staff.items()
        for k in range(n)
    ]
    # a worker who left the buffer before its contracts began is not its staff; a payslip of
    # one of its two workers does not count him twice
    jobs.append(
        {
            "id": "gone",
            "employee": "gone-w",
            "employer": "buf",
            "startDate": D(2020, 1, 1),
            "endDate": D(2022, 12, 31),
        }
    )
    case.add_tables(
        {
            "company": [{"id": c, "name": names.get(c, c)} for c in sorted(firms)],
            "subcontract": rows,
            "employment": jobs,
            "wage_payment": [
                {
                    "id": "slip",
                    "employee": "buf-w0",
                    "employer": "buf",
                    "periodStart": D(2024, 3, 1),
                }
            ],
        }
    )
    hits = case.hits("net_buffer_company_position")
    assert set(hits) == {"buf", "edge"}
    strength, value, evidence = hits["buf"]
    assert value == (
        "takes 240,000 EUR of subcontracts from Main Contractor and 1 other client(s) and "
        "passes 230,000 EUR (96%) to 3 supplier(s), with 2 staff of its own"
    )
    assert strength == pytest.approx(0.8)
    assert {e["id"] for e in evidence} == {"in1", "in2", "out1", "out2", "out3"}
    assert hits["edge"][0] == pytest.approx(0.5)
    assert "passes 80,000 EUR (80%) to 1 supplier(s), with 5 staff" in hits["edge"][1]
    # Only the six paths through the buffer reach the 99th percentile of the graph's firms.
    config = tmp_path / "run.toml"
    config.write_text("[parameters.net_buffer_company_position]\npercentile = 0.99\n")
    assert set(case.hits("net_buffer_company_position", config)) == {"buf"}
    # co_deep_subcontracting flags the suppliers living off the buffer, not the buffer, whose
    # work comes from two clients
    deep = case.hits("co_deep_subcontracting")
    assert "buf" not in deep and {"s1", "s2", "s3"} <= set(deep)


def test_net_str_neighbourhood(case):
    from invert.network import build

    people = [("boss", "Jan Boer"), ("partner", "Piet Smit"), ("old", "Ola Old"), ("fr", "Fred")]
    firms = [
        ("near1", "Near bv"),  # directed by the holder of a reported account: one hop
        ("payee", "Payee bv"),  # paid by that account: two hops
        ("sister", "Sister bv"),  # directed by Near's other director: three hops
        ("own", "Own bv"),  # holds an account the report names: its own report
        ("oldco", "Old bv"),  # employs the holder of an account in a six-year-old report
        ("fraudco", "Fraud bv"),  # directed by the holder of an account in a fraud report
        ("utilityco", "Utility nv"),  # holds an account paid by 101 others: a hub
    ]
    accounts = [
        ("acc-boss", "NL01BOSS", "boss"),
        ("acc-own", "NL02OWN", "own"),
        ("acc-payee", "NL03PAYEE", "payee"),
        ("acc-old", "NL04OLD", "old"),
        ("acc-fr", "NL05FRAUD", "fr"),
        ("acc-utility", "NL06UTIL", "utilityco"),
    ]
    accounts += [(f"acc-c{k}", f"NL99C{k}", None) for k in range(100)]
    transactions = [
        ("tx1", "acc-boss", "acc-own", "r1", D(2026, 1, 10)),
        ("tx2", "acc-boss", "acc-payee", None, D(2025, 6, 1)),
        ("tx3", "acc-old", "acc-c0", "r0", D(2019, 12, 1)),
        ("tx4", "acc-fr", "acc-c1", "r2", D(2025, 11, 1)),
        ("tx5", "acc-boss", "acc-utility", None, D(2025, 6, 1)),
    ]
    transactions += [
        (f"tu{k}", f"acc-c{k}", "acc-utility", None, D(2025, 6, 1)) for k in range(100)
    ]
    case.add_tables(
        {
            "person": [{"id": p, "name": n, "name_key": n.lower()} for p, n in people],
            "company": [{"id": c, "name": n, "registrationNumber": c} for c, n in firms],
            "directorship": [
                {"id": "d1", "director": "boss", "organization": "near1"},
                {"id": "d2", "director": "partner", "organization": "near1"},
                {"id": "d3", "director": "partner", "organization": "sister"},
                {"id": "d4", "director": "boss", "organization": "own"},
                {"id": "d5", "director": "fr", "organization": "fraudco"},
            ],
            "employment": [{"id": "e1", "employee": "old", "employer": "oldco"}],
            "bank_account": [{"id": a, "iban": i, "holder": h} for a, i, h in accounts],
            "report": [
                {
                    "id": "r1",
                    "reportNumber": "2025-001",
                    "submissionDate": D(2026, 1, 15),
                    "reason": "Suspected labour exploitation of seasonal workers",
                },
                {
                    "id": "r0",
                    "reportNumber": "2019-004",
                    "submissionDate": D(2020, 1, 15),
                    "indicators": ["THB"],
                },
                {
                    "id": "r2",
                    "reportNumber": "2025-090",
                    "submissionDate": D(2025, 11, 20),
                    "reason": "VAT carousel fraud",
                },
            ],
            "transaction": [
                {
                    "id": t,
                    "payerAccount": a,
                    "beneficiaryAccount": b,
                    "report": r,
                    "date": d,
                    "amount": 500.0,
                }
                for t, a, b, r, d in transactions
            ],
        }
    )
    assert case.hits("net_str_neighbourhood") == {}  # no graph built yet: nothing, no error
    build(case.ws)
    hits = case.hits("net_str_neighbourhood")
    assert set(hits) == {"near1", "payee", "oldco"}
    strength, value, evidence = hits["near1"]
    assert value == (
        "1 trafficking-coded STR(s) within 1 hop(s), strongest: STR 2025-001 of 2026-01-15 "
        "names account NL01BOSS held by Jan Boer; Jan Boer directs Near bv"
    )
    assert strength == pytest.approx(0.5)  # one fresh report, one hop away
    assert {(e["tbl"], e["id"]) for e in evidence} == {
        ("report", "r1"),
        ("transaction", "tx1"),
        ("bank_account", "acc-boss"),
        ("person", "boss"),
        ("company", "near1"),
    }
    strength, value, _ = hits["payee"]
    assert value.endswith(
        "names account NL01BOSS; NL01BOSS paid NL03PAYEE; NL03PAYEE held by Payee bv"
    )
    assert strength == pytest.approx(0.25)  # two hops count half
    assert hits["oldco"][0] == pytest.approx(0.125, rel=1e-3)  # six years: halved twice


def test_net_buffer_company_position_from_payments(case):
    """Without contracts: a firm paid by a client passes 85% on to another firm as labour hire
    and has no staff. A firm buying goods, and one with its own staff, are not buffers."""
    firms = {
        "main": ("Bouw Peters BV", "bv bouw peters"),
        "sub": ("Schilders Vos BV", "bv schilders vos"),
        "shop": ("Handel BV", "bv handel"),
        "staffed": ("Bouw Groot BV", "bouw bv groot"),
    }
    case.add_tables(
        {
            "company": [
                {"id": c, "name": n, "name_key": k, "registrationNumber": c}
                for c, (n, k) in firms.items()
            ],
            "bank_account": [
                {"id": f"acc-{c}", "iban": f"NL0{i}", "holderName_key": k}
                for i, (c, (_n, k)) in enumerate(firms.items())
            ]
            + [{"id": "acc-client", "iban": "NL09", "holderName": "TUINDERIJ DE JONG"}],
            "employment": [
                {
                    "id": f"job{k}",
                    "employee": f"w{k}",
                    "employer": "staffed",
                    "startDate": D(2023, 1, 1),
                }
                for k in range(8)
            ],
        }
    )
    payments = []
    for m in range(1, 7):
        day = D(2024, m, 10)
        payments += [
            ("acc-client", "acc-main", 17_000, "FACTUUR 2024"),
            ("acc-main", "acc-sub", 14_500, "INHUUR PERSONEEL"),
            ("acc-client", "acc-shop", 17_000, "FACTUUR"),
            ("acc-shop", "acc-sub", 14_500, "LEVERING MATERIAAL"),
            ("acc-client", "acc-staffed", 17_000, "FACTUUR"),
            ("acc-staffed", "acc-sub", 14_500, "INHUUR PERSONEEL"),
        ]
        case.add_rows(
            "transaction",
            [
                {
                    "id": f"t{m}-{k}",
                    "payerAccount": p,
                    "beneficiaryAccount": b,
                    "date": day,
                    "amount": a,
                    "purpose": text,
                    "currency": "EUR",
                }
                for k, (p, b, a, text) in enumerate(payments[-6:])
            ],
        )
    hits = case.hits("net_buffer_company_position")
    assert set(hits) == {"main"}
    strength, value, evidence = hits["main"]
    assert value == (
        "takes 102,000 EUR in payments from TUINDERIJ DE JONG and passes 87,000 EUR (85%) to 1 "
        "supplier(s), with 0 staff of its own"
    )
    assert strength == pytest.approx(1.0)
    assert {e["id"] for e in evidence} == {f"t{m}-{k}" for m in range(1, 7) for k in (0, 1)}


def test_co_phoenix_predecessor(case):
    """A firm closed while a risky firm with its director and phone opened flags the closed
    one; a successor with no risk of its own, one set up a year later, and one sharing only a
    busy address do not."""
    _risky_company(case, "succ")  # the successor pays three workers into one shared account
    case.add("company", id="succ", incorporationDate=D(2020, 9, 18), phone="+31657136832")
    case.add("person", id="dir", name="NÉMETH, Judit", name_key="judit nemeth")
    firms = [  # (id, closed, shares director, phone, address)
        ("old", D(2020, 10, 27), True, "+31657136832", "stationsweg 1"),
        ("late", D(2019, 6, 1), True, None, None),  # successor set up 15 months after
        ("busy", D(2020, 10, 1), False, None, "keizersgracht 100"),
        ("calm", D(2020, 10, 27), False, "+31600000000", None),
    ]
    for cid, closed, director, phone, address in firms:
        case.add(
            "company",
            id=cid,
            name=f"{cid} bv",
            name_key=f"{cid} bv",
            registrationNumber=cid,
            incorporationDate=D(2019, 5, 9),
            dissolutionDate=closed,
            phone=phone,
            address_key=address,
        )
        if director:
            case.add("directorship", id=f"d-{cid}", director="dir", organization=cid)
    case.add("directorship", id="d-succ", director="dir", organization="succ")
    # a formation agent's address: the successor and six more firms are registered there
    for k in range(6):
        case.add(
            "company",
            id=f"agent{k}",
            name=f"a{k}",
            registrationNumber=f"a{k}",
            address_key="keizersgracht 100",
        )
    case.add("company", id="succ", address_key="keizersgracht 100")
    # a successor of "calm" with no risk of its own
    case.add(
        "company",
        id="quiet",
        name="quiet bv",
        registrationNumber="quiet",
        incorporationDate=D(2020, 10, 1),
        phone="+31600000000",
    )
    hits = case.hits("co_phoenix_predecessor")
    assert set(hits) == {"old"}
    strength, value, evidence = hits["old"]
    assert strength == pytest.approx(0.75)  # two kinds of identifier shared
    assert value.startswith(
        "closed on 2020-10-27, 17 months after it was set up; succ bv, set up on 2020-09-18, "
        "shares its director NÉMETH, Judit, phone +31657136832 and has a risk of its own"
    )
    assert {"tbl": "company", "id": "old"} in evidence
    assert {"tbl": "directorship", "id": "d-succ"} in evidence
