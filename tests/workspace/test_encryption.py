"""Encryption at rest: an encrypted workspace runs the pipeline, and its file gives nothing away
without the key."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from invert.errors import WorkspaceError
from invert.workspace import Workspace

INVERT = shutil.which("invert", path=str(Path(sys.executable).parent))
KEY = "a-test-key-that-is-long-enough-0123456789"
# Values of the sample payroll file that must not be readable in the database file.
SECRETS = ["Popescu", "Ionescu", "NL91ABNA0417164300", "Havenstraat", "721 234 567"]


def run(*args: object, key: str | None = KEY, key_file: Path | None = None, ok: bool = True):
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
    if key is not None:
        env["INVERT_WORKSPACE_KEY"] = key
    if key_file is not None:
        env["INVERT_WORKSPACE_KEY_FILE"] = str(key_file)
    proc = subprocess.run([INVERT, *map(str, args)], capture_output=True, text=True, env=env)
    assert (proc.returncode == 0) is ok, proc.stdout + proc.stderr
    return proc


@pytest.fixture
def encrypted(tmp_path: Path, samples: Path) -> Path:
    case = tmp_path / "case"
    assert "encrypted workspace" in run("init", case, "--encrypt").stdout
    run("ingest", case, samples / "payroll.csv", "--mapping", samples / "payroll.yml")
    run("ingest", case, samples / "register.csv", "--mapping", samples / "register.yml")
    return case


def test_pipeline_runs_and_the_file_shows_no_personal_data(
    encrypted: Path, samples: Path, tmp_path: Path
):
    plain = tmp_path / "plain"  # the same data unencrypted: the values are there to be read
    run("init", plain, key=None)
    run("ingest", plain, samples / "payroll.csv", "--mapping", samples / "payroll.yml", key=None)
    readable = (plain / "workspace.duckdb").read_bytes()
    assert all(secret.encode() in readable for secret in SECRETS)
    run("analyze", encrypted)
    leads = run("leads", encrypted, "--subject", "person", "--top", "5").stdout
    assert "POPESCU" in leads.upper() or "IONESCU" in leads.upper()
    raw = (encrypted / "workspace.duckdb").read_bytes()
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
    assert not any((encrypted / "sources").iterdir()), "no clear copy of a source file is kept"


def test_without_the_key_or_with_another_the_workspace_stays_shut(encrypted: Path):
    out = run("leads", encrypted, key=None, ok=False)
    assert "INVERT_WORKSPACE_KEY" in out.stdout + out.stderr
    out = run("leads", encrypted, key="another-key-that-is-long-enough-987654", ok=False)
    assert "wrong workspace key" in out.stdout + out.stderr
    with pytest.raises(duckdb.Error, match="encrypted"):
        duckdb.connect(str(encrypted / "workspace.duckdb"), read_only=True)


def test_the_key_can_come_from_a_file(encrypted: Path, tmp_path: Path):
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    out = run("sources", encrypted, key=None, key_file=key_file).stdout
    assert "payroll.csv" in out and "register.csv" in out


def test_short_or_missing_keys_are_refused_before_anything_is_written(tmp_path: Path):
    out = run("init", tmp_path / "a", "--encrypt", key=None, ok=False)
    assert "INVERT_WORKSPACE_KEY" in out.stdout + out.stderr
    out = run("init", tmp_path / "b", "--encrypt", key="short", ok=False)
    assert "at least 32" in out.stdout + out.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_an_encrypted_file_under_a_plain_configuration_is_named(encrypted: Path, monkeypatch):
    config = encrypted / "invert.toml"
    config.write_text(config.read_text().split("[security]")[0], encoding="utf-8")
    monkeypatch.setenv("INVERT_WORKSPACE_KEY", KEY)
    with pytest.raises(WorkspaceError, match=r"encrypted but .*invert\.toml does not say so"):
        Workspace.open(encrypted)
