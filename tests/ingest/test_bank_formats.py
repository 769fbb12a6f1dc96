"""camt.053, MT940 and goAML, ingested without a mapping file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers import query, snapshot
from invert.errors import InvalidData
from invert.ingest.load import ingest


def test_camt053_entries_batches_and_directions(ws, samples):
    r = ingest(ws, samples / "statement.camt053.xml")
    assert r.format == "camt053"
    # 4 entries, one a batch of 2 details -> 5 transactions; one has an impossible date.
    assert (r.read, r.loaded, r.quarantined) == (5, 4, 1)
    rows = query(
        ws,
        """
        SELECT p.iban, b.iban, t.amount, t.date, t.channel, t.purpose
        FROM "transaction" t LEFT JOIN bank_account p ON p.id = t.payerAccount
        LEFT JOIN bank_account b ON b.id = t.beneficiaryAccount ORDER BY t.source_row""",
    )
    own = "NL91ABNA0417164300"
    assert rows[0][:3] == ("NL39RABO0300065264", own, Decimal("1120.00"))  # credit: paid to us
    assert rows[1][2] == Decimal("1095.50")  # second detail of the batch, its own amount
    assert rows[2][:2] == (own, None) and rows[2][4] == "atm"  # cash withdrawal
    assert rows[3][:2] == (own, "RO49AAAA1B31007593840000")  # debit: we pay abroad
    assert str(rows[0][3]) == "2024-11-05"
    reason = query(ws, "SELECT source_row, field, reason FROM quarantine")[0]
    assert reason[1] == "booking_date" and '"2024-11-31"' in reason[2]
    # The row is the line of the transaction detail, inside the entry holding the bad date.
    lines = (samples / "statement.camt053.xml").read_text().splitlines()
    assert lines[reason[0] - 1].strip() == "<TxDtls>"
    entry_start = max(i for i in range(reason[0]) if lines[i].strip() == "<Ntry>")
    assert "<BookgDt><Dt>2024-11-31</Dt></BookgDt>" in "".join(lines[entry_start : reason[0]])


def test_one_account_is_one_id_across_statements_and_reports(ws, samples):
    for name in ("statement.camt053.xml", "statement.mt940.sta", "str.goaml.xml"):
        ingest(ws, samples / name)
    ids = query(ws, "SELECT DISTINCT id FROM bank_account WHERE iban = 'NL91ABNA0417164300'")
    assert len(ids) == 1
    # ...and each source holds each account once.
    assert query(
        ws,
        "SELECT count(*) FROM (SELECT id, source_id FROM bank_account "
        "GROUP BY ALL HAVING count(*) > 1)",
    ) == [(0,)]


def test_mt940_statement_lines_and_structured_86(ws, samples):
    r = ingest(ws, samples / "statement.mt940.sta")
    assert r.format == "mt940"
    assert (r.read, r.loaded, r.quarantined) == (6, 5, 1)
    rows = query(
        ws,
        """
        SELECT t.source_row, p.iban, b.iban, t.beneficiaryName, t.amount, t.date, t.purpose
        FROM "transaction" t LEFT JOIN bank_account p ON p.id = t.payerAccount
        LEFT JOIN bank_account b ON b.id = t.beneficiaryAccount ORDER BY t.source_row""",
    )
    first = rows[0]
    assert first[:5] == (
        5,
        "NL39RABO0300065264",
        "NL91ABNA0417164300",
        "I. MARINESCU",
        Decimal("1120.00"),
    )
    assert str(first[5]) == "2024-11-05" and first[6] == "SALARIS OKT 2024 I POPESCU"
    credit = next(r for r in rows if r[4] == Decimal("25000.00"))
    assert credit[1:3] == ("NL02ABNA0123456789", "NL39RABO0300065264")
    assert query(ws, "SELECT source_row, field FROM quarantine") == [(13, ":61:")]


def test_mt940_german_subfields(ws, tmp_path):
    path = tmp_path / "sparkasse.sta"
    path.write_text(
        ":20:STARTUMS\n:25:DE89370400440532013000\n:28C:00001/001\n:60F:C241231EUR1000,00\n"
        ":61:2412310102DR250,00NMSCNONREF\n"
        ":86:177?00SEPA-UEBERWEISUNG?20SVWZ+MIETE JANUAR?21ZIMMER 3?30COBADEFFXXX\n"
        "?31DE02120300000000202051?32WOHNHEIM GMBH\n"
        ":62F:C250102EUR750,00\n-\n",
        encoding="latin-1",
    )
    r = ingest(ws, path)
    assert (r.read, r.loaded) == (1, 1)
    row = query(
        ws,
        """SELECT b.iban, t.beneficiaryName, t.purpose, t.date, t.valueDate
        FROM "transaction" t JOIN bank_account b ON b.id = t.beneficiaryAccount""",
    )[0]
    assert row[:2] == ("DE02120300000000202051", "WOHNHEIM GMBH")
    assert "MIETE JANUAR" in row[2]
    # Value date 31 Dec 2024 booked on 2 Jan: the booking is in 2025.
    assert (str(row[3]), str(row[4])) == ("2025-01-02", "2024-12-31")


def test_goaml_report_parties_and_accounts(ws, samples):
    r = ingest(ws, samples / "str.goaml.xml")
    assert r.format == "goaml" and (r.read, r.loaded, r.quarantined) == (3, 3, 0)
    report = query(ws, "SELECT reportNumber, reportCode, indicators FROM report")
    assert report == [("2044/ABN-STR-2024-0931", "STR", ["ML-THB-03", "ML-CASH-01"])]
    holder = query(
        ws,
        """SELECT p.name, p.birthDate, p.nationality, p.phone FROM bank_account a
        JOIN person p ON p.id = a.holder WHERE a.iban = 'NL91ABNA0417164300'""",
    )
    assert [(h[0], str(h[1]), h[2], h[3]) for h in holder] == [
        ("Ion Marinescu", "1978-06-02", "RO", "+40721999000")
    ]
    assert query(ws, "SELECT name, registrationNumber FROM company") == [
        ("Green Harvest Staffing B.V.", "NL-80412345")
    ]
    tx = query(
        ws,
        """SELECT t.amount, t.channel, t.country, r.reportCode FROM "transaction" t
        JOIN report r ON r.id = t.report ORDER BY t.source_row""",
    )
    assert [x[1] for x in tx] == ["wire", "atm", "wire"]
    assert tx[2][2] == "RO"


@pytest.mark.parametrize("name", ["statement.camt053.xml", "str.goaml.xml"])
def test_truncated_xml_is_refused_with_its_line_and_nothing_changes(ws, tmp_path, samples, name):
    ingest(ws, samples / "statement.mt940.sta")
    before = snapshot(ws)
    text = (samples / name).read_text()
    path = tmp_path / name
    path.write_text(text[: len(text) * 2 // 3])
    with pytest.raises(InvalidData, match=rf"{name}: broken XML at line \d+"):
        ingest(ws, path)
    assert snapshot(ws) == before
    assert list(ws.sources_dir.iterdir()) == [
        p for p in ws.sources_dir.iterdir() if "mt940" in p.name
    ]


def test_bad_iban_in_a_statement_is_kept_raw_and_flagged(ws, tmp_path, samples):
    path = tmp_path / "statement.camt053.xml"
    path.write_text(
        (samples / "statement.camt053.xml")
        .read_text()
        .replace("RO49AAAA1B31007593840000", "RO49AAAA1B31007593840001")
    )
    r = ingest(ws, path)
    assert r.loaded == 4 and r.flagged >= 1
    assert query(ws, "SELECT iban, iban_raw FROM bank_account WHERE iban_raw LIKE 'RO49%'") == [
        (None, "RO49AAAA1B31007593840001")
    ]
    assert query(ws, "SELECT DISTINCT property FROM value_flags") == [("iban",)]


def test_a_file_that_is_no_known_format_asks_for_a_mapping(ws, samples):
    from invert.errors import InvertError

    with pytest.raises(InvertError, match=r"register\.csv: not a bank statement .* --mapping"):
        ingest(ws, samples / "register.csv")
