"""The one gate every page passes: who is logged in, whether their role may take the page's
action (``roles.yml``), whether they may open this case at all (need-to-know), the CSRF check
on every POST, and the audit row for every view, search and export of personal data.

Routes declare ``Annotated[Access, Depends(need("view_leads"))]``; a page that decides its
action only once it knows what it shows (a person or a company) calls ``access.require``.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
from fastapi import Depends, HTTPException, Request

from invert.security import audit, users
from invert.security.users import User
from invert.web.db import Database
from invert.web.pseudonyms import KnownIdentities, Masker
from invert.web.settings import Settings
from invert.web.throttle import LoginThrottle
from invert.workspace import Workspace

CSRF_FIELD = "csrf"


class LoginRequired(Exception):
    """No valid session: the app sends the browser to the login page."""


@dataclass
class AppState:
    """What every request of one app shares."""

    settings: Settings
    ws: Workspace
    db: Database
    key: bytes
    known: KnownIdentities
    # pseudonym → entity id, filled as masked pages are drawn and looked up on a miss
    reverse: dict[str, str] = field(default_factory=dict)
    logins: LoginThrottle = field(default_factory=LoginThrottle)

    @property
    def case_name(self) -> str:
        return self.ws.name


def state_of(request: Request) -> AppState:
    return request.app.state.invert


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (also for the anonymous login form)."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


async def checked_csrf(request: Request) -> None:
    """Refuse a POST whose form does not carry this session's token: another site can make a
    browser post to us, but cannot read the token from our pages."""
    if request.method != "POST":
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    if not (isinstance(sent, str) and expected and hmac.compare_digest(sent, expected)):
        raise HTTPException(
            403,
            "The form has expired or did not come from INVERT; reload the "
            "page and submit it again.",
        )


@dataclass
class Access:
    """The logged-in user of one request, with its connection and masker."""

    request: Request
    state: AppState
    user: User
    con: duckdb.DuckDBPyConnection
    masker: Masker

    def may(self, action: str) -> bool:
        return users.allowed(self.user, action)

    def require(self, action: str) -> None:
        if not self.may(action):
            raise HTTPException(
                403,
                f"Your role ({self.user.role}) may not {action.replace('_', ' ')}; ask an "
                "administrator if your work needs it.",
            )

    def audit(self, action: str, subject: str | None = None, **detail: Any) -> None:
        audit.record(self.con, self.user.name, action, subject, {**detail, "via": "web"})


def need(action: str | None, resolved: bool = True) -> Callable[..., Iterator[Access]]:
    """A dependency admitting users whose role may take ``action`` on this case. ``None``
    admits any logged-in user, member of the case or not (only logout uses it)."""

    def dependency(request: Request, _csrf: None = Depends(checked_csrf)) -> Iterator[Access]:
        state = state_of(request)
        name = request.session.get("user")
        if not name:
            raise LoginRequired
        with state.db.cursor(resolved=resolved) as con:
            user = users.get_user(con, name)
            if user is None or user.disabled:
                request.session.clear()
                raise LoginRequired
            clear = users.sees_identities(user)
            masker = Masker(state.key, clear, None if clear else state.known.pattern(con))
            access = Access(request, state, user, con, masker)
            if action is not None:
                if not users.may_open(con, user, state.case_name):
                    raise HTTPException(
                        403,
                        f"You are not a member of case {state.case_name}; an administrator "
                        f"can grant it: invert users CASE_DIR grant {user.name}",
                    )
                access.require(action)
            yield access

    return dependency
