"""Personal data that leaves the workspace from the command line leaves a trace in the audit
log: evidence packs, shared packages and network exports, each under the account that ran it."""

from __future__ import annotations

import getpass
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from invert.security import audit
from invert.workspace import Workspace

INVERT = shutil.which("invert", path=str(Path(sys.executable).parent))


def run(*args: object) -> str:
    proc = subprocess.run(
        [INVERT, *map(str, args)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_report_share_and_export_are_logged(tmp_path: Path, samples: Path) -> None:
    case = tmp_path / "case"
    run("init", case)
    run("ingest", case, samples / "payroll.csv", "--mapping", samples / "payroll.yml")
    run("analyze", case)
    run("network", "build", case)
    with duckdb.connect(str(case / "workspace.duckdb"), read_only=True) as con:
        lead = con.execute(
            "SELECT subject_id FROM score WHERE list = 'person' ORDER BY score DESC LIMIT 1"
        ).fetchone()[0]
    run("report", case, lead, "--format", "html", "--out", tmp_path / "packs")
    run("share", "keygen", tmp_path / "key")
    run("share", "create", case, tmp_path / "package", "--key-file", tmp_path / "key")
    run("export", case, "--format", "graphml", "--out", tmp_path / "graph.graphml")

    with Workspace.open(case).connect() as con:
        rows = audit.entries(con)
        assert audit.verify(con).intact
    logged = [(e.action, e.subject) for e in rows]
    assert ("export_report", lead) in logged
    assert any(action == "share_package" for action, _ in logged)
    assert sum(action == "export_report" for action, _ in logged) == 2
    assert {e.user for e in rows} == {getpass.getuser()}
    assert any("graph.graphml" in str(e.detail) for e in rows)
