"""What goes into a shared package: one query per table, every identity replaced by its keyed
pseudonym (see ``pseudonyms``), and what is left out.

Left out on purpose: names, birth dates (the birth year stays: it changes less than an age band
between two packages and still tells a minor from an adult), phones, e-mail addresses, street
addresses and postal codes, IBANs, identity numbers, purpose texts of payments, and the value
texts of indicator hits and lead reasons. Those texts are written for the analyst and quote
whatever the case holds ("wages paid into RO49… held by MARINESCU ION"); replacing each
identifier in them by its pseudonym would have to catch every spelling (initials, reversed
names, an IBAN with spaces, an address without its postcode), and one miss leaks a name in
clear. The indicator id, its strength and its contribution say what fired; the owner can
explain a lead on request, by its pseudonym.

Company names and registration numbers are public in most EU registers and are kept unless the
owner says otherwise (``company_names=False``); addresses, phones and e-mails of companies are
pseudonymised anyway, since a letterbox firm's address is often a worker's dwelling and its
phone a person's mobile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from invert.workspace import has_table


@dataclass(frozen=True)
class Options:
    """How the package is shaped: whether companies keep their register name and number, and
    whether the selection table ``share_node_in`` limits the entities (else all are shared)."""

    company_names: bool = True
    limited: bool = False

    def keep(self, column: str) -> str:
        """SQL condition: the node in ``column`` is part of the package."""
        return f"({column} IN (SELECT node FROM share_node_in))" if self.limited else "true"


# The first date property of an entity's own record (a person's birth date, a company's
# incorporation) is what the graph gives its identifier edges; only ties have their own dates.
ATTRIBUTE_RELATIONS = ("Person", "Company", "BankAccount", "Ad", "Address", "Phone", "Email")
DIGITS_AND_LETTERS = "upper(regexp_replace({}, '[^0-9A-Za-z]', '', 'g'))"


def _number(column: str) -> str:
    return DIGITS_AND_LETTERS.format(column)


def persons(o: Options) -> str:
    return f"""SELECT share_entity(id) AS person, share_value('name', min(name_key)) AS name,
        mode(year(birthDate)) AS birth_year, min(nationality) AS nationality,
        min(country) AS country, count(*) AS records
        FROM person WHERE {o.keep("id")} GROUP BY id ORDER BY person"""


def companies(o: Options) -> str:
    public = "min(name) AS name, min(registrationNumber) AS registration_number," * o.company_names
    return f"""SELECT share_entity(id) AS company, {public}
        share_value('name', min(name_key)) AS name_pseudonym,
        share_value('registration', min({_number("registrationNumber")}))
            AS registration_pseudonym,
        min(jurisdiction) AS jurisdiction, min(sector) AS sector, min(legalForm) AS legal_form,
        min(status) AS status, min(incorporationDate) AS incorporation_date,
        max(dissolutionDate) AS dissolution_date, max(headcount) AS headcount,
        max(revenue) AS revenue, max(staffCost) AS staff_cost, count(*) AS records
        FROM company WHERE {o.keep("id")} GROUP BY id ORDER BY company"""


# Per table, the identifiers partners link on: (kind, SQL of the normalised value).
IDENTIFIERS: dict[str, list[tuple[str, str]]] = {
    "person": [
        ("name", "name_key"),
        ("name-birth", "name_key || '|' || birthDate::VARCHAR"),
        ("phone", "phone"),
        ("email", "email"),
        ("address", "address_key"),
        ("personal-number", _number("taxNumber")),
        ("personal-number", _number("idNumber")),
        ("personal-number", _number("passportNumber")),
    ],
    "company": [
        ("name", "name_key"),
        ("registration", _number("registrationNumber")),
        ("vat", _number("vatCode")),
        ("address", "address_key"),
        ("phone", "phone"),
        ("email", "email"),
    ],
    "bank_account": [
        ("iban", "iban"),
        ("account-number", _number("accountNumber")),
        ("name", "holderName_key"),
        ("phone", "kycPhone"),
        ("email", "kycEmail"),
        ("address", "kycAddress_key"),
    ],
}


def identifiers(o: Options) -> str:
    parts = [
        f"""SELECT share_entity(id) AS entity, '{kind}' AS kind,
            share_value('{kind}', {value}) AS pseudonym
            FROM "{table}" WHERE {o.keep("id")}"""
        for table, pairs in IDENTIFIERS.items()
        for kind, value in pairs
    ]
    union = "\nUNION ".join(parts)
    return f"SELECT * FROM ({union}) WHERE pseudonym IS NOT NULL ORDER BY entity, kind, pseudonym"


def accounts(o: Options) -> str:
    return f"""SELECT share_entity(id) AS account, share_value('iban', min(iban)) AS iban,
        coalesce(min(left(iban, 2)), min(country)) AS country, min(bic) AS bic,
        min(bankName) AS bank, min(currency) AS currency, share_entity(min(holder)) AS holder,
        min(openingDate) AS opening_date, max(closingDate) AS closing_date, count(*) AS records
        FROM bank_account WHERE {o.keep("id")} GROUP BY id ORDER BY account"""


def transactions(o: Options) -> str:
    return f"""SELECT share_entity(id) AS transaction, share_entity(payerAccount) AS payer,
        share_entity(beneficiaryAccount) AS beneficiary, amount, currency, date,
        valueDate AS value_date, channel, bankCode AS bank_code, mcc, country,
        share_entity(report) AS report
        FROM "transaction" WHERE {o.keep("payerAccount")} OR {o.keep("beneficiaryAccount")}
        ORDER BY date, transaction"""


def addresses(o: Options) -> str:
    return f"""SELECT share_value('address', full_key) AS address, min(kind) AS kind,
        min(city) AS city, min(country) AS country, max(rooms) AS rooms,
        max(floorArea) AS floor_area, share_entity(min(owner)) AS owner, count(*) AS records
        FROM address WHERE full_key IS NOT NULL AND {o.keep("'address:' || full_key")}
        GROUP BY full_key ORDER BY address"""


def leads(o: Options) -> str:
    def drop_text(column: str) -> str:
        return (
            f"list_transform({column}, r -> {{'indicator': r.indicator, "
            f"'contribution': r.contribution}}) AS {column}"
        )

    return f"""SELECT list, rank, share_entity(subject_id) AS subject, score, probability,
        {drop_text("reasons")}, {drop_text("context")}
        FROM (SELECT *, row_number() OVER (PARTITION BY list ORDER BY score DESC, subject_id)
              AS rank FROM score)
        WHERE {o.keep("subject_id")} ORDER BY list, rank"""


def indicator_hits(o: Options) -> str:
    return f"""SELECT indicator, subject, share_entity(subject_id) AS subject_id, strength,
        parameters::VARCHAR AS parameters,
        list_transform(evidence, e -> {{'tbl': e.tbl, 'id': share_entity(e.id)}}) AS evidence
        FROM indicator_hit WHERE {o.keep("subject_id")}
        ORDER BY indicator, subject_id"""


def graph_nodes(o: Options) -> str:
    label = "CASE WHEN n.kind = 'company' THEN n.label END" if o.company_names else "NULL"
    return f"""SELECT share_node(n.node) AS node, n.kind, {label}::VARCHAR AS label,
        m.component, m.community, m.degree, m.pagerank
        FROM graph_node n LEFT JOIN graph_membership m USING (node)
        WHERE {o.keep("n.node")} ORDER BY node"""


def graph_edges(o: Options) -> str:
    attributes = ", ".join(f"'{r}'" for r in ATTRIBUTE_RELATIONS)

    def tie_date(column: str) -> str:
        return f"CASE WHEN relation NOT IN ({attributes}) THEN {column} END AS {column}"

    return f"""SELECT share_node(source) AS source, source_kind, share_node(target) AS target,
        target_kind, type, relation, count::BIGINT AS count, amount,
        {tie_date("first_date")}, {tie_date("last_date")}
        FROM graph_edge WHERE {o.keep("source")} AND {o.keep("target")}
        ORDER BY source, target, type, relation"""


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    query: Callable[[Options], str]
    needs: tuple[str, ...] = ()  # stage tables it reads; without them the table is left out


TABLES = [
    Table(
        "leads",
        "Scores per lead list with the indicator and contribution of each reason "
        "(reason texts left out); rank is the rank in the whole case.",
        leads,
        ("score",),
    ),
    Table(
        "indicator_hits",
        "Indicator hits with strength, parameters and pseudonymised "
        "evidence ids (value texts left out).",
        indicator_hits,
        ("indicator_hit",),
    ),
    Table(
        "persons", "One row per person: name pseudonym, birth year, nationality, country.", persons
    ),
    Table(
        "companies",
        "One row per company: register facts, name and number in clear unless "
        "withheld, pseudonyms to link on.",
        companies,
    ),
    Table("accounts", "One row per account: IBAN pseudonym, country code, bank, holder.", accounts),
    Table(
        "transactions",
        "Payments between pseudonymised accounts: amount, date, channel "
        "(purpose texts and names as written left out).",
        transactions,
    ),
    Table(
        "addresses",
        "One row per address: pseudonym, city, country, kind, rooms, floor area, owner.",
        addresses,
    ),
    Table(
        "identifiers",
        "Every pseudonymised identifier of each person, company and account: "
        "join two packages on pseudonym to link them.",
        identifiers,
    ),
    Table(
        "graph_nodes",
        "Network nodes as pseudonyms with component, community, degree and PageRank.",
        graph_nodes,
        ("graph_node", "graph_membership"),
    ),
    Table(
        "graph_edges",
        "Network ties between pseudonyms with counts, amounts and the dates "
        "of the ties (not of the entities).",
        graph_edges,
        ("graph_edge",),
    ),
]


def available(con: duckdb.DuckDBPyConnection) -> list[Table]:
    """The tables this workspace can fill (leads need `invert analyze`, the graph `invert
    network build`)."""
    return [t for t in TABLES if all(has_table(con, n) for n in t.needs)]
