"""A folder of files through one connection: the same rows as one file at a time, each file still
all or nothing."""

from __future__ import annotations

import pytest

from helpers import query, snapshot
from invert.errors import InvalidData
from invert.ingest.load import ingest, ingest_many
from invert.workspace import Workspace


def _jobs(samples):
    return [
        (samples / "register.csv", samples / "register.yml"),
        (samples / "payroll.csv", samples / "payroll.yml"),
        (samples / "statement.camt053.xml", None),
        (samples / "str.goaml.xml", None),
    ]


def _facts(ws: Workspace) -> dict[str, list]:
    """Every table but the ones holding times and paths of this run."""
    return {t: rows for t, rows in snapshot(ws).items() if t not in ("sources", "runs")}


def test_one_connection_stores_what_one_file_at_a_time_stores(tmp_path, samples):
    many = Workspace.init(tmp_path / "many")
    results = list(ingest_many(many, _jobs(samples)))
    assert [r.status for r in results] == ["loaded"] * 4
    single = Workspace.init(tmp_path / "single")
    for path, mapping in _jobs(samples):
        ingest(single, path, mapping)
    assert _facts(many) == _facts(single)
    # The file row of each payslip, after a file whose writing let DuckDB reorder rows.
    rows = query(many, "SELECT source_row FROM wage_payment ORDER BY source_row")
    assert rows == query(single, "SELECT source_row FROM wage_payment ORDER BY source_row")


def test_again_through_one_connection_changes_nothing(ws, samples):
    list(ingest_many(ws, _jobs(samples)))
    before = _facts(ws)
    assert [r.status for r in ingest_many(ws, _jobs(samples))] == ["unchanged"] * 4
    assert _facts(ws) == before


def test_a_failing_file_keeps_the_files_stored_before_it(ws, samples, tmp_path):
    jobs = _jobs(samples)
    mapping = (samples / "payroll.yml").read_text(encoding="utf-8")
    wrong = tmp_path / "payroll-utf8.yml"  # says UTF-8 of a Latin-1 file
    wrong.write_text(mapping.replace("encoding: latin-1", "encoding: utf-8"), encoding="utf-8")
    jobs[1] = (samples / "payroll.csv", wrong)
    done = []
    with pytest.raises(InvalidData, match="not UTF-8"):
        for result in ingest_many(ws, jobs):
            done.append(result.file_name)
    assert done == ["register.csv"]
    assert query(ws, "SELECT source_id FROM sources") == [("register.csv",)]
    assert query(ws, "SELECT count(*) FROM wage_payment") == [(0,)]
    # The failed file can be put right and the folder ingested again: the first is unchanged.
    jobs[1] = (samples / "payroll.csv", samples / "payroll.yml")
    assert [r.status for r in ingest_many(ws, jobs)] == ["unchanged"] + ["loaded"] * 3


def test_small_and_large_files_normalise_alike(tmp_path, samples, monkeypatch):
    """Looking normalised values up in Arrow (small files) or joining them per column (large
    files) stores the same rows, quarantine and flags."""
    from invert.ingest import compile as sql

    reference = Workspace.init(tmp_path / "reference")
    list(ingest_many(reference, _jobs(samples)))
    monkeypatch.setattr(sql, "SMALL", 0)  # every file takes the large files' way
    other = Workspace.init(tmp_path / "other")
    list(ingest_many(other, _jobs(samples)))
    assert _facts(other) == _facts(reference)


def test_values_normalised_for_one_file_are_remembered_for_the_next():
    """The memo answers what the normaliser would, calls it once per value, and keeps at most
    its limit of values."""
    from invert.ingest import compile as sql
    from invert.ingest.mapping import PropertyMap
    from invert.model import default_model

    calls: list[list[str]] = []
    person = default_model()["Person"]
    slot = sql.Slot(None, person, person.properties["name"], PropertyMap("name"), 0)  # type: ignore[arg-type]
    original = slot.ptype.normalise

    def counting(values, options):
        calls.append(list(values))
        return original(values, options)

    memo = sql.Memo(limit=3)
    object.__setattr__(slot.prop.type, "normalise", counting)
    try:
        first = memo.normalise(slot, ["Ion  Popescu", "ANA POP"])
        second = memo.normalise(slot, ["ANA POP", "Maria Ionescu", "Dan Radu", "Ion  Popescu"])
        third = memo.normalise(slot, ["Dan Radu"])
    finally:
        object.__setattr__(slot.prop.type, "normalise", original)
    assert calls == [["Ion  Popescu", "ANA POP"], ["Maria Ionescu", "Dan Radu"], ["Dan Radu"]]
    asked = ["Ion  Popescu", "ANA POP", "ANA POP", "Maria Ionescu", "Dan Radu", "Ion  Popescu"]
    assert first + second + third == original([*asked, "Dan Radu"], {})


