"""Who reaches what: no route without a login, the authorisation matrix (every route × every
role × member or not of the case) against an explicit table, and CSRF on every POST."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web.webcase import ROLES, Case, login, outsider, session_csrf

from invert.web.app import create_app

PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/vendor/{name}")}


def routes(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(method, path) of every route the app serves, however routers are nested."""
    found: set[tuple[str, str]] = set()

    def walk(items) -> None:  # type: ignore[no-untyped-def]
        for route in items:
            if isinstance(route, APIRoute):
                found.update((m, route.path) for m in route.methods)
            elif hasattr(route, "original_router"):
                walk(route.original_router.routes)
            elif hasattr(route, "routes") and getattr(route, "path", "") != "/static":
                walk(route.routes)

    walk(app.routes)
    return found


ADMIN, ANALYST, INSPECTOR, PROSECUTOR, VIEWER = ROLES
EVERYONE = set(ROLES)
# Who may use each route as a member of the case. Outside it only admin and analyst (their
# roles open every case) may use anything but logout.
EXPECTED = {
    ("GET", "/"): EVERYONE,
    ("GET", "/leads/{name}"): EVERYONE,
    ("GET", "/leads/{name}/export"): {ADMIN, ANALYST, INSPECTOR, PROSECUTOR},
    ("GET", "/entity/{shown_id}"): EVERYONE,
    ("GET", "/network/{shown_id}"): EVERYONE,
    ("GET", "/network.json"): EVERYONE,
    ("GET", "/money/{shown_id}"): EVERYONE,
    ("GET", "/money/flows"): EVERYONE,
    ("GET", "/networks/{network}"): EVERYONE,
    ("GET", "/networks/{network}/evidence/{component}"): EVERYONE,
    ("GET", "/search"): {ADMIN, ANALYST, INSPECTOR, PROSECUTOR},
    ("GET", "/cases"): EVERYONE,
    ("POST", "/cases"): {ADMIN, ANALYST},
    ("GET", "/cases/{case_id}"): EVERYONE,
    ("POST", "/cases/{case_id}/entities"): {ADMIN, ANALYST},
    ("POST", "/cases/{case_id}/status"): {ADMIN, ANALYST},
    ("POST", "/cases/{case_id}/notes"): {ADMIN, ANALYST, INSPECTOR, PROSECUTOR},
    ("POST", "/cases/{case_id}/outcomes"): {ADMIN, ANALYST, INSPECTOR, PROSECUTOR},
    ("GET", "/audit"): {ADMIN},
    ("GET", "/users"): {ADMIN},
    ("POST", "/users"): {ADMIN},
    ("POST", "/users/{name}/role"): {ADMIN},
    ("POST", "/users/{name}/disable"): {ADMIN},
    ("POST", "/users/{name}/cases"): {ADMIN},
    ("POST", "/users/{name}/cases/remove"): {ADMIN},
    ("POST", "/logout"): EVERYONE,  # any logged-in user, member or not
}
ALL_CASES = {ADMIN, ANALYST}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    data: dict[str, str] | None = None


def call(route: tuple[str, str], role: str, case: Case) -> Call:
    """A concrete, valid request for the route, as the role's own pages would make it."""
    person = case.shown(role, "person", case.person)
    company = case.shown(role, "company", case.company)
    method, path = route
    concrete = {
        "/leads/{name}": "/leads/person",
        "/leads/{name}/export": "/leads/company/export",
        "/entity/{shown_id}": f"/entity/{person}",
        "/network/{shown_id}": f"/network/{company}",
        "/network.json": f"/network.json?node={quote(company)}",
        "/money/{shown_id}": f"/money/{person}",
        "/money/flows": "/money/flows?min_amount=10",
        "/networks/{network}": "/networks/community-0",
        "/networks/{network}/evidence/{component}": "/networks/community-0/evidence/total",
        "/search": "/search?q=ionescu",
    }
    data = {
        "/cases": {"title": "New file"},
        "/cases/{case_id}/entities": {"entity_id": case.shown(role, "company", case.company)},
        "/cases/{case_id}/status": {"status": "referred"},
        "/cases/{case_id}/notes": {"body": "Visited on Monday."},
        "/cases/{case_id}/outcomes": {"entity_id": person, "result": "confirmed"},
        "/users": {"name": "newcomer", "role": "viewer"},
        "/users/{name}/role": {"role": "prosecutor"},
        "/users/{name}/cases": {"case": "another-case"},
        "/users/{name}/cases/remove": {"case": "another-case"},
    }
    # User changes go to a user no session of these tests logs in as.
    target = concrete.get(path, path.replace("{case_id}", "1").replace("{name}", "viewer-spare"))
    return Call(method, target, data.get(path, {}) if method == "POST" else None)


def test_every_route_is_in_the_table(client):
    assert routes(client.app) - PUBLIC == set(EXPECTED)


def test_no_route_is_reachable_without_login(client, case):
    for route in sorted(routes(client.app) - PUBLIC):
        c = call(route, "admin", case)
        response = client.request(c.method, c.path, data=c.data, follow_redirects=False)
        if c.method == "GET":
            assert response.status_code == 303, route
            assert response.headers["location"].startswith("/login?next="), route
        else:
            assert response.status_code in (401, 403), route


@pytest.mark.parametrize("is_member", [True, False], ids=["member", "outsider"])
@pytest.mark.parametrize("role", ROLES)
def test_authorisation_matrix(case, role, is_member):
    found, expected = {}, {}
    with TestClient(create_app(case.path)) as client:
        login(client, role if is_member else outsider(role))
        token = session_csrf(client)
        # Logout last: it ends the session the other requests need.
        for route in sorted(EXPECTED, key=lambda r: r == ("POST", "/logout")):
            c = call(route, role, case)
            data = {**c.data, "csrf": token} if c.data is not None else None
            response = client.request(c.method, c.path, data=data, follow_redirects=False)
            assert response.status_code in (200, 303, 403), (route, response.status_code)
            if response.status_code == 303:
                assert not response.headers["location"].startswith("/login?"), route
            found[route] = response.status_code != 403
            opens_case = is_member or role in ALL_CASES or route == ("POST", "/logout")
            expected[route] = opens_case and role in EXPECTED[route]
    assert found == expected


@pytest.mark.parametrize("token", [None, "forged-token"], ids=["missing", "wrong"])
def test_every_post_refuses_a_missing_or_wrong_csrf_token(client, case, token):
    login(client, "admin")
    for route in sorted(r for r in routes(client.app) if r[0] == "POST"):
        c = call(route, "admin", case)
        data = dict(c.data or {})
        if route == ("POST", "/login"):
            data = {"username": "admin", "password": "a long test password"}
        if token:
            data["csrf"] = token
        response = client.post(c.path, data=data, follow_redirects=False)
        assert response.status_code == 403, route
    assert client.get("/cases").status_code == 200, "the session survives refused posts"
