"""An ingest is all or nothing, even when the process is killed part-way."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from helpers import snapshot
from invert.errors import InvertError
from invert.ingest import load
from invert.ingest.load import ingest
from invert.workspace import Workspace


def test_failure_while_writing_rolls_everything_back(ws, samples, monkeypatch):
    ingest(ws, samples / "register.csv", samples / "register.yml")
    before = snapshot(ws)
    real = load._count
    calls = {"n": 0}

    def failing(con, statement, *args):  # fail after some tables are already written
        calls["n"] += 1
        if calls["n"] == 5:  # two quarantine inserts, then the third entity table
            raise InvertError("disk full (simulated)")
        return real(con, statement, *args)

    monkeypatch.setattr(load, "_count", failing)
    with pytest.raises(InvertError, match="simulated"):
        ingest(ws, samples / "payroll.csv", samples / "payroll.yml")
    assert snapshot(ws) == before
    assert [p.name for p in ws.sources_dir.iterdir()] == [
        p.name for p in ws.sources_dir.iterdir() if "register" in p.name
    ]


def test_sigkill_mid_ingest_leaves_the_workspace_as_before(tmp_path):
    """Kill a real ingest of a large file in each phase; reopened, the workspace is as before."""
    path = tmp_path / "big.csv"
    mapping = tmp_path / "big.yml"
    mapping.write_text(
        textwrap.dedent("""
        name: big
        entities:
          worker:
            type: Person
            keys: [id]
            properties: {name: name, phone: phone, birthDate: born}
    """)
    )
    import duckdb

    duckdb.execute(f"""COPY (SELECT i AS id, 'Worker ' || i AS name, '+4072' || (1000000 + i % 999)
        AS phone, DATE '1980-01-01' + (i % 9000)::INT AS born FROM range(300000) t(i))
        TO '{path}' (HEADER)""")
    ws = Workspace.init(tmp_path / "case")
    code = textwrap.dedent(f"""
        from pathlib import Path
        from invert.workspace import Workspace
        from invert.ingest.load import ingest
        ingest(Workspace.open(Path({str(ws.path)!r})), Path({str(path)!r}), Path({str(mapping)!r}),
               progress=lambda step: print(step, flush=True))
    """)
    empty = snapshot(ws)
    # Kill at each phase of the transaction: reading, normalising, validating and writing.
    for phase in ("reading", "normalising", "validating", "writing"):
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(phase):
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL, f"the ingest ended before the kill at {phase}"
        assert snapshot(Workspace.open(ws.path)) == empty, f"killed while {phase}"
