"""The simulator: realistic distributions, every scheme planted, determinism, and files that
ingest cleanly through the shipped mappings with an answer key that resolves."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from invert.ingest.load import ingest
from invert.ingest.manifest import expand
from invert.simulate import simulate
from invert.simulate.config import Settings
from invert.simulate.schemes import SCHEMES
from invert.workspace import Workspace

SMALL = Settings(size="S", seed=7, profile="organised", scale=0.3)


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "region"
    simulate(out, SMALL)
    return out


@pytest.fixture(scope="module")
def case(region, tmp_path_factory) -> Workspace:
    ws = Workspace.init(tmp_path_factory.mktemp("sim") / "case")
    for path, mapping in expand(region):
        ingest(ws, path, mapping)
    return ws


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_source_file_ingests_without_quarantine(region, case):
    con = duckdb.connect(str(case.db_path), read_only=True)
    sources = con.execute(
        "SELECT source_id, rows_read, rows_loaded, rows_quarantined FROM sources"
    ).fetchall()
    assert len(sources) >= 12
    for source_id, read, loaded, quarantined in sources:
        assert read > 0 and read == loaded and quarantined == 0, source_id
    assert (
        con.execute("SELECT count(*) FROM value_flags WHERE property <> 'phone'").fetchone()[0] == 0
    )
    con.close()


def test_every_scheme_is_planted_with_the_configured_count(region):
    truth = json.loads((region / "truth" / "networks.json").read_text())
    networks = truth["networks"]
    plan = SMALL.plan
    expected = max(
        plan["min_networks"],
        round(SMALL.count("companies") * plan["networks_per_1000_companies"] / 1000),
    )
    assert len(networks) == expected
    assert set(SCHEMES) <= {s for nw in networks for s in nw["schemes"]}
    for nw in networks:
        assert nw["companies"] and any(p["role"] == "victim" for p in nw["people"])
        assert nw["profit"]["total"] > 0


def test_the_profit_the_files_record_is_part_of_the_planted_profit(region):
    """Provider A's payslips state the hours paid, not the extra hours worked, and payments
    between banks that report nothing are in no file: the recorded profit is a part of the
    planted one, the same where nothing is hidden."""
    profits = [
        nw["profit"]
        for nw in json.loads((region / "truth" / "networks.json").read_text())["networks"]
    ]
    for p in profits:
        for part in ("unpaid_wages", "confiscated", "fees", "total"):
            assert 0 <= p[f"{part}_recorded"] <= p[part] + 0.01, part
        assert p["total_recorded"] == pytest.approx(
            p["unpaid_wages_recorded"]
            + p["deductions"]
            + p["confiscated_recorded"]
            + p["fees_recorded"]
        )
    assert any(p["unpaid_wages_recorded"] < p["unpaid_wages"] - 1 for p in profits)
    assert any(p["total_recorded"] > 0.5 * p["total"] for p in profits)


def test_ordinary_pay_is_lawful_and_companies_look_like_a_register(region):
    labels = {r["kvk"]: r for r in _csv(region / "truth" / "labels_companies.csv")}
    con = duckdb.connect()
    minimum = {15: 4.10, 16: 4.72, 17: 5.40, 18: 6.84, 19: 8.21, 20: 10.94, 21: 13.68}
    slips = con.execute(f"""
        SELECT werkgever_kvk, replace(uurloon, ',', '.')::DOUBLE AS rate,
               date_diff('year', strptime(geboortedatum, '%d-%m-%Y'), DATE '2024-07-01') AS age
        FROM read_csv('{region}/payroll/loonadministratie_a.csv', delim=';', all_varchar=true,
                      encoding='latin-1')
        WHERE geboortedatum IS NOT NULL""").fetchall()
    ordinary = [(rate, age) for kvk, rate, age in slips if labels[kvk]["label"] == "0"]
    assert ordinary and all(rate >= minimum[min(21, max(15, age))] for rate, age in ordinary)
    planted = [(rate, age) for kvk, rate, age in slips if labels[kvk]["label"] == "1"]
    assert any(rate < minimum[min(21, max(15, age))] for rate, age in planted)
    companies = _csv(region / "truth" / "labels_companies.csv")
    register = con.execute(f"""SELECT count(*) FILTER (WHERE datum_opheffing IS NOT NULL)
        / count(*) FROM read_csv('{region}/register/kvk_companies.csv', delim=';',
                                 all_varchar=true)""").fetchone()[0]
    assert 0.08 <= register <= 0.30
    assert len({c["kvk"] for c in companies}) == len(companies)


def test_workers_are_diverse_with_minors_and_children(region):
    people = _csv(region / "truth" / "labels_persons.csv")
    workers = [p for p in people if p["role"] in ("worker", "victim", "look_alike")]
    nats = {p["nat"] for p in workers}
    assert len(nats) >= 6
    ages = [2024 - int(p["birth"][:4]) for p in workers]
    assert any(15 <= a < 18 for a in ages)
    assert any(p["child"] == "1" for p in people)
    assert sum(p["victim"] == "1" for p in people) < 0.1 * len(workers)


def test_look_alikes_are_labelled_legitimate(region):
    companies = _csv(region / "truth" / "labels_companies.csv")
    kinds = {c["look_alike"] for c in companies if c["look_alike"]}
    assert {"seasonal_farm_housing", "payroll_card_provider"} <= kinds
    assert all(c["label"] == "0" for c in companies if c["look_alike"])


def test_answer_key_resolves_to_ingested_entities(region, case):
    con = duckdb.connect(str(case.db_path), read_only=True)
    kvks = {r[0] for r in con.execute("SELECT registrationNumber FROM company").fetchall()}
    planted = [c for c in _csv(region / "truth" / "labels_companies.csv") if c["label"] == "1"]
    assert planted and all(c["kvk"] in kvks for c in planted)
    ibans = {r[0] for r in con.execute("SELECT iban FROM bank_account").fetchall()}
    controllers = [
        a for a in _csv(region / "truth" / "labels_accounts.csv") if a["role"] == "controller"
    ]
    assert controllers and sum(a["iban"] in ibans for a in controllers) >= len(controllers) // 2
    # Every answer-key record points at a row that was ingested from that file and line.
    records = _csv(region / "truth" / "records.csv")
    con.execute(
        "CREATE TEMP TABLE truth AS SELECT * FROM read_csv(?)",
        [str(region / "truth" / "records.csv")],
    )
    missing = con.execute("""
        SELECT count(*) FROM truth t WHERE kind = 'person' AND NOT EXISTS (
            SELECT 1 FROM person p WHERE p.source_row = t.line
              AND p.source_id = regexp_extract(t.file, '[^/]+$'))
          AND NOT EXISTS (SELECT 1 FROM wage_payment w WHERE w.source_row = t.line
              AND w.source_id = regexp_extract(t.file, '[^/]+$'))
          AND NOT EXISTS (SELECT 1 FROM employment e WHERE e.source_row = t.line
              AND e.source_id = regexp_extract(t.file, '[^/]+$'))
          AND NOT EXISTS (SELECT 1 FROM directorship d WHERE d.source_row = t.line
              AND d.source_id = regexp_extract(t.file, '[^/]+$'))
          AND NOT EXISTS (SELECT 1 FROM residence r WHERE r.source_row = t.line
              AND r.source_id = regexp_extract(t.file, '[^/]+$'))
          AND NOT EXISTS (SELECT 1 FROM address a WHERE a.source_row = t.line
              AND a.source_id = regexp_extract(t.file, '[^/]+$'))""").fetchone()[0]
    assert records and missing == 0
    con.close()


def test_same_seed_same_bytes_other_seed_other_world(tmp_path):
    tiny = Settings(size="S", seed=3, scale=0.08)
    simulate(tmp_path / "a", tiny)
    simulate(tmp_path / "b", tiny)
    simulate(tmp_path / "c", Settings(size="S", seed=4, scale=0.08))
    a, b, c = (_digest(tmp_path / x) for x in "abc")
    assert a == b
    assert a["register/kvk_companies.csv"] != c["register/kvk_companies.csv"]


def test_exercise_mode_keeps_the_answer_key_apart(tmp_path):
    sim = simulate(tmp_path / "exercise", Settings(size="S", seed=5, scale=0.08), exercise=True)
    assert (tmp_path / "exercise" / "BRIEFING.md").is_file()
    assert not (tmp_path / "exercise" / "truth").exists()
    assert sim.answer_key == tmp_path / "exercise-answer-key"
    assert (sim.answer_key / "networks.json").is_file()
    assert "answer" not in (tmp_path / "exercise" / "BRIEFING.md").read_text().lower()


def test_refuses_to_overwrite(tmp_path):
    from invert.errors import InvertError

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("keep me")
    with pytest.raises(InvertError, match="not empty"):
        simulate(tmp_path / "full", Settings(scale=0.08))
    assert (tmp_path / "full" / "x").read_text() == "keep me"
