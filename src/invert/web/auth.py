"""Login and logout. The session is a signed cookie (Starlette's SessionMiddleware, set up in
``app``) holding the user's name and the CSRF token; the user is re-read on every request, so
disabling a user or changing their role takes effect at their next click.
"""

from __future__ import annotations

import secrets
import threading
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from invert.security import audit, users
from invert.web.access import CSRF_FIELD, Access, checked_csrf, csrf_token, need, state_of
from invert.web.templating import templates

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site: a login link must not send the user on to another one."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _form(request: Request, next_: str, error: str | None = None, status: int = 200) -> Response:
    return templates.TemplateResponse(
        request,
        "login.html",
        {"csrf": csrf_token(request), "next": safe_next(next_), "error": error, "user": None},
        status_code=status,
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    return _form(request, next)


# One password check at a time: an Argon2 check takes every core for a moment, and a burst of
# logins (or of guesses) would otherwise stall every page being served meanwhile.
PASSWORD_CHECKS = threading.Lock()


@router.post("/login", dependencies=[Depends(checked_csrf)])
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    state = state_of(request)
    address = request.client.host if request.client else "unknown"
    with state.db.cursor() as con:
        locked = state.logins.locked(username, address)
        if locked is not None:
            what, seconds = locked
            minutes = max(1, -(-int(seconds) // 60))
            audit.record(
                con,
                "anonymous",
                "login_locked",
                username[:64],
                {"via": "web", "locked": what, "address": address, "minutes_left": minutes},
            )
            whose = "this user name" if what == "user" else "your address"
            return _form(
                request,
                next,
                f"Too many failed logins for {whose}: logging in is locked for {minutes} more "
                "minute(s). Ask an administrator if you have forgotten your password.",
                429,
            )
        with PASSWORD_CHECKS:
            user = users.authenticate(con, username, password)
        if user is None:
            state.logins.failed(username, address)
            audit.record(con, "anonymous", "login_failed", username[:64], {"via": "web"})
            return _form(request, next, "Wrong name or password, or the user is disabled.", 401)
        state.logins.succeeded(username)
        audit.record(con, user.name, "login", None, {"via": "web"})
    # A new session on login: a token planted before it (session fixation) is worth nothing.
    request.session.clear()
    request.session.update({"user": user.name, CSRF_FIELD: secrets.token_urlsafe(32)})
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(access: Annotated[Access, Depends(need(None, resolved=False))]) -> Response:
    access.audit("logout")
    access.request.session.clear()
    return RedirectResponse("/login", status_code=303)