BANK_MAPPING = """
name: bank
namespace: bank-accounts
read: {delimiter: ";"}
decimal: ","
date_format: "%d-%m-%Y"
entities:
  payer:
    type: BankAccount
    keys: [iban]
    key_mode: first
    properties: {iban: rekening_debet, holderName: naam_debet}
  beneficiary:
    type: BankAccount
    keys: [iban]
    key_mode: first
    properties: {iban: rekening_credit, holderName: naam_credit}
  transaction:
    type: Transaction
    keys: [transactie_id]
    properties:
      payerAccount: {entity: payer}
      beneficiaryAccount: {entity: beneficiary}
      amount: bedrag
      date: boekdatum
"""
BANK_ROWS = """transactie_id;boekdatum;bedrag;rekening_debet;naam_debet;rekening_credit;naam_credit
T1;01-01-2024;20,00;NL91ABNA0417164300;I. MARINESCU;;
T2;02-01-2024;61,45;nl91 abna 0417 1643 00;ION MARINESCU;NL02ABNA0123456789;ALBERT HEIJN
T3;03-01-2024;5,00;NL00ABNA0417164300;WRONG;NL02ABNA0123456789;
T3;03-01-2024;5,00;NL00ABNA0417164300;WRONG;NL02ABNA0123456789;
T4;04-01-2024;7,00;;;NL91ABNA0417164300;SELF
"""


def test_accounts_keyed_by_their_iban_alike_in_small_and_large_files(tmp_path, monkeypatch):
    """A large file takes an account's id from its IBAN's normalised table (once per distinct
    IBAN); a small file computes it per row: the same ids, rows and flags."""
    from invert.ingest import compile as sql

    (tmp_path / "bank.yml").write_text(BANK_MAPPING, encoding="utf-8")
    (tmp_path / "bank.csv").write_text(BANK_ROWS, encoding="utf-8")
    jobs = [(tmp_path / "bank.csv", tmp_path / "bank.yml")]
    small = Workspace.init(tmp_path / "small")
    list(ingest_many(small, jobs))
    monkeypatch.setattr(sql, "SMALL", 0)
    large = Workspace.init(tmp_path / "large")
    list(ingest_many(large, jobs))
    assert _facts(large) == _facts(small)
    assert query(large, "SELECT count(*) FROM bank_account") == [(3,)]
    assert query(large, 'SELECT count(DISTINCT id) FROM "transaction"') == [(5,)]


def test_values_normalised_in_a_helper_process_are_the_same(tmp_path, samples, monkeypatch):
    """Long lists of values are normalised half in a helper process: the same rows."""
    from invert.ingest import compile as sql
    from invert.ingest.helper import Helper

    reference = Workspace.init(tmp_path / "reference")
    list(ingest_many(reference, _jobs(samples)))
    monkeypatch.setattr(sql, "PARALLEL", 2)
    answered = []
    result = Helper.result

    def counting(helper):
        answer = result(helper)
        answered.append(answer is not None)
        return answer

    monkeypatch.setattr(Helper, "result", counting)
    other = Workspace.init(tmp_path / "other")
    list(ingest_many(other, _jobs(samples)))
    assert answered and all(answered)
    assert _facts(other) == _facts(reference)


def test_a_helper_that_fails_leaves_the_values_to_the_caller(tmp_path, samples, monkeypatch):
    from invert.ingest import compile as sql
    from invert.ingest.helper import Helper

    reference = Workspace.init(tmp_path / "reference")
    list(ingest_many(reference, _jobs(samples)))
    monkeypatch.setattr(sql, "PARALLEL", 2)
    monkeypatch.setattr(Helper, "result", lambda helper: helper._fail())
    other = Workspace.init(tmp_path / "other")
    list(ingest_many(other, _jobs(samples)))
    assert _facts(other) == _facts(reference)


def test_a_file_read_ahead_fails_in_its_turn(ws, samples, tmp_path):
    """The statement after the register is parsed while the register is written; its error is
    raised in its own turn, after the register is stored, and the payroll is not ingested."""
    broken = tmp_path / "broken.camt053.xml"
    broken.write_text((samples / "statement.camt053.xml").read_text()[:2000], encoding="utf-8")
    jobs = [
        (samples / "register.csv", samples / "register.yml"),
        (broken, None),
        (samples / "payroll.csv", samples / "payroll.yml"),
    ]
    done = []
    with pytest.raises(InvalidData, match=r"broken\.camt053\.xml: broken XML"):
        for result in ingest_many(ws, jobs):
            done.append(result.file_name)
    assert done == ["register.csv"]
    assert query(ws, "SELECT source_id FROM sources") == [("register.csv",)]
