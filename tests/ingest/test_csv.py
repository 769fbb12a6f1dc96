"""CSV ingestion on the bundled Latin-1 payroll export (';' separated, decimal commas)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import query, snapshot
from invert.errors import InvalidData, InvalidMapping
from invert.ingest.load import ingest


def test_latin1_payroll_with_decimal_commas(ws, samples):
    r = ingest(ws, samples / "payroll.csv", samples / "payroll.yml")
    assert (r.read, r.loaded, r.quarantined) == (8, 5, 3)
    assert r.read == r.loaded + r.quarantined
    assert r.entities == {"Company": 2, "Employment": 5, "Person": 5, "WagePayment": 5}
    # Latin-1 umlauts decoded, decimal commas and thousands dots read, dates parsed.
    row = query(
        ws,
        "SELECT p.name, w.gross, w.net, w.deductions, w.paymentDate, p.birthDate "
        "FROM wage_payment w JOIN person p ON p.id = w.employee "
        "WHERE p.taxNumber = '456789123'",
    )[0]
    assert row[0] == "Jürgen Müller"
    assert row[1:4] == (Decimal("2174.40"), Decimal("1812.30"), Decimal("0.00"))
    assert str(row[4]) == "2024-10-25" and str(row[5]) == "1988-05-03"
    # Phones to E.164 with the mapping's default region; the raw text kept beside it.
    phones = dict(query(ws, "SELECT phone_raw, phone FROM person"))
    assert phones["0721 234 568"] == "+31721234568"
    assert phones["+40 721 234 567"] == "+40721234567"
    # Value map and name splitting.
    assert query(
        ws, "SELECT nationality, firstName, lastName FROM person WHERE taxNumber = '123456782'"
    ) == [("RO", "Ion", "Popescu")]
    # A list split on '|'.
    assert query(ws, "SELECT deductionType FROM wage_payment WHERE gross = 2249.60 LIMIT 1") == [
        (["huisvesting", "vervoer"],)
    ]


def test_bad_rows_are_quarantined_with_row_field_and_reason(ws, samples):
    ingest(ws, samples / "payroll.csv", samples / "payroll.yml")
    rows = query(
        ws,
        "SELECT source_row, field, reason, raw->>'naam' FROM quarantine "
        "WHERE source_id = 'payroll.csv' ORDER BY source_row",
    )
    assert [(r[0], r[1]) for r in rows][0::2] == [(7, "geboortedatum"), (9, "uurloon")]
    assert rows[1][0] == 8 and "bsn" in rows[1][1]
    assert '"31-02-2001"' in rows[0][2] and rows[0][3] == "Ana Rusu"
    assert "no entity can be identified" in rows[1][2]
    assert '"drie"' in rows[2][2] and rows[2][3] == "Vasile Ciobanu"
    # Nothing of a quarantined row reaches the canonical tables.
    assert query(
        ws, "SELECT count(*) FROM person WHERE name IN ('Ana Rusu', 'Vasile Ciobanu')"
    ) == [(0,)]


def test_invalid_identifiers_are_kept_raw_and_flagged(ws, samples):
    ingest(ws, samples / "payroll.csv", samples / "payroll.yml")
    flags = query(ws, "SELECT source_row, entity_table, property, raw, problem FROM value_flags")
    assert flags == [(6, "person", "phone", "06-98765432", "not a valid phone number in region NL")]
    assert query(ws, "SELECT phone, phone_raw FROM person WHERE taxNumber = '567891234'") == [
        (None, "06-98765432")
    ]


def test_bad_iban_is_flagged_not_dropped(ws, tmp_path, samples):
    text = (
        (samples / "payroll.csv").read_bytes().replace(b"NL20INGB0001234567", b"NL20INGB0001234568")
    )
    path = tmp_path / "payroll.csv"
    path.write_bytes(text)
    r = ingest(ws, path, samples / "payroll.yml")
    assert r.loaded == 5
    assert query(ws, "SELECT iban, iban_raw FROM wage_payment WHERE iban_raw LIKE 'NL20%'") == [
        (None, "NL20INGB0001234568")
    ]
    problem = query(ws, "SELECT problem FROM value_flags WHERE property = 'iban'")[0][0]
    assert "checksum" in problem.lower() or "invalid" in problem.lower()


def test_same_file_again_is_a_no_op(ws, samples):
    ingest(ws, samples / "payroll.csv", samples / "payroll.yml")
    before = snapshot(ws)
    again = ingest(ws, samples / "payroll.csv", samples / "payroll.yml")
    assert again.status == "unchanged"
    assert snapshot(ws) == before


def test_corrected_file_replaces_the_source_in_place(ws, tmp_path, samples):
    first = ingest(ws, samples / "payroll.csv", samples / "payroll.yml")
    ids = dict(query(ws, "SELECT taxNumber, id FROM person"))
    fixed = (samples / "payroll.csv").read_bytes().replace(b"31-02-2001", b"28-02-2001")
    path = tmp_path / "payroll.csv"
    path.write_bytes(fixed)
    second = ingest(ws, path, samples / "payroll.yml")
    assert second.status == "replaced" and second.sha256 != first.sha256
    assert (second.read, second.loaded, second.quarantined) == (8, 6, 2)
    after = dict(query(ws, "SELECT taxNumber, id FROM person"))
    assert {k: after[k] for k in ids} == ids  # unchanged workers keep their ids
    assert "678912345" in after
    assert query(
        ws, "SELECT version, rows_loaded FROM sources WHERE source_id = 'payroll.csv'"
    ) == [(2, 6)]
    assert query(ws, "SELECT count(*) FROM person WHERE source_id = 'payroll.csv'") == [(6,)]


def test_missing_columns_are_named_before_anything_is_read(ws, tmp_path, samples):
    lines = (samples / "payroll.csv").read_bytes().split(b"\n")
    lines[0] = lines[0].replace(b"uurloon", b"loon").replace(b"iban;", b"rekening;")
    path = tmp_path / "payroll.csv"
    path.write_bytes(b"\n".join(lines))
    before = snapshot(ws)
    with pytest.raises(InvalidMapping) as exc:
        ingest(ws, path, samples / "payroll.yml")
    text = str(exc.value)
    assert "payroll.csv" in text and "'uurloon' is missing" in text and "'iban' is missing" in text
    assert snapshot(ws) == before


def test_wrong_encoding_names_the_byte_and_the_fix(ws, tmp_path, samples):
    mapping = tmp_path / "utf8.yml"
    mapping.write_text(
        (samples / "payroll.yml")
        .read_text()
        .replace('read: {delimiter: ";", encoding: latin-1}', 'read: {delimiter: ";"}')
    )
    with pytest.raises(InvalidData, match=r"payroll.csv: not UTF-8 .*encoding: latin-1"):
        ingest(ws, samples / "payroll.csv", mapping)


def test_malformed_csv_rows_are_quarantined_with_their_line(ws, tmp_path, samples):
    path = tmp_path / "register.csv"
    lines = (samples / "register.csv").read_text().splitlines()
    lines.insert(3, "NL-1,Too,Few,Columns")
    lines.insert(5, "")
    path.write_text("\n".join(lines) + "\n")
    r = ingest(ws, path, samples / "register.yml")
    assert r.read == r.loaded + r.quarantined
    assert (r.loaded, r.quarantined) == (5, 1)
    rows = query(ws, "SELECT source_row, reason FROM quarantine")
    assert rows[0][0] == 4 and "column" in rows[0][1].lower()
    # Rows after the rejected row and the blank line keep their true line numbers.
    assert query(ws, "SELECT source_row FROM company WHERE name LIKE 'Quick Clean%'") == [(8,)]
    assert query(ws, "SELECT source_row FROM company WHERE name LIKE 'Westland%'") == [(5,)]


def test_ids_do_not_depend_on_row_order(tmp_path, samples):
    from invert.workspace import Workspace

    lines = (samples / "register.csv").read_text().splitlines()
    reordered = tmp_path / "reordered" / "register.csv"
    reordered.parent.mkdir()
    reordered.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    results = []
    for i, path in enumerate([samples / "register.csv", reordered]):
        ws = Workspace.init(tmp_path / f"case{i}")
        ingest(ws, path, samples / "register.yml")
        results.append(
            sorted(
                query(
                    ws,
                    "SELECT id, name FROM person UNION ALL "
                    "SELECT id, name FROM company UNION ALL "
                    "SELECT id, role FROM directorship",
                )
            )
        )
    assert results[0] == results[1]


def test_source_file_is_kept_read_only_with_its_hash(ws, samples):
    r = ingest(ws, samples / "payroll.csv", samples / "payroll.yml")
    stored, sha = query(ws, "SELECT stored_path, sha256 FROM sources")[0]
    assert sha == r.sha256
    import hashlib

    assert hashlib.sha256(Path(stored).read_bytes()).hexdigest() == sha
    assert not Path(stored).stat().st_mode & 0o222
    shutil.rmtree(ws.sources_dir)  # keeps tmp cleanup simple on read-only files
