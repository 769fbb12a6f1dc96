"""``create_app``: the web workspace of one case, as a FastAPI app.

No page is public but the login form, the stylesheet and the two browser libraries
(``vendor``, library code only): every route takes ``access.need``,
and the interactive API docs FastAPI would add by default are switched off, since they would
be reachable without a login.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from invert.errors import InvertError
from invert.web import (
    audit_page,
    auth,
    cases,
    entities,
    groups,
    leads,
    money,
    network,
    search,
    secret,
    useradmin,
    vendor,
)
from invert.web.access import AppState, LoginRequired
from invert.web.db import Database
from invert.web.pseudonyms import KnownIdentities
from invert.web.settings import Settings
from invert.web.templating import templates
from invert.workspace import Workspace

STATIC = Path(__file__).with_name("static")
SESSION_COOKIE = "invert_session"
# Pages hold personal data: no caching, no framing, no scripts or styles from elsewhere.
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
}


def create_app(case_dir: Path, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env(case_dir)
    ws = Workspace.open(case_dir)
    key = secret.load_or_create(ws.path)
    state = AppState(settings, ws, Database(ws), key, KnownIdentities(ws.model))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            state.db.close()

    app = FastAPI(
        title=f"INVERT — {ws.name}",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.invert = state
    app.add_middleware(
        SessionMiddleware,
        secret_key=hmac.new(key, b"invert-web-session", hashlib.sha256).hexdigest(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_hours * 3600,
        same_site="strict",
        https_only=settings.secure_cookies,
    )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(InvertError, _invert_error)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    vendor.warn_if_missing()
    for module in (
        auth,
        leads,
        entities,
        network,
        groups,  # before money: /money/flows is not an account
        money,
        cases,
        search,
        audit_page,
        useradmin,
        vendor,
    ):
        app.include_router(module.router)
    return app


def _login_required(request: Request, _exc: Exception) -> Response:
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return _page(request, 401, "Log in first.")


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _page(request, exc.status_code, str(exc.detail))


def _invert_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvertError)
    return _page(request, 400, exc.message)


def _page(request: Request, status: int, message: str) -> Response:
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, "user": None},
        status_code=status,
    )
