"""Planted exploitation networks and their legitimate look-alikes.

A network is planned here (a handful of rows per network, drawn from the seed), then made of
the same stuff as the ordinary world: people, companies, dwellings, employment and pay rules
before payroll is computed (``plant``), and money flows after (``plant_money``). Every planted
row carries its network id, which is how the ground truth is written and how nothing else is.

The schemes and why they look the way they do are described in docs/simulator.md.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from invert.simulate.config import Settings
from invert.simulate.population import add_addresses, add_people, next_number
from invert.simulate.register import add_companies

SCHEMES = (
    "wage_confiscation",
    "shared_account",
    "employer_housing",
    "debt_bondage",
    "underpayment",
    "excessive_hours",
    "phoenix",
    "subcontracting_chain",
    "straw_directors",
    "child_labour",
    "recruitment_ads",
)
# Network templates: the sector a network operates in, the schemes it always runs and the
# ones it may add. Real cases combine schemes this way (see docs/simulator.md).
TEMPLATES = {
    "gangmaster_agency": (
        "N78.20",
        ["employer_housing", "wage_confiscation", "debt_bondage", "recruitment_ads"],
        ["shared_account", "underpayment", "excessive_hours", "phoenix", "straw_directors"],
    ),
    "phoenix_cleaning": (
        "N81.21",
        ["phoenix", "underpayment", "straw_directors"],
        ["excessive_hours", "shared_account", "employer_housing", "recruitment_ads"],
    ),
    "construction_chain": (
        "F43.39",
        ["subcontracting_chain", "straw_directors", "underpayment"],
        ["wage_confiscation", "employer_housing", "excessive_hours"],
    ),
    "family_farm_gang": (
        "A01.13",
        ["child_labour", "employer_housing", "underpayment"],
        ["excessive_hours", "shared_account", "recruitment_ads"],
    ),
    "nail_bar_chain": (
        "S96.02",
        ["excessive_hours", "employer_housing", "shared_account"],
        ["recruitment_ads", "underpayment", "debt_bondage"],
    ),
    "car_wash_chain": (
        "G45.20",
        ["excessive_hours", "underpayment", "wage_confiscation"],
        ["employer_housing", "shared_account", "recruitment_ads"],
    ),
}
VICTIM_NATIONALITIES = ["RO", "BG", "PL", "HU", "UA", "LT"]
LOOK_ALIKES = (
    "seasonal_farm_housing",
    "payroll_card_provider",
    "family_shared_account",
    "formation_agent_address",
)


@dataclass
class Network:
    id: str
    template: str
    nace: str
    schemes: list[str]
    n_companies: int
    n_victims: int
    nats: list[str]
    params: dict[str, float] = field(default_factory=dict)


def plan_networks(s: Settings) -> list[Network]:
    """Draw the networks of a run: how many, which schemes, sizes and parameters."""
    rnd = random.Random(f"{s.seed}:networks")
    plan = s.plan
    n = max(
        plan["min_networks"],
        round(s.count("companies") * plan["networks_per_1000_companies"] / 1000),
    )
    optional_p = 0.6 if s.profile == "organised" else 0.35
    networks = []
    templates = sorted(TEMPLATES)
    for k in range(n):
        template = templates[k % len(templates)] if k < len(templates) else rnd.choice(templates)
        nace, always, maybe = TEMPLATES[template]
        schemes = list(always) + [x for x in maybe if rnd.random() < optional_p]
        networks.append(
            Network(
                id=f"N{k + 1:03d}",
                template=template,
                nace=nace,
                schemes=schemes,
                n_companies=rnd.randint(*plan["companies"]),
                n_victims=rnd.randint(*plan["victims"]),
                nats=rnd.sample(VICTIM_NATIONALITIES, 2 if rnd.random() < 0.3 else 1),
            )
        )
    # Every scheme is present at least once, in a network of a template that can carry it.
    for scheme in SCHEMES:
        if not any(scheme in nw.schemes for nw in networks):
            fits = [nw for nw in networks if scheme in TEMPLATES[nw.template][2]] or networks
            rnd.choice(fits).schemes.append(scheme)
    for nw in networks:
        if {"phoenix", "subcontracting_chain"} & set(nw.schemes):
            nw.n_companies = max(nw.n_companies, 2)
        nw.params = {
            # effective pay as a share of the legal minimum
            "rate_factor": round(rnd.uniform(0.55, 0.85), 2)
            if "underpayment" in nw.schemes
            else 1.0,
            # unpaid hours on top of the contract, per week
            "extra_hours": float(rnd.randint(14, 30)) if "excessive_hours" in nw.schemes else 0.0,
            "housing_deduction": float(rnd.randrange(380, 620, 10))
            if "employer_housing" in nw.schemes
            else 0.0,
            "fee": float(rnd.randrange(120, 320, 10)) if "debt_bondage" in nw.schemes else 0.0,
            "confiscated_share": round(rnd.uniform(0.6, 0.9), 2)
            if "wage_confiscation" in nw.schemes
            else 0.0,
            "child_share": round(rnd.uniform(0.2, 0.4), 2) if "child_labour" in nw.schemes else 0.0,
            "per_room": float(rnd.randint(3, 5)),
            "cash_pay": 1.0 if "subcontracting_chain" in nw.schemes and rnd.random() < 0.5 else 0.0,
        }
    return networks


def _table(rows: list[dict], columns: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({c: pa.array([r.get(c) for r in rows], t) for c, t in columns.items()})


def plant(con: duckdb.DuckDBPyConnection, s: Settings) -> list[Network]:
    """Create the networks' people, firms, homes, jobs and pay rules (before payroll)."""
    networks = plan_networks(s)
    rnd = random.Random(f"{s.seed}:plant")
    person_no = next_number(con, "person")
    company_no = next_number(con, "company")
    address_no = next_number(con, "address")
    people: list[dict] = []
    companies: list[dict] = []
    addresses: list[dict] = []
    officers: list[dict] = []
    jobs: list[dict] = []
    rules: list[dict] = []
    roles: list[dict] = []  # person -> network role, for the ground truth

    def person(role: str, nat: str, age: float, home: str | None, nw: Network) -> str:
        nonlocal person_no
        pid = f"P{person_no:08d}"
        people.append(
            {
                "i": person_no,
                "role": "worker" if role == "victim" else role,
                "nat": nat,
                "age": age,
                "address_id": home,
                "network": nw.id,
            }
        )
        roles.append({"person_id": pid, "network": nw.id, "role": role})
        person_no += 1
        return pid

    def address(kind: str, rooms: int | None, owner: str | None, nw: Network) -> str:
        nonlocal address_no
        aid = f"A{address_no:08d}"
        addresses.append(
            {"i": address_no, "kind": kind, "rooms": rooms, "owner_id": owner, "network": nw.id}
        )
        address_no += 1
        return aid

    for nw in networks:
        p = nw.params
        boss_nat = nw.nats[0] if rnd.random() < 0.7 else "NL"
        controller = person("controller", boss_nat, rnd.uniform(32, 58), None, nw)
        homes = [
            address("home", rnd.randint(2, 3), controller, nw)
            for _ in range(max(1, round(nw.n_victims / (p["per_room"] * 2.5))))
        ]
        recruiter = None
        if {"recruitment_ads", "debt_bondage"} & set(nw.schemes):
            recruiter = person("recruiter", nw.nats[0], rnd.uniform(25, 50), None, nw)
        directors = [controller]
        if "straw_directors" in nw.schemes:
            directors = [
                person(
                    "straw_director",
                    rnd.choice(nw.nats),
                    rnd.uniform(19, 26),
                    rnd.choice(homes),
                    nw,
                )
                for _ in range(max(1, nw.n_companies // 2))
            ]
        office = address("office", None, None, nw)
        phone_owner = controller
        # Firms: a succession (phoenix) or a chain (contractor over short-lived subcontractors).
        firms = []
        start = rnd.uniform(2019.0, 2023.0)
        for k in range(nw.n_companies):
            cid = f"C{company_no:07d}"
            chained = "phoenix" in nw.schemes or ("subcontracting_chain" in nw.schemes and k > 0)
            if chained and k > 0 and firms[-1]["dissolved_year"] < 2025:
                founded = firms[-1]["dissolved_year"] - rnd.uniform(0.02, 0.15)
            elif chained and k > 0:  # the first subcontractor under a lasting contractor
                founded = rnd.uniform(2023.0, 2023.6)
            else:
                founded = start + rnd.uniform(0, 0.5)
            life = rnd.uniform(0.6, 1.6) if chained else None
            last = k == nw.n_companies - 1
            dissolved = founded + life if life and not last else None
            if chained and not last:  # keep the chain inside the simulated year
                dissolved = min(dissolved or 2024.9, 2024.0 + (k + 1) * 0.9 / nw.n_companies)
                founded = min(founded, dissolved - 0.3)
            nace = "F43.39" if "subcontracting_chain" in nw.schemes and k > 0 else nw.nace
            if "subcontracting_chain" in nw.schemes and k == 0:
                nace = "F41.20"
            companies.append(
                {
                    "i": company_no,
                    "nace": nace,
                    "founded": _date(founded),
                    "dissolved": _date(dissolved) if dissolved else None,
                    "address_id": office,
                    "phone": phone_owner,
                    "network": nw.id,
                }
            )
            firms.append(
                {"id": cid, "founded_year": founded, "dissolved_year": dissolved or 2025.0}
            )
            director = directors[k % len(directors)]
            officers.append(
                {
                    "company_id": cid,
                    "person_id": director,
                    "role": "bestuurder",
                    "start": _date(founded),
                    "end": _date(dissolved) if dissolved else None,
                    "network": nw.id,
                }
            )
            if director != controller and rnd.random() < 0.5:
                officers.append(
                    {
                        "company_id": cid,
                        "person_id": controller,
                        "role": "gevolmachtigde",
                        "start": _date(founded),
                        "end": _date(dissolved) if dissolved else None,
                        "network": nw.id,
                    }
                )
            company_no += 1
        # Employers of the victims: in a chain the subcontractors, otherwise every firm in turn.
        employers = firms[1:] if "subcontracting_chain" in nw.schemes else firms
        collectors: list[str] = []
        if "shared_account" in nw.schemes:
            holders = [d for d in directors if d != controller] or [controller]
            collectors = holders[: max(1, nw.n_victims // 8)]
        for v in range(nw.n_victims):
            child = rnd.random() < p["child_share"]
            age = rnd.uniform(13.2, 15.9) if child else rnd.uniform(19, 48)
            home = homes[v % len(homes)]
            vid = person("victim", rnd.choice(nw.nats), age, home, nw)
            if rnd.random() < 0.25:  # undocumented: no citizen number anywhere
                people[-1]["no_bsn"] = True
            for firm in employers if "phoenix" in nw.schemes else [employers[v % len(employers)]]:
                begin = max(firm["founded_year"] + 0.05, 2023.5 + rnd.uniform(0, 0.4))
                end = firm["dissolved_year"]
                if begin >= min(end, 2024.99):
                    continue
                jobs.append(
                    {
                        "person_id": vid,
                        "company_id": firm["id"],
                        "start": _date(begin),
                        "end": _date(end) if end < 2025 else None,
                        "network": nw.id,
                        "hours": 38.0 if not child else float(rnd.choice([30, 38, 40])),
                        "contract_type": rnd.choice(["uitzend", "oproep", "bepaalde tijd"]),
                    }
                )
            pay_to = None
            if collectors and rnd.random() < 0.8:
                pay_to = collectors[v % len(collectors)]
            elif p["confiscated_share"] and rnd.random() < 0.35:
                pay_to = controller  # wages paid straight into the controller's account
            deductions = []
            amount = 0.0
            if p["housing_deduction"]:
                deductions.append("huisvesting")
                amount += p["housing_deduction"]
            if p["fee"]:
                deductions.append("voorschot reiskosten")
                amount += p["fee"]
            rules.append(
                {
                    "person_id": vid,
                    "rate_factor": p["rate_factor"],
                    "extra_hours": p["extra_hours"]
                    + (rnd.randint(0, 6) if p["extra_hours"] else 0),
                    "deduction_type": "|".join(deductions) or None,
                    "deduction": amount,
                    "pay_to": pay_to,
                    "cash": bool(p["cash_pay"]) and rnd.random() < 0.6,
                }
            )
        nw.params["controller"] = controller  # type: ignore[assignment]
        nw.params["recruiter"] = recruiter  # type: ignore[assignment]
    _insert(con, people, companies, addresses, officers, jobs, rules, roles)
    con.register(
        "nw_networks",
        pa.table(
            {
                "network": [nw.id for nw in networks],
                "template": [nw.template for nw in networks],
                "schemes": [nw.schemes for nw in networks],
                **{
                    k: [nw.params.get(k) for nw in networks]
                    for k in (
                        "rate_factor",
                        "extra_hours",
                        "housing_deduction",
                        "fee",
                        "confiscated_share",
                        "child_share",
                        "controller",
                        "recruiter",
                    )
                },
            }
        ),
    )
    con.execute("CREATE OR REPLACE TABLE network AS SELECT * FROM nw_networks")
    con.unregister("nw_networks")
    con.execute("""
        -- The recruiter registered half of the workers he brought in with his own number as
        -- their contact: many workers behind one phone [STAFFLINE] [ST-TOG]; it is also the
        -- number in his ads. (The share is ours.)
        UPDATE person SET phone = rp.phone
        FROM network_role v JOIN network n ON n.network = v.network
             JOIN person rp ON rp.id = n.recruiter
        WHERE person.id = v.person_id AND v.role = 'victim' AND rp.phone IS NOT NULL
          AND list_contains(n.schemes, 'recruitment_ads')
          AND u(person.id, 'recruiter-phone') < 0.5""")
    return networks


def _date(year: float) -> str:
    import datetime as dt

    start = dt.date(int(year), 1, 1)
    return (start + dt.timedelta(days=int((year - int(year)) * 365))).isoformat()


def _insert(con, people, companies, addresses, officers, jobs, rules, roles) -> None:  # type: ignore[no-untyped-def]
    con.register(
        "nw_addresses",
        _table(
            addresses,
            {
                "i": pa.int64(),
                "kind": pa.string(),
                "rooms": pa.int32(),
                "owner_id": pa.string(),
                "network": pa.string(),
            },
        ),
    )
    add_addresses(con, "SELECT * FROM nw_addresses")
    con.register(
        "nw_people",
        _table(
            people,
            {
                "i": pa.int64(),
                "role": pa.string(),
                "nat": pa.string(),
                "age": pa.float64(),
                "address_id": pa.string(),
                "network": pa.string(),
                "no_bsn": pa.bool_(),
            },
        ),
    )
    add_people(con, "SELECT i, role, nat, age, address_id, network FROM nw_people")
    con.execute("""UPDATE person SET bsn = NULL WHERE id IN (
        SELECT 'P' || lpad(i::VARCHAR, 8, '0') FROM nw_people WHERE no_bsn)""")
    con.register(
        "nw_companies",
        _table(
            companies,
            {
                "i": pa.int64(),
                "nace": pa.string(),
                "founded": pa.string(),
                "dissolved": pa.string(),
                "address_id": pa.string(),
                "phone": pa.string(),
                "network": pa.string(),
            },
        ),
    )
    # Network firms share the controller's phone number.
    add_companies(
        con,
        """SELECT c.i, c.nace, c.founded::DATE AS founded,
                                 c.dissolved::DATE AS dissolved, c.address_id, p.phone, c.network
                          FROM nw_companies c LEFT JOIN person p ON p.id = c.phone""",
    )
    con.register(
        "nw_officers",
        _table(
            officers,
            {
                "company_id": pa.string(),
                "person_id": pa.string(),
                "role": pa.string(),
                "start": pa.string(),
                "end": pa.string(),
                "network": pa.string(),
            },
        ),
    )
    con.execute("""INSERT INTO officer SELECT company_id, person_id, role, start::DATE,
                   "end"::DATE, network FROM nw_officers""")
    _jobs_and_rules(con, jobs, rules)
    con.register(
        "nw_roles",
        _table(roles, {"person_id": pa.string(), "network": pa.string(), "role": pa.string()}),
    )
    con.execute("CREATE OR REPLACE TABLE network_role AS SELECT * FROM nw_roles")
    for name in ("nw_addresses", "nw_people", "nw_companies", "nw_officers", "nw_roles"):
        con.unregister(name)


def plant_money(con: duckdb.DuckDBPyConnection) -> None:
    """The networks' money: forwarded and withdrawn wages, fees, rent, invoices passed up a
    chain, and profits sent abroad (after payroll and the ordinary transactions)."""
    # Controllers keep an account in their home country, where profits go.
    con.execute("""
        INSERT INTO account
        SELECT iban(p.nat, iban_digits(p.nat), pick(p.id, 'cbank', n.banks),
                    iban_digits(pick(p.id, 'cbank', n.banks)),
                    lpad(perm(10000000 + substr(p.id, 2)::BIGINT, 'acct', 9999999967)::VARCHAR,
                         n.account_digits::INT, '7')),
               'X' || substr(p.id, 2), 'person-abroad', pick(p.id, 'cbank', n.banks), p.nat,
               DATE '2019-01-01', w.network
        FROM network w JOIN person p ON p.id = w.controller JOIN nat n ON n.nat = p.nat
        WHERE p.nat <> 'NL'
    """)
    con.execute("""
        INSERT INTO txn
        -- Wages forwarded to the controller or taken out in cash within two days.
        SELECT 'S' || t.id, t.date + CAST(randint(t.id, 'lag', 0, 2) AS INT), t.payee_iban,
               CASE WHEN u(t.id, 'how') < 0.5 THEN ca.iban END,
               round(t.amount * w.confiscated_share, 2),
               CASE WHEN u(t.id, 'how') < 0.5 THEN 'OVERBOEKING' ELSE 'GELDAUTOMAAT' END,
               CASE WHEN u(t.id, 'how') < 0.5 THEN 'wire' ELSE 'atm' END, 'confiscation',
               w.network
        FROM txn t JOIN payslip p ON 'W' || p.id = t.id
        JOIN pay_rule r ON r.person_id = p.person_id
        JOIN network w ON w.network = p.network
        JOIN account ca ON ca.holder_id = w.controller
        WHERE t.kind = 'wage' AND w.confiscated_share > 0 AND r.pay_to IS NULL
        UNION ALL
        -- Collector accounts: the pooled wages are withdrawn and passed on.
        SELECT 'Q' || t.id, t.date + 1, t.payee_iban,
               CASE WHEN u(t.id, 'how') < 0.4 THEN ca.iban END,
               round(t.amount * (0.7 + 0.2 * u(t.id, 'share')), 2),
               CASE WHEN u(t.id, 'how') < 0.4 THEN 'DOORBOEKING' ELSE 'GELDAUTOMAAT' END,
               CASE WHEN u(t.id, 'how') < 0.4 THEN 'wire' ELSE 'atm' END, 'pooling', w.network
        FROM txn t JOIN payslip p ON 'W' || p.id = t.id
        JOIN pay_rule r ON r.person_id = p.person_id
        JOIN network w ON w.network = p.network
        JOIN account ca ON ca.holder_id = w.controller
        WHERE t.kind = 'wage' AND r.pay_to IS NOT NULL AND r.pay_to <> w.controller
        UNION ALL
        -- Debt repayments to the recruiter, on top of the deductions.
        SELECT 'R' || p.id, p.pay_date + 2, va.iban, ra.iban, w.fee,
               'AFLOSSING ' || upper(strftime(p.period_start, '%b')), 'wire', 'fee', w.network
        FROM payslip p JOIN network w ON w.network = p.network
        JOIN account va ON va.holder_id = p.person_id
        JOIN account ra ON ra.holder_id = w.recruiter
        WHERE w.fee > 0 AND u(p.id, 'repays') < 0.5
        UNION ALL
        -- Rent for the crowded homes: the employer pays the controller what it deducted.
        SELECT 'L' || p.company_id || strftime(p.period_start, '%Y%m'), max(p.pay_date) + 3,
               any_value(fa.iban), any_value(ca.iban), round(sum_cents(p.deductions) * 0.9, 2),
               'HUUR WONINGEN ' || strftime(p.period_start, '%m-%Y'), 'wire', 'rent',
               any_value(w.network)
        FROM payslip p JOIN network w ON w.network = p.network
        JOIN account fa ON fa.holder_id = p.company_id
        JOIN account ca ON ca.holder_id = w.controller
        WHERE w.housing_deduction > 0
        GROUP BY p.company_id, p.period_start
        UNION ALL
        -- Profits home: the controller sends money abroad every month.
        SELECT 'X' || w.network || m, (DATE '2024-01-20' + INTERVAL (m) MONTH)::DATE, ca.iban,
               xa.iban, round(1500 + 150 * (SELECT count(*) FROM network_role r
                                            WHERE r.network = w.network) * u(w.network || m, 'x'),
                              2),
               'FAMILIE', 'wire', 'profit', w.network
        FROM network w JOIN account ca ON ca.holder_id = w.controller
        JOIN account xa ON xa.holder_id = 'X' || substr(w.controller, 2), range(12) t(m)
    """)
    _chain_money(con)


def _chain_money(con: duckdb.DuckDBPyConnection) -> None:
    """Subcontracting chains: a client pays the contractor, the contractor pays whichever
    subcontractor is alive that month, and the subcontractor's money leaves in cash."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE chain AS
        WITH firms AS (
            SELECT c.id, c.network, c.founded, c.dissolved,
                   row_number() OVER (PARTITION BY c.network ORDER BY c.id) - 1 AS k
            FROM company c JOIN network w ON w.network = c.network
            WHERE list_contains(w.schemes, 'subcontracting_chain')),
        clients AS (
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n
            FROM company WHERE network IS NULL AND nace IN ('F41.20', 'A01.13', 'H52.10')
              AND dissolved IS NULL)
        SELECT f.network, top.id AS contractor, f.id AS sub, f.founded, f.dissolved,
               (SELECT id FROM clients WHERE clients.k = hash(f.network) % clients.n) AS client
        FROM firms f JOIN firms top ON top.network = f.network AND top.k = 0
        WHERE f.k > 0
    """)
    con.execute("""
        INSERT INTO txn
        WITH monthly AS (
            SELECT c.network, c.contractor, c.sub, c.client,
                   date_trunc('month', p.period_start)::DATE AS m, sum_cents(p.gross) AS gross
            FROM chain c JOIN payslip p ON p.company_id = c.sub
            GROUP BY ALL)
        SELECT 'Y1' || sub || strftime(m, '%Y%m'), (m + INTERVAL 1 MONTH + INTERVAL 9 DAY)::DATE,
               cl.iban, co.iban, round(gross * 1.7, 2),
               'FACTUUR ' || strftime(m, '%Y%m') || '-' || right(contractor, 3), 'wire',
               'chain', monthly.network
        FROM monthly JOIN account cl ON cl.holder_id = client
        JOIN account co ON co.holder_id = contractor
        UNION ALL
        SELECT 'Y2' || sub || strftime(m, '%Y%m'), (m + INTERVAL 1 MONTH + INTERVAL 11 DAY)::DATE,
               co.iban, su.iban, round(gross * 1.45, 2),
               'INHUUR PERSONEEL ' || strftime(m, '%m-%Y'), 'wire', 'chain', monthly.network
        FROM monthly JOIN account co ON co.holder_id = contractor
        JOIN account su ON su.holder_id = sub
        UNION ALL
        SELECT 'Y3' || sub || strftime(m, '%Y%m'), (m + INTERVAL 1 MONTH + INTERVAL 12 DAY)::DATE,
               su.iban, NULL, round(gross * 0.5, 2), 'GELDAUTOMAAT', 'atm', 'chain',
               monthly.network
        FROM monthly JOIN account su ON su.holder_id = sub
    """)


def plant_look_alikes(con: duckdb.DuckDBPyConnection, s: Settings) -> None:
    """Legitimate situations that trip single indicators: seasonal farms with lawful housing, a
    payroll-card provider pooling wages, families sharing an account, and a formation agent's
    address with many firms. Their new rows carry a look-alike id starting with 'L'."""
    rnd = random.Random(f"{s.seed}:look-alikes")
    per_kind = max(1, round(s.count("companies") * s.look_alikes_per_1000 / 1000 / 4))
    numbers = {t: next_number(con, t) for t in ("person", "address", "company")}
    farms = [
        r[0]
        for r in con.execute(
            "SELECT id FROM company WHERE network IS NULL AND nace LIKE 'A01%' "
            "AND dissolved IS NULL "
            "ORDER BY id"
        ).fetchall()
    ]
    agencies = [
        r[0]
        for r in con.execute(
            "SELECT id FROM company WHERE network IS NULL AND nace = 'N78.20' "
            "AND dissolved IS NULL "
            "ORDER BY (SELECT count(*) FROM employment e WHERE e.company_id = company.id) DESC, "
            "id LIMIT 1"
        ).fetchall()
    ]
    people: list[dict] = []
    addresses: list[dict] = []
    jobs: list[dict] = []
    rules: list[dict] = []
    members: list[dict] = []  # entity, kind and look-alike id, for the ground truth

    def new(table: str) -> int:
        numbers[table] += 1
        return numbers[table] - 1

    def member(entity_id: str, entity: str, lid: str, kind: str) -> None:
        members.append({"entity_id": entity_id, "entity": entity, "look_alike": lid, "kind": kind})

    def worker(nat: str, age: float, home: str, lid: str, kind: str) -> str:
        i = new("person")
        people.append(
            {"i": i, "role": "worker", "nat": nat, "age": age, "address_id": home, "network": lid}
        )
        member(f"P{i:08d}", "person", lid, kind)
        return f"P{i:08d}"

    def job(
        pid: str,
        employer: str,
        start: str,
        end: str | None,
        lid: str,
        ctype: str,
        deduction: tuple[str, float] | None = None,
        pay_to: str | None = None,
    ) -> None:
        jobs.append(
            {
                "person_id": pid,
                "company_id": employer,
                "start": start,
                "end": end,
                "network": lid,
                "hours": 38.0,
                "contract_type": ctype,
            }
        )
        rules.append(
            {
                "person_id": pid,
                "rate_factor": 1.05,
                "extra_hours": 0.0,
                "deduction_type": deduction[0] if deduction else None,
                "deduction": deduction[1] if deduction else 0.0,
                "pay_to": pay_to,
                "cash": False,
            }
        )

    lid_no = 0

    def next_lid() -> str:
        nonlocal lid_no
        lid_no += 1
        return f"L{lid_no:03d}"

    # Seasonal farms housing their pickers lawfully: enough rooms, a deduction within the law.
    for farm in rnd.sample(farms, min(per_kind, len(farms))):
        lid, n = next_lid(), rnd.randint(10, 24)
        home = f"A{new('address'):08d}"
        addresses.append(
            {
                "i": int(home[1:]),
                "kind": "home",
                "rooms": n // 2 + 1,
                "owner_id": farm,
                "network": lid,
            }
        )
        member(farm, "company", lid, "seasonal_farm_housing")
        nat = rnd.choice(VICTIM_NATIONALITIES)
        for _ in range(n):
            pid = worker(nat, rnd.uniform(19, 50), home, lid, "seasonal_farm_housing")
            job(
                pid,
                farm,
                "2024-03-04",
                "2024-10-31",
                lid,
                "seizoen",
                ("huisvesting", float(rnd.randrange(240, 330, 10))),
            )
    # A payroll-card provider receives an agency's wages and pays each worker out next day.
    if agencies:
        lid = next_lid()
        provider = f"C{new('company'):07d}"
        add_companies(
            con,
            f"""SELECT {int(provider[1:])} AS i, 'K66.19' AS nace,
            DATE '2016-05-01' AS founded, CAST(NULL AS DATE) AS dissolved,
            (SELECT min(id) FROM address WHERE kind = 'office') AS address_id,
            CAST(NULL AS VARCHAR) AS phone, '{lid}' AS network""",
        )
        member(provider, "company", lid, "payroll_card_provider")
        member(agencies[0], "company", lid, "payroll_card_provider")
        con.execute(f"""
            INSERT INTO pay_rule
            SELECT person_id, 1.0, 0.0, NULL, 0.0, '{provider}', false FROM employment
            WHERE company_id = '{agencies[0]}' AND u(person_id, 'card') < 0.5
            ON CONFLICT DO NOTHING""")
    # Families sharing one account: relatives at one address, wages into the parent's account.
    for _ in range(per_kind):
        lid = next_lid()
        home = f"A{new('address'):08d}"
        addresses.append(
            {"i": int(home[1:]), "kind": "home", "rooms": 3, "owner_id": None, "network": lid}
        )
        nat, employer = rnd.choice(VICTIM_NATIONALITIES), rnd.choice(farms or agencies)
        parent = worker(nat, rnd.uniform(38, 55), home, lid, "family_shared_account")
        job(parent, employer, "2023-04-01", None, lid, "onbepaalde tijd")
        for _ in range(rnd.randint(1, 2)):
            child = worker(nat, rnd.uniform(19, 25), home, lid, "family_shared_account")
            job(child, employer, "2023-04-01", None, lid, "onbepaalde tijd", pay_to=parent)
            people[-1]["surname_of"] = parent
    # A formation agent's address where dozens of unrelated firms are registered.
    lid = next_lid()
    agent = con.execute(
        "SELECT min(id) FROM address WHERE kind = 'office' AND network IS NULL"
    ).fetchone()[0]
    registered = [
        r[0]
        for r in con.execute(f"""
        SELECT id FROM company WHERE network IS NULL
        ORDER BY hash(id, {s.seed}) LIMIT {rnd.randint(15, 40)}""").fetchall()
    ]
    con.execute(
        f"UPDATE company SET address_id = '{agent}' WHERE id IN (SELECT unnest(?::VARCHAR[]))",
        [registered],
    )
    member(agent, "address", lid, "formation_agent_address")
    for firm in registered:
        member(firm, "company", lid, "formation_agent_address")
    _insert_look_alikes(con, people, addresses, jobs, rules, members)


def _insert_look_alikes(con, people, addresses, jobs, rules, members) -> None:  # type: ignore[no-untyped-def]
    con.register(
        "la_addresses",
        _table(
            addresses,
            {
                "i": pa.int64(),
                "kind": pa.string(),
                "rooms": pa.int32(),
                "owner_id": pa.string(),
                "network": pa.string(),
            },
        ),
    )
    add_addresses(con, "SELECT * FROM la_addresses")
    con.register(
        "la_people",
        _table(
            people,
            {
                "i": pa.int64(),
                "role": pa.string(),
                "nat": pa.string(),
                "age": pa.float64(),
                "address_id": pa.string(),
                "network": pa.string(),
                "surname_of": pa.string(),
            },
        ),
    )
    add_people(con, "SELECT i, role, nat, age, address_id, network FROM la_people")
    # Relatives share the parent's surname.
    con.execute("""UPDATE person SET last_raw = parent.last_raw
        FROM la_people l JOIN person parent ON parent.id = l.surname_of
        WHERE person.id = 'P' || lpad(l.i::VARCHAR, 8, '0')""")
    _jobs_and_rules(con, jobs, rules)
    con.register(
        "la_members",
        _table(
            members,
            {
                "entity_id": pa.string(),
                "entity": pa.string(),
                "look_alike": pa.string(),
                "kind": pa.string(),
            },
        ),
    )
    con.execute("CREATE OR REPLACE TABLE look_alike AS SELECT * FROM la_members")
    for name in ("la_addresses", "la_people", "la_members"):
        con.unregister(name)


def _jobs_and_rules(con: duckdb.DuckDBPyConnection, jobs: list[dict], rules: list[dict]) -> None:
    """Employment on paper at the legal minimum, and the pay rules saying what is really paid."""
    from invert.simulate.work import minimum_rate_sql

    con.register(
        "nw_jobs",
        _table(
            jobs,
            {
                "person_id": pa.string(),
                "company_id": pa.string(),
                "start": pa.string(),
                "end": pa.string(),
                "network": pa.string(),
                "hours": pa.float64(),
                "contract_type": pa.string(),
            },
        ),
    )
    con.execute(f"""
        INSERT INTO employment
        SELECT 'E' || substr(j.person_id, 2) || '-' || row_number() OVER (
                   PARTITION BY j.person_id ORDER BY j.start), j.person_id, j.company_id,
               j.start::DATE, j."end"::DATE, j.contract_type, j.hours,
               {minimum_rate_sql("p.birth")}, 'medewerker', j.network
        FROM nw_jobs j JOIN person p ON p.id = j.person_id""")
    con.register(
        "nw_rules",
        _table(
            rules,
            {
                "person_id": pa.string(),
                "rate_factor": pa.float64(),
                "extra_hours": pa.float64(),
                "deduction_type": pa.string(),
                "deduction": pa.float64(),
                "pay_to": pa.string(),
                "cash": pa.bool_(),
            },
        ),
    )
    con.execute("INSERT INTO pay_rule SELECT * FROM nw_rules")
    con.unregister("nw_jobs")
    con.unregister("nw_rules")


def look_alike_money(con: duckdb.DuckDBPyConnection) -> None:
    """The payroll-card provider pays each pooled wage out to the worker's own account."""
    con.execute("""
        INSERT INTO txn
        SELECT 'C' || t.id, t.date + 1, t.payee_iban, own.iban, t.amount,
               'LOONKAART UITBETALING ' || p.employment_id, 'wire', 'payout', NULL
        FROM txn t JOIN payslip p ON 'W' || p.id = t.id
        JOIN account pa ON pa.iban = t.payee_iban
        JOIN company c ON c.id = pa.holder_id AND c.nace = 'K66.19'
        JOIN account own ON own.holder_id = p.person_id
        WHERE t.kind = 'wage'
    """)
