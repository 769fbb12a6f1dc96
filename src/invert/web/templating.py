"""Jinja2 pages: one environment, autoescaped, whose filters are the only way a template shows a
name, an identifier or an entity id, so pseudonymisation cannot be forgotten on a new page.

``{{ id | eid(table) }}`` an entity id (and what links carry), ``{{ v | field(table, name) }}``
a property value, ``{{ text | scrub }}`` free text that may mention people or accounts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from starlette.responses import HTMLResponse

from invert.web.access import Access, csrf_token

TEMPLATES = Path(__file__).with_name("templates")


@pass_context
def _eid(ctx: Any, entity_id: Any, table: str | None = None) -> str:
    access: Access = ctx["access"]
    shown = access.masker.entity(table, entity_id)
    if shown != entity_id and entity_id is not None:
        access.state.reverse[shown] = str(entity_id)
    return shown


@pass_context
def _field(ctx: Any, value: Any, table: str | None, name: str) -> Any:
    return ctx["access"].masker.field(table, name, value)


@pass_context
def _scrub(ctx: Any, value: Any) -> Any:
    return ctx["access"].masker.text(value)


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters.update(eid=_eid, field=_field, scrub=_scrub)


def render(access: Access, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page for the logged-in user, with what the base layout needs."""
    return templates.TemplateResponse(
        access.request,
        name,
        {
            "access": access,
            "user": access.user,
            "case_name": access.state.case_name,
            "csrf": csrf_token(access.request),
            **context,
        },
        status_code=status_code,
    )
