"""The network stage on a hand-made workspace: two crews, a shared accountant's phone and a
utility's account that every worker pays."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import Case, crew_rows, query
from invert.cli import app
from invert.cli.common import console
from invert.network import build

CREWS = {"a": ("A1", "A2"), "b": ("B1",)}
WORKERS = 4


@pytest.fixture
def crews(tmp_path: Path) -> Case:
    case = Case(tmp_path / "case")
    case.add_tables(crew_rows(CREWS, WORKERS))
    return case


def _community(case: Case, node: str) -> int:
    return query(case.ws, "SELECT community FROM graph_membership WHERE node = ?", [node])[0][0]


def test_edges_follow_the_model_declarations(crews: Case) -> None:
    result = build(crews.ws, resolution=0.05, hub_degree=7)
    assert result.graph.edges["works for"] == 8
    assert result.graph.edges["directs"] == 3
    assert result.graph.edges["paid into"] == 8  # wage payments → the account with that IBAN
    assert result.graph.edges["lives at"] == 8  # a residence's dwelling → the address node
    assert result.graph.edges["owned by"] == 2
    paid = query(
        crews.ws,
        """SELECT count, amount, first_date::VARCHAR, last_date::VARCHAR FROM graph_edge
           WHERE source = 'acc-w-a0' AND target = 'acc-boss-a' AND type = 'paid'""",
    )
    assert paid == [(2, 2400.0, "2026-01-05", "2026-02-05")]  # aggregated per account pair
    phone = query(
        crews.ws,
        "SELECT kind, label FROM graph_node WHERE node = 'phone:+31201234567'",
    )
    assert phone == [("phone", "+31201234567")]
    sharing = query(crews.ws, "SELECT count(*) FROM graph_edge WHERE target = 'phone:+31201234567'")
    assert sharing == [(3,)]


def test_communities_separate_the_crews_and_leave_the_hub_out(crews: Case) -> None:
    result = build(crews.ws, resolution=0.05, hub_degree=7)
    assert result.communities.components == 1  # the phone and the utility join everything
    crew_a = {_community(crews, n) for n in ("A1", "A2", "boss-a", "w-a0", "w-a3", "acc-w-a1")}
    crew_b = {_community(crews, n) for n in ("B1", "boss-b", "w-b0", "w-b3", "acc-w-b2")}
    assert len(crew_a) == 1 and len(crew_b) == 1 and crew_a != crew_b
    assert _community(crews, "acc-utility") not in crew_a | crew_b
    degree = query(crews.ws, "SELECT degree FROM graph_membership WHERE node = 'acc-utility'")
    assert degree == [(8,)]


def test_a_low_density_threshold_joins_crews_tied_by_the_phone(crews: Case) -> None:
    build(crews.ws, resolution=0.0001, hub_degree=7)
    assert _community(crews, "A1") == _community(crews, "B1")


def test_rebuild_is_idempotent_and_follows_resolution(crews: Case) -> None:
    build(crews.ws, resolution=0.05, hub_degree=7)
    first = query(crews.ws, "SELECT * FROM graph_edge ORDER BY ALL")
    build(crews.ws, resolution=0.05, hub_degree=7)
    assert query(crews.ws, "SELECT * FROM graph_edge ORDER BY ALL") == first
    # resolution finds that two worker records are one person: one node from then on
    crews.resolve("person", **{"w-a0": "w-a0", "w-a1": "w-a0"})
    build(crews.ws, resolution=0.05, hub_degree=7)
    people = query(crews.ws, "SELECT node FROM graph_node WHERE node IN ('w-a0', 'w-a1')")
    assert people == [("w-a0",)]
    ties = query(crews.ws, "SELECT count(*) FROM graph_edge WHERE source = 'w-a0'")
    assert ties[0][0] >= 4  # both records' jobs, wages and homes
    runs = query(crews.ws, "SELECT count(*) FROM runs WHERE stage = 'network'")
    assert runs == [(3,)]


def test_bad_parameters_are_refused(crews: Case) -> None:
    with pytest.raises(ValueError, match="resolution"):
        build(crews.ws, resolution=0)
    with pytest.raises(ValueError, match="hub degree"):
        build(crews.ws, hub_degree=1)


def test_cli_builds_lists_and_shows(crews: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "width", 160)  # the community table is wide
    runner = CliRunner()
    case_dir = str(crews.ws.path)
    missing = runner.invoke(app, ["network", "show", case_dir, "A1"])
    assert missing.exit_code != 0 and "invert network build" in missing.output
    built = runner.invoke(
        app, ["network", "build", case_dir, "--resolution", "0.05", "--hub-degree", "7"]
    )
    assert built.exit_code == 0, built.output
    assert "works for" in built.output and "communities" in built.output
    listed = runner.invoke(app, ["network", "communities", case_dir, "--min-companies", "2"])
    assert listed.exit_code == 0, listed.output
    assert "Firm A" in listed.output and "Firm B1" not in listed.output
    assert "Boss A" in listed.output  # the crew's key player
    shown = runner.invoke(app, ["network", "show", case_dir, "boss-a"])
    assert shown.exit_code == 0, shown.output
    assert "directs" in shown.output and "Firm A2" in shown.output
    assert "key player: highest PageRank" in shown.output
    unknown = runner.invoke(app, ["network", "show", case_dir, "nobody"])
    assert unknown.exit_code != 0 and "not in the network" in unknown.output


def test_key_players_and_brokers_have_their_reasons(tmp_path: Path) -> None:
    case = Case(tmp_path / "three")
    case.add_tables(crew_rows({"a": ("A1",), "b": ("B1",), "c": ("C1",)}, WORKERS))
    # a recruiter who placed one worker with each crew's firm
    case.add("person", id="rec", name="Recruiter")
    for firm in ("A1", "B1", "C1"):
        case.add("employment", id=f"rec-{firm}", employee="rec", employer=firm)
    build(case.ws, resolution=0.05, hub_degree=7)
    roles = {
        (node, role): reason
        for node, role, reason in query(case.ws, "SELECT node, role, reason FROM graph_role")
    }
    crew_a = _community(case, "A1")
    assert ("boss-a", "key player") in roles
    assert roles[("boss-a", "key player")].endswith(f"people and firms of community {crew_a}")
    assert roles[("rec", "broker")].startswith("tied to 2 communities besides its own")
    assert not any(role == "broker" for node, role in roles if node.startswith("w-"))


def test_ads_join_the_network_through_the_contacts_found_in_their_text(crews: Case) -> None:
    import duckdb

    from invert.ads.tables import AD_TABLES

    phone = "+31201234567"  # the firms' accountant
    firm = "A1"
    crews.add("ad", id="ad1", platform="olx", kind="job", title="Work", employerName_key="firm a1")
    crews.add("ad", id="ad2", platform="olx", kind="job", title="Work")
    con = duckdb.connect(str(crews.ws.db_path))
    try:
        con.execute("UPDATE company SET name_key = lower(name)")
        con.execute(f"CREATE TABLE ad_contact ({AD_TABLES['ad_contact']})")
        con.execute(
            "INSERT INTO ad_contact (ad, kind, value, raw, obfuscated) VALUES "
            "('ad1', 'phone', ?, 'zero six ...', true), ('ad2', 'handle', 'telegram:@work', "
            "'@work', false), ('ad1', 'handle', 'telegram:@work', '@work', false)",
            [phone],
        )
    finally:
        con.close()
    result = build(crews.ws, resolution=0.05, hub_degree=7)
    assert result.graph.edges["has handle"] == 2 and result.graph.edges["names employer"] == 1
    edges = query(
        crews.ws,
        "SELECT source, target, type FROM graph_edge WHERE source_kind = 'ad' ORDER BY ALL",
    )
    assert edges == [
        ("ad1", firm, "names employer"),
        ("ad1", "handle:telegram:@work", "has handle"),
        ("ad1", f"phone:{phone}", "has phone"),
        ("ad2", "handle:telegram:@work", "has handle"),
    ]
    assert query(crews.ws, "SELECT label FROM graph_node WHERE kind = 'handle'") == [
        ("telegram:@work",)
    ]
