"""A shared package holds the case's leads and ties with every identity replaced by a keyed
pseudonym: readable, free of names and numbers in clear, and linkable only with the same key."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import duckdb
import pytest
from share.scan import KEY, OTHER_KEY, needles, package_text, plain

from invert.errors import ShareError
from invert.share import Selection, share
from invert.share.keys import fingerprint
from invert.share.pseudonyms import entity_pseudonym, pseudonym
from invert.workspace import Workspace


def rows(package: Path, table: str, where: str = "true") -> list[dict]:
    con = duckdb.connect()
    cur = con.execute(f"SELECT * FROM read_parquet('{package / table}.parquet') WHERE {where}")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def identifiers(package: Path, kind: str) -> set[str]:
    return {r["pseudonym"] for r in rows(package, "identifiers", f"kind = '{kind}'")}


@pytest.fixture(scope="module")
def nl_package(nl_case: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("share") / "nl"
    share(Workspace.open(nl_case), out, KEY)
    return out


def test_package_is_written_and_readable(nl_package: Path) -> None:
    manifest = json.loads((nl_package / "manifest.json").read_text())
    assert manifest["invert_version"] and manifest["created_at"].endswith("Z")
    assert manifest["pseudonyms"]["key_fingerprint"] == fingerprint(KEY)
    assert {"leads", "persons", "companies", "accounts", "transactions", "identifiers"} <= set(
        manifest["tables"]
    )
    for name, info in manifest["tables"].items():
        assert len(rows(nl_package, name)) == info["rows"], name
    assert {r["list"] for r in rows(nl_package, "leads")} >= {"company", "person", "account"}
    persons = rows(nl_package, "persons")
    assert persons and all(p["person"].startswith("P-") for p in persons)
    assert 1994 in {p["birth_year"] for p in persons}  # the birth year stays, the date does not
    reasons = rows(nl_package, "leads", "list = 'company' AND rank = 1")[0]["reasons"]
    assert reasons and set(reasons[0]) == {"indicator", "contribution"}  # no value text
    transactions = rows(nl_package, "transactions")
    assert transactions and "purpose" not in transactions[0]
    assert all(t["payer"] is None or t["payer"].startswith("A-") for t in transactions)


def test_pseudonyms_are_hmacs_of_the_normalised_values(nl_case: Path, nl_package: Path) -> None:
    assert pseudonym(KEY, "name", "ion popescu") in identifiers(nl_package, "name")
    assert pseudonym(KEY, "iban", "NL91ABNA0417164300") in identifiers(nl_package, "iban")
    assert pseudonym(KEY, "phone", "+40721234567") in identifiers(nl_package, "phone")
    ids = Workspace.open(nl_case)
    with ids.connect(resolved=True) as con:
        popescu = con.execute("SELECT id FROM person WHERE name = 'Ion Popescu'").fetchone()[0]
    (row,) = rows(nl_package, "persons", f"person = '{entity_pseudonym(KEY, popescu)}'")
    assert row["name"] == pseudonym(KEY, "name", "ion popescu")


def assert_scan_sees_the_case(case: Path) -> None:
    """The scan would notice: the workspace's own tables, read the same way, leak plenty."""
    con = duckdb.connect(str(case / "workspace.duckdb"), read_only=True)
    try:
        text = plain(
            json.dumps(
                [
                    con.execute(f'SELECT * FROM "{t}"').fetchall()
                    for t in ("person", "bank_account", "address", "transaction")
                ],
                default=str,
                ensure_ascii=False,
            )
        )
    finally:
        con.close()
    for needle in ("ion popescu", "1994-03-02", "+40721234567", "nl91abna0417164300"):
        assert needle in text and needle in needles()
    assert "havenstraat 12" in text and "jurgen muller" in text


@pytest.mark.parametrize("zipped", [False, True])
def test_no_identity_in_clear(nl_case: Path, tmp_path: Path, zipped: bool) -> None:
    out = tmp_path / ("nl.zip" if zipped else "nl")
    share(Workspace.open(nl_case), out, KEY)
    text = package_text(out)
    leaks = sorted(n for n in needles() if n in text)
    assert not leaks
    assert_scan_sees_the_case(nl_case)
    assert "green harvest staffing" in text  # company names stay by default


def test_company_names_can_be_withheld(nl_case: Path, tmp_path: Path) -> None:
    share(Workspace.open(nl_case), tmp_path / "nl", KEY, company_names=False)
    text = package_text(tmp_path / "nl")
    assert "green harvest" not in text and "nl-80412345" not in text and "flexi hands" not in text
    assert "name" not in rows(tmp_path / "nl", "companies")[0]


