"""``invert users`` and ``invert audit`` as a user runs them: output, audit rows, exit codes."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from helpers import query
from invert.cli import app
from invert.workspace import Workspace

runner = CliRunner()


def test_users_commands_are_audited_and_audit_verify_exit_codes(tmp_path, monkeypatch):
    monkeypatch.setenv("LOGNAME", "clerk")
    case = str(tmp_path / "case")
    assert runner.invoke(app, ["init", case]).exit_code == 0

    out = runner.invoke(app, ["users", case, "add", "Ana", "--role", "analyst"])
    assert out.exit_code == 0, out.output
    password = re.search(r"shown only now\): (\S+)", out.output).group(1)
    assert len(password) >= 24
    for args in (
        ["add", "ivo", "--role", "inspector"],
        ["grant", "ivo"],
        ["role", "ana", "admin"],
        ["disable", "ivo"],
    ):
        out = runner.invoke(app, ["users", case, *args])
        assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["users", case, "list"])
    assert re.search(r"Ana .* admin .* active", out.output)
    assert re.search(r"ivo .* inspector .* disabled .* case", out.output)

    out = runner.invoke(app, ["users", case, "add", "bo", "--role", "boss"])
    assert out.exit_code == 1 and "choose from admin, analyst" in out.output
    out = runner.invoke(app, ["users", case, "disable", "nobody"])
    assert out.exit_code == 1 and "no user 'nobody'" in out.output

    ws = Workspace.open(tmp_path / "case")
    actions = query(ws, 'SELECT "user", action, subject FROM audit_log ORDER BY seq')
    assert actions == [
        ("clerk", "add_user", "Ana"),
        ("clerk", "add_user", "ivo"),
        ("clerk", "grant_case", "ivo"),
        ("clerk", "set_role", "ana"),
        ("clerk", "disable_user", "ivo"),
    ]
    assert password not in str(query(ws, "SELECT * FROM audit_log"))

    out = runner.invoke(app, ["audit", case, "verify"])
    assert out.exit_code == 0 and "intact: 5 rows" in out.output
    out = runner.invoke(app, ["audit", case, "show", "--user", "CLERK", "--last", "2"])
    assert out.exit_code == 0 and "set_role" in out.output and "grant_case" not in out.output

    with ws.connect() as con:
        con.execute("UPDATE audit_log SET subject = 'someone' WHERE seq = 2")
    out = runner.invoke(app, ["audit", case, "verify"])
    assert out.exit_code == 1 and "broken at row 2" in out.output


def test_audit_verify_on_a_fresh_workspace(tmp_path):
    case = str(tmp_path / "case")
    runner.invoke(app, ["init", case])
    out = runner.invoke(app, ["audit", case, "verify"])
    assert out.exit_code == 0 and "intact: empty" in out.output
    out = runner.invoke(app, ["audit", str(tmp_path / "nowhere"), "verify"])
    assert out.exit_code == 1 and "invert init" in out.output
