"""The network view's server side: the neighbourhood as JSON, pseudonymised for viewers and
audited, and the browser libraries served from node_modules by an allow-list."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from web.webcase import PERSON_NAMES, login

from invert.security import audit
from invert.web import vendor


def _graph(client, node: str, hops: int = 1) -> dict:
    response = client.get(f"/network.json?node={quote(node)}&hops={hops}")
    assert response.status_code == 200, response.text
    return response.json()


def test_the_neighbourhood_grows_with_hops_and_is_audited(client, case):
    login(client, "analyst")
    one, two = _graph(client, case.company), _graph(client, case.company, 2)
    ids = {n["id"] for n in one["nodes"]}
    assert case.company in ids and len(one["nodes"]) > 1
    assert ids < {n["id"] for n in two["nodes"]}
    for edge in one["edges"]:
        assert {edge["source"], edge["target"]} <= ids
    assert {"works for", "paid"} <= {e["type"] for e in one["edges"]}
    page = client.get(f"/network/{case.company}")
    assert page.status_code == 200 and "/vendor/cytoscape.min.js" in page.text
    with client.app.state.invert.db.cursor() as con:
        rows = [e for e in audit.entries(con) if e.action == "view_network"]
    assert [r.subject for r in rows[-3:]] == [case.company] * 3


def test_a_viewer_gets_pseudonyms_and_can_expand_them(client, case):
    login(client, "viewer")
    assert client.get(f"/network.json?node={quote(case.company)}").status_code == 404
    shown = case.shown("viewer", "company", case.company)
    data = _graph(client, shown)
    text = str(data)
    for name in PERSON_NAMES:
        assert name.lower() not in text.lower()
    person = next(n for n in data["nodes"] if n["kind"] == "person")
    assert person["id"].startswith("person·") and person["label"].startswith("name·")
    assert len(_graph(client, person["id"])["nodes"]) > 1, "a pseudonym is expanded too"


def test_an_unknown_node_or_too_many_hops_is_refused(client):
    login(client, "admin")
    assert client.get("/network.json?node=nobody").status_code == 404
    assert client.get("/network.json?node=x&hops=9").status_code == 422


def test_only_the_allowed_library_files_are_served_without_login(client):
    for name in vendor.FILES:
        response = client.get(f"/vendor/{name}")
        assert response.status_code == 200 and len(response.content) > 1000
    assert client.get("/vendor/package.json").status_code == 404
    assert client.get("/vendor/..%2Fpackage.json").status_code == 404


def test_a_missing_library_says_to_run_make_setup(client, tmp_path, monkeypatch):
    monkeypatch.setenv(vendor.NODE_MODULES_VARIABLE, str(tmp_path))
    response = client.get("/vendor/cytoscape.min.js")
    assert response.status_code == 503 and "make setup" in response.text
    assert len(vendor.missing()) == len(vendor.FILES)


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_the_profile_links_to_the_network(client, case, role):
    login(client, role)
    shown = case.shown(role, "company", case.company)
    assert f'href="/network/{shown}"' in client.get(f"/entity/{shown}").text
