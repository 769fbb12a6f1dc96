"""User management for admins (``manage_users``): list the users with their roles and cases, add
a user with a role, change a role, disable a user, grant or withdraw a case. Every change is an
audit row ``manage_users`` naming the user changed and what changed (never a password); every
form carries the session's CSRF token like the others. The changes take effect at the changed
user's next click, since the user is read again at every request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import RedirectResponse, Response

from invert.security import users
from invert.security.roles import load as load_roles
from invert.web.access import Access, need
from invert.web.templating import render

router = APIRouter()
MANAGE = "manage_users"


def _page(access: Access, created: tuple[str, str] | None = None) -> Response:
    listed = [(u, users.cases_of(access.con, u.name)) for u in users.list_users(access.con)]
    return render(
        access,
        "users.html",
        listed=listed,
        roles=list(load_roles().roles),
        created=created,
        this_case=access.state.case_name,
    )


def _target(access: Access, name: str) -> users.User:
    found = users.get_user(access.con, name)
    if found is None:
        raise HTTPException(404, f"There is no user {name!r}; see the list of users.")
    return found


def _not_self(access: Access, name: str, what: str) -> None:
    if name.lower() == access.user.name.lower():
        raise HTTPException(
            400, f"You cannot {what} yourself; another administrator can, so no one is locked out."
        )


def _back() -> Response:
    return RedirectResponse("/users", status_code=303)


@router.get("/users")
def users_page(access: Annotated[Access, Depends(need(MANAGE, resolved=False))]) -> Response:
    return _page(access)


@router.post("/users")
def add_user(
    access: Annotated[Access, Depends(need(MANAGE, resolved=False))],
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    password: Annotated[str, Form()] = "",
) -> Response:
    """Add a user; without a password one is generated and shown once on the page."""
    given = password or None
    made = users.add_user(access.con, name.strip(), role, given)
    access.audit(MANAGE, name.strip(), change="add", role=role, password_generated=given is None)
    return _page(access, created=None if given else (name.strip(), made))


@router.post("/users/{name}/role")
def change_role(
    name: str,
    access: Annotated[Access, Depends(need(MANAGE, resolved=False))],
    role: Annotated[str, Form()],
) -> Response:
    before = _target(access, name)
    if role != before.role:
        _not_self(access, name, "change the role of")
    users.set_role(access.con, name, role)
    access.audit(MANAGE, before.name, change="role", before=before.role, role=role)
    return _back()


@router.post("/users/{name}/disable")
def disable(
    name: str, access: Annotated[Access, Depends(need(MANAGE, resolved=False))]
) -> Response:
    target = _target(access, name)
    _not_self(access, name, "disable")
    users.disable_user(access.con, name)
    access.audit(MANAGE, target.name, change="disable")
    return _back()


@router.post("/users/{name}/cases")
def grant(
    name: str,
    access: Annotated[Access, Depends(need(MANAGE, resolved=False))],
    case: Annotated[str, Form()],
) -> Response:
    target = _target(access, name)
    users.grant_case(access.con, name, case.strip())
    access.audit(MANAGE, target.name, change="grant", case=case.strip())
    return _back()


@router.post("/users/{name}/cases/remove")
def withdraw(
    name: str,
    access: Annotated[Access, Depends(need(MANAGE, resolved=False))],
    case: Annotated[str, Form()],
) -> Response:
    target = _target(access, name)
    users.revoke_case(access.con, name, case.strip())
    access.audit(MANAGE, target.name, change="withdraw", case=case.strip())
    return _back()
