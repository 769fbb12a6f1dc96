"""The command line, run as a user runs it: the installed `invert` script in a subprocess."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

INVERT = shutil.which("invert", path=str(Path(sys.executable).parent))


def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    assert INVERT, "the invert console script is not installed in this environment"
    proc = subprocess.run(
        [INVERT, *map(str, args)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert (proc.returncode == 0) is ok, proc.stdout + proc.stderr
    return proc


def test_init_ingest_sources_quarantine(tmp_path, samples):
    case = tmp_path / "case"
    assert "Created workspace" in run("init", case).stdout
    out = run("ingest", case, samples / "payroll.csv", "--mapping", samples / "payroll.yml").stdout
    assert "read 8 = loaded 5 + quarantined 3" in out
    out = run("ingest", case, samples / "statement.camt053.xml", samples / "str.goaml.xml").stdout
    assert "read 5 = loaded 4 + quarantined 1" in out and "read 3 = loaded 3 + quarantined 0" in out
    out = run("sources", case).stdout
    assert re.search(r"payroll\.csv .*csv .* 8 .* 5 .* 3", out)
    assert "goaml" in out and "camt053" in out
    lines = run("quarantine", case, "--source", "payroll.csv", "--json").stdout.splitlines()
    rejected = [json.loads(x) for x in lines]
    assert (rejected[0]["row"], rejected[0]["field"]) == (7, "geboortedatum")
    assert rejected[0]["raw"]["naam"] == "Ana Rusu"
    again = run("ingest", case, samples / "payroll.csv", "-m", samples / "payroll.yml").stdout
    assert "unchanged" in again


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sources", "{tmp}/nowhere"], "is not an INVERT workspace; create one with: invert init"),
        (["ingest", "{case}", "{samples}/register.csv"], "register.csv: not a bank statement"),
        (
            ["ingest", "{case}", "{tmp}/missing.csv", "-m", "{samples}/register.yml"],
            "missing.csv: no such file",
        ),
        (
            ["ingest", "{case}", "{samples}/register.csv", "-m", "{tmp}/none.yml"],
            "cannot read mapping",
        ),
        (["init", "{case}"], "already holds a workspace"),
    ],
)
def test_errors_are_one_clear_message_and_exit_1(tmp_path, samples, args, message):
    case = tmp_path / "case"
    run("init", case)
    subst = {"tmp": tmp_path, "case": case, "samples": samples}
    proc = run(*[a.format(**subst) for a in args], ok=False)
    assert proc.returncode == 1
    assert message in " ".join(proc.stderr.split())
    assert "Traceback" not in proc.stderr


def test_analyze_reports_hits_per_indicator(tmp_path, samples):
    case = tmp_path / "case"
    run("init", case)
    run("ingest", case, samples / "payroll.csv", "--mapping", samples / "payroll.yml")
    out = run("analyze", case).stdout
    assert re.search(r"wk_pay_to_foreign_or_shared_iban\s+│\s+2 ", out)
    assert "tx_salary_in_then_out" in out
