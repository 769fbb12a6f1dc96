from __future__ import annotations

from typer.testing import CliRunner

from invert.cli import app

runner = CliRunner()


def test_money_commands_print_tables_and_clear_errors(book):
    for name in ("EMP", "W1", "W2", "BOSS"):
        book.acct(name)
    for w in ("W1", "W2"):
        book.pay("EMP", w, 0, 1500, purpose="SALARIS FEB")
        book.pay(w, "BOSS", 1, 1000)
    case = str(book.ws.path)
    out = runner.invoke(app, ["money", case, "flows"])
    assert out.exit_code == 0, out.output
    assert "wage_forward" in out.output
    out = runner.invoke(app, ["money", case, "patterns", "--pattern", "wage_forward"])
    assert out.exit_code == 0 and "BOSS" in out.output
    out = runner.invoke(app, ["money", case, "trace", "EMP", "--hops", "2"])
    assert out.exit_code == 0 and "BOSS" in out.output
    out = runner.invoke(app, ["money", case, "profit"])
    assert out.exit_code == 0, out.output
    out = runner.invoke(app, ["money", case, "trace", "nobody"])
    assert out.exit_code == 1 and "not an account" in out.output
    out = runner.invoke(app, ["money", case, "patterns", "--pattern", "smurfing"])
    assert out.exit_code == 1 and "unknown pattern" in out.output
