"""The key: made at random, readable by its owner only, refused when short, never echoed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from share.scan import KEY
from typer.testing import CliRunner

from invert.cli import app
from invert.errors import ShareError
from invert.share import keys


def test_keygen_writes_a_private_random_key(tmp_path: Path) -> None:
    first, second = tmp_path / "one.key", tmp_path / "two.key"
    keys.generate(first)
    keys.generate(second)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert len(keys.load(first)) == 64 and keys.load(first) != keys.load(second)
    with pytest.raises(ShareError, match="already exists"):
        keys.generate(first)


def test_short_keys_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    short = tmp_path / "short.key"
    short.write_text("only-31-bytes-long-not-enough!!\n")
    with pytest.raises(ShareError, match="at least 32"):
        keys.load(short)
    monkeypatch.setenv(keys.ENV_VAR, "tiny")
    with pytest.raises(ShareError, match="at least 32"):
        keys.load(None)
    monkeypatch.setenv(keys.ENV_VAR, KEY.decode())
    assert keys.load(None) == KEY
    monkeypatch.delenv(keys.ENV_VAR)
    with pytest.raises(ShareError, match="--key-file"):
        keys.load(None)


def test_command_line(nl_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keys.ENV_VAR, raising=False)
    runner = CliRunner()
    key = tmp_path / "case.key"
    made = runner.invoke(app, ["share", "keygen", str(key)])
    assert made.exit_code == 0 and keys.fingerprint(keys.load(key)) in made.output
    out = tmp_path / "package.zip"
    done = runner.invoke(
        app, ["share", str(nl_case), str(out), "--key-file", str(key), "--top", "2"]
    )
    assert done.exit_code == 0, done.output
    assert out.is_file() and keys.fingerprint(keys.load(key)) in done.output
    (tmp_path / "short.key").write_text("x" * 10)
    refused = runner.invoke(
        app, ["share", str(nl_case), str(tmp_path / "p"), "--key-file", str(tmp_path / "short.key")]
    )
    assert refused.exit_code == 1 and "at least 32" in refused.output
    assert not (tmp_path / "p").exists()
