"""User management on the web: admins list, add, change, disable and grant; every change is
an audit row; the changed user feels it at the next click."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web.webcase import PASSWORD, login, session_csrf

from invert.security import audit, users


def _post(client: TestClient, path: str, **data: str):
    return client.post(path, data={**data, "csrf": session_csrf(client)}, follow_redirects=False)


def _changes(client: TestClient) -> list[audit.Entry]:
    with client.app.state.invert.db.cursor() as con:
        return [e for e in audit.entries(con) if e.action == "manage_users"]


def test_an_admin_adds_a_user_who_can_then_log_in(client):
    login(client, "admin")
    page = client.get("/users")
    assert page.status_code == 200 and "viewer-spare" in page.text
    made = _post(client, "/users", name="nadia", role="inspector")
    assert made.status_code == 200 and "shown this once only" in made.text
    password = made.text.split('id="new-password"')[1].split("<code>")[1].split("</code>")[0]
    assert _post(client, "/users", name="omar", role="viewer", password=PASSWORD).status_code == 200
    rows = _changes(client)
    assert [(r.subject, r.detail["change"], r.detail["role"]) for r in rows] == [
        ("nadia", "add", "inspector"),
        ("omar", "add", "viewer"),
    ]
    assert password not in str([r.detail for r in rows])
    assert _post(client, "/users", name="nadia", role="viewer").status_code == 400
    other = TestClient(client.app)
    login(other, "nadia", password)
    assert other.get("/cases").status_code == 403  # not granted this case yet


def test_role_disable_and_cases_take_effect_at_the_next_click(client, case):
    spare = TestClient(client.app)
    login(spare, "viewer-spare")
    assert spare.get("/cases").status_code == 403  # a viewer outside the case
    login(client, "admin")
    assert _post(client, "/users/viewer-spare/cases", case="harbour").status_code == 303
    assert spare.get("/cases").status_code == 200
    assert spare.get("/search?q=ionescu").status_code == 403  # viewers may not search
    assert _post(client, "/users/viewer-spare/role", role="inspector").status_code == 303
    assert spare.get("/search?q=ionescu").status_code == 200
    assert _post(client, "/users/viewer-spare/cases/remove", case="harbour").status_code == 303
    assert spare.get("/cases").status_code == 403
    assert _post(client, "/users/viewer-spare/disable").status_code == 303
    assert spare.get("/cases", follow_redirects=False).status_code == 303  # to the login form
    with client.app.state.invert.db.cursor() as con:
        assert users.get_user(con, "viewer-spare").disabled
        assert audit.verify(con).intact
    assert [(r.subject, r.detail["change"]) for r in _changes(client)] == [
        ("viewer-spare", "grant"),
        ("viewer-spare", "role"),
        ("viewer-spare", "withdraw"),
        ("viewer-spare", "disable"),
    ]


def test_an_admin_cannot_lock_themselves_out_and_others_cannot_manage(client):
    login(client, "admin")
    assert _post(client, "/users/admin/disable").status_code == 400
    assert _post(client, "/users/admin/role", role="viewer").status_code == 400
    assert _post(client, "/users/nobody/disable").status_code == 404
    analyst = TestClient(client.app)
    login(analyst, "analyst")
    assert analyst.get("/users").status_code == 403
    assert _post(analyst, "/users", name="sneaky", role="admin").status_code == 403
