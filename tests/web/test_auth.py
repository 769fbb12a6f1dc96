"""Logging in and out, the session cookie's flags, the key behind it, and a disabled user."""

from __future__ import annotations

import stat

from fastapi.testclient import TestClient
from web.webcase import PASSWORD, login, login_csrf, session_csrf

from invert.security import audit, users
from invert.web.app import create_app
from invert.web.secret import SECRET_FILE
from invert.web.settings import Settings


def test_login_with_the_right_password_opens_the_pages(client):
    assert client.get("/leads/company", follow_redirects=False).status_code == 303
    login(client, "analyst")
    page = client.get("/leads/company")
    assert page.status_code == 200 and "analyst (analyst)" in page.text


def test_a_wrong_password_or_unknown_name_is_refused_alike(client):
    for name, password in (("analyst", "not the password"), ("nobody", PASSWORD)):
        response = client.post(
            "/login",
            data={"username": name, "password": password, "csrf": login_csrf(client)},
            follow_redirects=False,
        )
        assert response.status_code == 401
        assert "Wrong name or password" in response.text
        assert client.get("/cases", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(client):
    login(client, "inspector")
    assert client.get("/cases").status_code == 200
    response = client.post("/logout", data={"csrf": session_csrf(client)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/cases", follow_redirects=False).status_code == 303


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(client):
    first = client.get("/cases", follow_redirects=False)
    assert first.headers["location"] == "/login?next=%2Fcases"
    for target, lands in (("/cases", "/cases"), ("https://evil.example/", "/"), ("//x.y", "/")):
        client.cookies.clear()
        response = client.post(
            "/login",
            data={
                "username": "admin",
                "password": PASSWORD,
                "next": target,
                "csrf": login_csrf(client),
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == lands


def test_session_cookie_is_httponly_samesite_strict_and_secure_when_asked(case):
    for secure in (False, True):
        settings = Settings(case_dir=case.path, secure_cookies=secure)
        base = "https://testserver" if secure else "http://testserver"
        with TestClient(create_app(case.path, settings), base_url=base) as client:
            response = client.post(
                "/login",
                data={"username": "admin", "password": PASSWORD, "csrf": login_csrf(client)},
                follow_redirects=False,
            )
            cookie = response.headers["set-cookie"].lower()
            assert "httponly" in cookie and "samesite=strict" in cookie
            assert ("; secure" in cookie) is secure


def test_the_key_lives_beside_the_database_readable_by_its_owner_only(case):
    key_file = case.path / SECRET_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text() not in (case.path / "invert.toml").read_text()


def test_pages_are_not_cached_or_framed(client):
    login(client, "admin")
    response = client.get("/cases")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"


def test_a_disabled_user_is_out_at_the_next_click(client):
    login(client, "analyst")
    with client.app.state.invert.db.cursor() as con:
        users.disable_user(con, "analyst")
    assert client.get("/cases", follow_redirects=False).status_code == 303


def test_logins_and_failed_logins_are_audited(client):
    login(client, "viewer")
    client.post(
        "/login",
        data={"username": "admin", "password": "wrong password!", "csrf": login_csrf(client)},
    )
    with client.app.state.invert.db.cursor() as con:
        actions = [(e.user, e.action) for e in audit.entries(con)]
    assert ("viewer", "login") in actions and ("anonymous", "login_failed") in actions
