"""The pages as an analyst, an inspector and an administrator use them: lead lists and their
filters, the entity profile, search, case files with outcomes, exports and the audit trail."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from web.webcase import IBAN, PASSWORD, login, session_csrf

from invert.cli.serve import first_admin
from invert.security import audit, users
from invert.web.app import create_app
from invert.web.settings import Settings


def _audit(client) -> list[audit.Entry]:
    with client.app.state.invert.db.cursor() as con:
        return audit.entries(con)


def test_lead_lists_filter_and_page(case):
    settings = Settings(case_dir=case.path, page_size=1)
    with TestClient(create_app(case.path, settings)) as client:
        _lead_lists(client)


def _lead_lists(client) -> None:
    login(client, "analyst")
    page = client.get("/leads/person")
    assert page.status_code == 200 and "2 matching" in page.text and "page 1 of 2" in page.text
    assert "page 2 of 2" in client.get("/leads/person?page=2").text
    only = client.get("/leads/person?indicator=wk_total_dependency&min_p=0.01").text
    assert "wk_total_dependency" in only
    none = client.get("/leads/person?min_p=0.99").text
    assert "0 matching" in none and "No person lead matches" in none
    assert client.get("/leads/company?sector=Z99").text.count("/entity/") == 0
    assert client.get("/leads/nothing").status_code == 404


def test_entity_profile_shows_identity_sources_indicators_and_relations(client, case):
    login(client, "analyst")
    page = client.get(f"/entity/{case.person}").text
    assert "payroll.csv" in page and "Source records" in page
    assert "wk_pay_to_foreign_or_shared_iban" in page and "min_workers = 2" in page
    assert "strength" in page and "weight" in page and "evidence row" in page
    assert "Related entities" in page and f"/entity/{case.company}" in page
    assert "Greenhouses at the harbour" in page, "the case files it is in"
    company = client.get(f"/entity/{case.company}").text
    assert "co_pays_into_shared_accounts" in company
    assert client.get("/entity/person-nobody").status_code == 404


def test_viewing_a_person_and_searching_are_audited_and_the_chain_holds(client, case):
    login(client, "inspector")
    before = len(_audit(client))
    client.get(f"/entity/{case.person}")
    found = client.get("/search", params={"q": "NL91 ABNA 0417"})
    assert f"/entity/{case.person}" in found.text, "a spaced IBAN finds the worker paid into it"
    rows = _audit(client)[before:]
    assert [(r.user, r.action) for r in rows] == [
        ("inspector", "view_person"),
        ("inspector", "search"),
    ]
    assert rows[0].subject == case.person and rows[1].detail["query"] == "NL91 ABNA 0417"
    with client.app.state.invert.db.cursor() as con:
        assert audit.verify(con).intact


def test_search_finds_names_phones_and_refuses_short_terms(client, case):
    login(client, "prosecutor")
    assert f"/entity/{case.person}" in client.get("/search?q=ionescu").text
    assert "/entity/person-" in client.get("/search?q=0721 234 568").text
    short = client.get("/search?q=io")
    assert "at least 3 characters" in short.text and "/entity/" not in short.text


def test_export_is_audited_and_pseudonym_free_for_who_sees_identities(client):
    login(client, "analyst")
    response = client.get("/leads/person/export")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.headers["content-type"].startswith("text/csv") and len(rows) == 2
    assert any(IBAN in r["reasons"] for r in rows)
    last = _audit(client)[-1]
    assert (last.action, last.subject, last.detail["rows"]) == ("export_report", "person", 2)


def test_case_file_lifecycle(client, case):
    login(client, "analyst")
    token = session_csrf(client)
    created = client.post("/cases", data={"title": "Second file", "csrf": token})
    assert created.status_code == 200 and "Second file" in created.text
    case_id = re.search(r"/cases/(\d+)/status", created.text).group(1)
    client.post(f"/cases/{case_id}/entities", data={"entity_id": case.company, "csrf": token})
    client.post(f"/cases/{case_id}/status", data={"status": "referred", "csrf": token})
    page = client.post(f"/cases/{case_id}/notes", data={"body": "Dwelling full.", "csrf": token})
    assert f"/entity/{case.company}" in page.text and "referred" in page.text
    assert "Dwelling full." in page.text
    bad = client.post(f"/cases/{case_id}/status", data={"status": "lost", "csrf": token})
    assert bad.status_code == 400 and "choose one of" in bad.text


def test_an_outcome_recorded_in_a_case_file_is_a_label_for_learning(client, case):
    login(client, "inspector")
    response = client.post(
        "/cases/1/outcomes",
        data={
            "entity_id": case.person,
            "result": "confirmed",
            "day": "2026-11-20",
            "csrf": session_csrf(client),
        },
    )
    assert response.status_code == 200 and "confirmed" in response.text
    with client.app.state.invert.db.cursor(resolved=True) as con:
        # What invert.scoring.learn reads: outcome rows with a confirmed or not_found result.
        labels = con.execute(
            "SELECT subject, result, authority, source_id FROM outcome "
            "WHERE result IN ('confirmed', 'not_found')"
        ).fetchall()
    assert labels == [(case.person, "confirmed", "inspector", "case-file:1")]
    refused = client.post(
        "/cases/1/outcomes",
        data={"entity_id": case.company, "result": "confirmed", "csrf": session_csrf(client)},
    )
    assert refused.status_code == 400 and "add the entity to this case file" in refused.text


def test_audit_page_shows_the_chain_to_the_admin(client):
    login(client, "admin")
    page = client.get("/audit").text
    assert "The chain is intact" in page and "login" in page


def test_serve_creates_the_first_admin_once(ws):
    password = first_admin(ws.path)
    assert password and first_admin(ws.path) is None
    with ws.connect() as con:
        assert users.authenticate(con, "admin", password).role == "admin"
        assert users.authenticate(con, "admin", PASSWORD) is None


def test_htmx_filters_and_pages_the_lead_list_without_a_reload(case):
    with TestClient(create_app(case.path, Settings(case_dir=case.path, page_size=1))) as client:
        _htmx(client)


def _htmx(client: TestClient) -> None:
    login(client, "analyst")
    page = client.get("/leads/person").text
    assert '<script src="/vendor/htmx.min.js"></script>' in page
    assert 'hx-get="/leads/person" hx-target="#lead-results"' in page
    assert '<div id="lead-results"' in page
    part = client.get("/leads/person?page=2", headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert "<html" not in part.text and "<form" not in part.text
    assert "page 2 of 2" in part.text and "matching" in part.text
    assert 'hx-get="/leads/person?' in part.text and "page=1" in part.text
    restore = client.get(
        "/leads/person?page=2",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.text
    with client.app.state.invert.db.cursor() as con:
        rows = [e for e in audit.entries(con) if e.action == "view_leads"]
    assert [r.detail["page"] for r in rows[-3:]] == [1, 2, 2]
