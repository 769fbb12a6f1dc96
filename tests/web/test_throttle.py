"""Limits on repeated failed logins: per user name and per client address, with an audit row
for every refusal."""

from __future__ import annotations

from web.webcase import PASSWORD, login_csrf

from invert.security import audit
from invert.web.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _try(client, name: str, password: str):
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf": login_csrf(client)},
        follow_redirects=False,
    )


def test_five_failures_lock_the_name_even_for_the_right_password(client):
    for _ in range(5):
        assert _try(client, "analyst", "not the password").status_code == 401
    refused = _try(client, "analyst", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.text and "15 more minute" in refused.text
    assert client.get("/cases", follow_redirects=False).status_code == 303
    with client.app.state.invert.db.cursor() as con:
        rows = audit.entries(con)
        assert audit.verify(con).intact
    assert [r.action for r in rows[-6:]] == ["login_failed"] * 5 + ["login_locked"]
    assert rows[-1].user == "anonymous" and rows[-1].subject == "analyst"
    assert rows[-1].detail["locked"] == "user" and rows[-1].detail["via"] == "web"


def test_the_lock_is_per_name_and_per_address_and_ends():
    clock = Clock()
    throttle = LoginThrottle(max_failures=5, window=900, lock=900, clock=clock)
    for _ in range(4):
        throttle.failed("ana", "10.0.0.1")
    assert throttle.locked("ana", "10.0.0.1") is None
    throttle.failed("ANA ", "10.0.0.2")  # the same name, from elsewhere
    assert throttle.locked("ana", "10.0.0.3") == ("user", 900)
    assert throttle.locked("bob", "10.0.0.3") is None
    for name in ("c1", "c2", "c3", "c4", "c5"):  # one address guessing several names
        throttle.failed(name, "10.0.0.9")
    assert throttle.locked("someone", "10.0.0.9") == ("address", 900)
    clock.now += 901
    assert throttle.locked("ana", "10.0.0.3") is None
    assert throttle.locked("someone", "10.0.0.9") is None


def test_failures_expire_and_a_success_clears_the_name():
    clock = Clock()
    throttle = LoginThrottle(max_failures=3, window=60, lock=60, clock=clock)
    throttle.failed("ana", "a")
    throttle.failed("ana", "b")
    clock.now += 61  # both fall out of the window
    throttle.failed("ana", "c")
    assert throttle.locked("ana", "d") is None
    throttle.failed("ana", "e")
    throttle.succeeded("ana")
    throttle.failed("ana", "f")
    assert throttle.locked("ana", "g") is None
