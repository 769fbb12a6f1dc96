"""Entity keys: alternatives tried in order, some made of several columns together."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import query, snapshot
from invert.errors import InvalidMapping
from invert.ingest.load import ingest

MAPPINGS = Path(__file__).resolve().parents[2] / "src" / "invert" / "simulate" / "mappings"
HEADER = (
    "werkgever_kvk;bsn;naam;geboortedatum;periode_van;periode_tot;betaaldatum;uren;uurloon;"
    "bruto;loonheffing;inhoudingen;reden_inhouding;netto;betaalwijze;iban;rekeninghouder"
)


def _payslip(bsn: str, name: str, born: str, period: str) -> str:
    month = period[3:5]
    return (
        f"12345678;{bsn};{name};{born};01-{month}-2024;28-{month}-2024;28-{month}-2024;"
        "160,00;10,00;1600,00;100,00;0,00;;1500,00;contant;;"
    )


def test_payslips_without_citizen_number_keep_namesakes_apart(ws, tmp_path):
    """Provider A's mapping: a citizen number, else name and birth date, else the name alone.
    Two undeclared namesakes of 13 and 21 stay two people (resolution may still weigh them);
    the same person over two months stays one; a name without birth date is one record."""
    rows = [
        _payslip("123456782", "Ana Pop", "02-03-1990", "01-01-2024"),
        _payslip("123456782", "Ana Pop", "02-03-1990", "01-02-2024"),
        _payslip("", "Judit Nagy", "10-05-2011", "01-01-2024"),
        _payslip("", "Judit Nagy", "10-05-2011", "01-02-2024"),
        _payslip("", "Judit Nagy", "04-09-2003", "01-01-2024"),
        _payslip("", "Mihai Radu", "", "01-01-2024"),
        _payslip("", "Mihai Radu", "", "01-02-2024"),
    ]
    path = tmp_path / "loonadministratie_a.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("latin-1"))
    r = ingest(ws, path, MAPPINGS / "loonadministratie_a.yml")
    assert (r.loaded, r.quarantined) == (7, 0)
    people = query(
        ws,
        "SELECT p.name, p.birthDate::VARCHAR, count(*) FROM wage_payment w "
        "JOIN person p ON p.id = w.employee GROUP BY ALL ORDER BY ALL",
    )
    assert people == [
        ("Ana Pop", "1990-03-02", 2),
        ("Judit Nagy", "2003-09-04", 1),
        ("Judit Nagy", "2011-05-10", 2),
        ("Mihai Radu", None, 2),
    ]


def test_a_key_group_needs_key_mode_first(ws, tmp_path):
    mapping = (MAPPINGS / "loonadministratie_a.yml").read_text(encoding="utf-8")
    mapping = mapping.replace("    key_mode: first\n", "")
    (tmp_path / "a.yml").write_text(mapping, encoding="utf-8")
    path = tmp_path / "a.csv"
    path.write_bytes((HEADER + "\n").encode("latin-1"))
    before = snapshot(ws)
    with pytest.raises(InvalidMapping) as exc:
        ingest(ws, path, tmp_path / "a.yml")
    assert "entities.worker: a list inside 'keys'" in str(exc.value)
    assert "needs key_mode: first" in str(exc.value)
    assert snapshot(ws) == before
