"""Explain, indicator catalogue and inspection targets, run as a user runs them."""

from __future__ import annotations

import csv
import hashlib
import json

import pytest
from openpyxl import load_workbook
from test_cli import run


@pytest.fixture
def analysed(tmp_path, samples):
    case = tmp_path / "case"
    run("init", case)
    run("ingest", case, samples / "payroll.csv", "--mapping", samples / "payroll.yml")
    run("analyze", case)
    return case


def _top_person(case) -> str:
    out = run("leads", case, "--subject", "person", "--top", "1").stdout
    return next(word for word in out.split() if word.startswith("person-"))


def test_explain_names_the_source_file_row_and_hash(analysed, samples):
    who = _top_person(analysed)
    data = json.loads(run("explain", analysed, who, "--json").stdout)
    assert data["table"] == "person" and data["identity"]["name"]
    reasons = {r["indicator"]: r for r in data["reasons"]}
    shared = reasons["wk_pay_to_foreign_or_shared_iban"]
    assert shared["parameters"] == {"min_workers": 2, "corporate_factor": 0.3}
    assert shared["contribution"] == pytest.approx(shared["strength"] * shared["weight"], abs=1e-3)
    digest = hashlib.sha256((samples / "payroll.csv").read_bytes()).hexdigest()
    ev = shared["evidence"][0]
    assert ev["tbl"] == "wage_payment" and ev["sha256"] == digest and ev["source_row"] >= 2
    text = run("explain", analysed, who).stdout
    assert "wk_pay_to_foreign_or_shared_iban" in text
    assert f"payroll.csv row {ev['source_row']}" in text


def test_explain_unknown_entity_is_a_clear_error(analysed):
    proc = run("explain", analysed, "nobody-123", ok=False)
    assert "no entity 'nobody-123'" in proc.stderr


def test_indicators_lists_and_filters_the_catalogue():
    rows = [
        json.loads(line)
        for line in run("indicators", "--subject", "child", "--json").stdout.splitlines()
    ]
    assert rows and {r["subject"] for r in rows} == {"child"}
    assert any(r["id"] == "ch_below_minimum_age" for r in rows)
    assert all(r["sources"] and r["description"] for r in rows)
    found = run("indicators", "--search", "minimum wage").stdout
    assert "wk_wage_below_minimum" in found and "tx_salary_in_then_out" not in found


def test_targets_rank_workplaces_with_victims_and_write_csv_and_xlsx(analysed, tmp_path):
    out_csv = tmp_path / "targets.csv"
    run("targets", analysed, "--out", out_csv, "--victim-probability", "0.01")
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert rows, "the payroll sample has a risky employer"
    top = rows[0]
    assert top["rank"] == "1" and top["top_reasons"]
    assert int(top["potential_victims"]) >= 2 and int(top["workers"]) >= 3
    assert [float(r["probability"]) for r in rows] == sorted(
        (float(r["probability"]) for r in rows), reverse=True
    ) or len({r["area"] for r in rows}) > 1
    out_xlsx = tmp_path / "targets.xlsx"
    run("targets", analysed, "--format", "xlsx", "--out", out_xlsx, "--top", "1")
    sheet = load_workbook(out_xlsx).active
    assert [c.value for c in sheet[1]][:4] == ["area", "rank_in_area", "rank", "workplace"]
    assert sheet.max_row == 2
    none = run("targets", analysed, "--sector", "Z99").stdout
    assert "No workplace matches." in none
