"""The catalogue itself: complete entries, runs configurable, users' own indicators."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from invert.errors import InvalidMapping
from invert.indicators.catalogue import RunConfig, load_catalogue

HERE = Path(__file__).parent


def test_every_indicator_has_a_description_a_source_and_a_test():
    tests: set[str] = set()
    for path in sorted(HERE.glob("test_*.py")):
        spec = importlib.util.spec_from_file_location(f"ind_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        tests |= {name for name in dir(module) if name.startswith("test_")}
    for ind in load_catalogue():
        assert len(ind.description) > 40, ind.id
        assert ind.sources and all(s.key and s.grade in "ABC" for s in ind.sources), ind.id
        assert f"test_{ind.id}" in tests, f"{ind.id} has no test_{ind.id}"
        assert "subject_id" in ind.query and "evidence" in ind.query, ind.id


def test_run_config_disables_and_changes_parameters(tmp_path, case):
    config = tmp_path / "run.toml"
    config.write_text(
        '[indicators]\ndisabled = ["co_short_lifespan"]\n'
        "[parameters.wk_excessive_deductions]\nshare = 0.10\n"
    )
    ids = {i.id for i in load_catalogue(RunConfig.load(config))}
    assert "co_short_lifespan" not in ids
    case.add("person", id="p", name="x", name_key="x")
    case.add("wage_payment", id="s", employee="p", gross=2000, deductions=300)
    assert case.hits("wk_excessive_deductions") == {}
    assert set(case.hits("wk_excessive_deductions", config)) == {"p"}


def test_users_add_their_own_indicator(tmp_path, case):
    own = tmp_path / "mine"
    (own / "catalogue").mkdir(parents=True)
    (own / "queries").mkdir()
    (own / "catalogue" / "local.yml").write_text("""
indicators:
  - id: local_cash_payroll
    subject: company
    title: Pays wages in cash
    description: The employer pays some wages in cash, which our inspectorate treats as a flag.
    sources: [{key: LOCAL-POLICY-2024, grade: C}]
    parameters: {min: 1}
    weight: 0.7
""")
    (own / "queries" / "local_cash_payroll.sql").write_text(
        "SELECT employer AS subject_id, 1.0 AS strength, 'cash wages' AS value, "
        "list({'tbl': 'wage_payment', 'id': id}) AS evidence FROM wage_payment "
        "WHERE payMethod = 'cash' GROUP BY employer HAVING count(*) >= $min"
    )
    config = tmp_path / "run.toml"
    config.write_text('[indicators]\ncatalogues = ["mine"]\n')
    case.add("wage_payment", id="s", employee="p", employer="c-cash", payMethod="cash")
    assert set(case.hits("local_cash_payroll", config)) == {"c-cash"}


def test_bad_configuration_names_the_problem(tmp_path):
    config = tmp_path / "run.toml"
    config.write_text(
        '[indicators]\ndisabled = ["no_such"]\n[parameters.wk_excessive_deductions]\nshares = 0.1\n'
    )
    with pytest.raises(InvalidMapping) as exc:
        load_catalogue(RunConfig.load(config))
    problems = "\n".join(exc.value.problems)
    assert "unknown indicator 'no_such'" in problems and "no parameter(s) shares" in problems


def test_an_unknown_engine_is_refused_before_anything_runs(ws):
    from invert.errors import InvertError
    from invert.indicators.run import analyze

    ws.config_path.write_text(
        ws.config_path.read_text().replace("[engine]", '[engine]\nname = "sparkk"')
    )
    with pytest.raises(InvertError, match=r"unknown engine 'sparkk'.*duckdb"):
        analyze(type(ws).open(ws.path))
    with ws.connect() as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
