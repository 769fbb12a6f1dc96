"""What the web tests share: the users of the test case, its known identities, and logging in
the way a browser does (a CSRF token from the login form, then the session cookie)."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from invert.web.pseudonyms import Masker
from invert.web.secret import load_or_create

PASSWORD = "a long test password"
ROLES = ("admin", "analyst", "inspector", "prosecutor", "viewer")
# In the payroll sample: two workers paid into one account held by a third person.
PERSON_NAMES = ("Maria Ionescu", "Ion Popescu", "Ion Marinescu", "Gheorghe Dumitru")
IBAN = "NL91ABNA0417164300"


def outsider(role: str) -> str:
    return f"{role}-elsewhere"


@dataclass(frozen=True)
class Case:
    path: Path
    person: str  # the top person lead's entity id
    company: str

    def shown(self, role: str, table: str, entity_id: str) -> str:
        """The id the role's links carry (a pseudonym for roles that see no identities)."""
        clear = role != "viewer"
        return Masker(load_or_create(self.path), clear).entity(table, entity_id)


def login_csrf(client: TestClient) -> str:
    page = client.get("/login")
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/login",
        data={"username": name, "password": password, "csrf": login_csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def session_csrf(client: TestClient) -> str:
    """The CSRF token in the (signed, not encrypted) session cookie, as a page's form holds it."""
    cookie = client.cookies["invert_session"]
    payload = cookie.split(".")[0]
    return json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))["csrf"]