def test_the_same_key_links_a_person_across_countries(
    nl_package: Path, ro_case: Path, tmp_path: Path
) -> None:
    share(Workspace.open(ro_case), tmp_path / "ro", KEY)
    for kind in ("name", "name-birth", "phone", "iban"):
        shared = identifiers(nl_package, kind) & identifiers(tmp_path / "ro", kind)
        assert shared, kind
    both = {
        r["pseudonym"] for r in rows(tmp_path / "ro", "identifiers", "kind = 'name'")
    } & identifiers(nl_package, "name")
    assert both == {pseudonym(KEY, "name", "ion popescu")}  # Vasilica Ionescu is not in NL
    ro = json.loads((tmp_path / "ro" / "manifest.json").read_text())
    nl = json.loads((nl_package / "manifest.json").read_text())
    assert ro["pseudonyms"]["key_fingerprint"] == nl["pseudonyms"]["key_fingerprint"]


def test_another_key_gives_other_pseudonyms(
    nl_case: Path, nl_package: Path, tmp_path: Path
) -> None:
    share(Workspace.open(nl_case), tmp_path / "other", OTHER_KEY)
    for kind in ("name", "phone", "iban", "address"):
        assert not identifiers(nl_package, kind) & identifiers(tmp_path / "other", kind), kind
    assert not {r["person"] for r in rows(nl_package, "persons")} & {
        r["person"] for r in rows(tmp_path / "other", "persons")
    }
    manifest = json.loads((tmp_path / "other" / "manifest.json").read_text())
    assert manifest["pseudonyms"]["key_fingerprint"] == fingerprint(OTHER_KEY) != fingerprint(KEY)


def test_the_key_never_leaves_memory(nl_case: Path, tmp_path: Path) -> None:
    share(Workspace.open(nl_case), tmp_path / "nl.zip", KEY)
    share(Workspace.open(nl_case), tmp_path / "nl", KEY)
    secret = KEY.decode()
    with zipfile.ZipFile(tmp_path / "nl.zip") as archive:
        for name in archive.namelist():
            assert KEY not in archive.read(name)
    for file in (tmp_path / "nl").iterdir():
        assert KEY not in file.read_bytes()
    assert plain(secret) not in package_text(tmp_path / "nl")
    for file in nl_case.rglob("*"):  # the workspace, its log and the record of the run
        if file.is_file():
            assert KEY not in file.read_bytes(), file
    ws = Workspace.open(nl_case)
    with ws.connect(read_only=True) as con:
        runs = con.execute("SELECT parameters::VARCHAR FROM runs WHERE stage = 'share'").fetchall()
    assert all(secret not in r[0] for r in runs)
    assert any(fingerprint(KEY) in r[0] for r in runs)


def test_top_leads_and_their_neighbourhood(nl_case: Path, nl_package: Path, tmp_path: Path) -> None:
    out = tmp_path / "top"
    share(Workspace.open(nl_case), out, KEY, Selection("company", top=1, hops=1))
    top = rows(nl_package, "leads", "list = 'company' AND rank = 1")[0]["subject"]
    leads = rows(out, "leads")
    assert top in {r["subject"] for r in leads if r["list"] == "company"}
    assert len([r for r in leads if r["list"] == "company"]) == 1
    nodes = {r["node"] for r in rows(out, "graph_nodes")}
    assert top in nodes and len(nodes) < len(rows(nl_package, "graph_nodes"))
    assert all(e["source"] in nodes and e["target"] in nodes for e in rows(out, "graph_edges"))
    assert {r["subject"] for r in leads} <= nodes
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["selection"] == {"list": "company", "top": 1, "entity": None, "hops": 1}


def test_one_entity_by_its_record_id(nl_case: Path, tmp_path: Path) -> None:
    ws = Workspace.open(nl_case)
    with ws.connect(read_only=True) as con:
        record = con.execute("SELECT id FROM person WHERE name = 'Ion Popescu'").fetchone()[0]
    share(ws, tmp_path / "one", KEY, Selection(entity=record, hops=0))
    (person,) = rows(tmp_path / "one", "persons")
    manifest = json.loads((tmp_path / "one" / "manifest.json").read_text())
    assert manifest["selection"]["entity"] == person["person"]
    assert record not in package_text(tmp_path / "one")


def test_refusals(nl_case: Path, tmp_path: Path) -> None:
    ws = Workspace.open(nl_case)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ShareError, match="not an empty folder"):
        share(ws, tmp_path / "full", KEY)
    with pytest.raises(ShareError, match="choose --list"):
        share(ws, tmp_path / "a", KEY, Selection("nonsense", top=3))
    with pytest.raises(ShareError, match="not a person, company"):
        share(ws, tmp_path / "b", KEY, Selection(entity="person-nobody"))
    with pytest.raises(ShareError, match="either --top or --entity"):
        share(ws, tmp_path / "c", KEY, Selection(top=1, entity="x"))
