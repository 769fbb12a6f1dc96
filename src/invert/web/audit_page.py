"""The audit-log page (``view_audit``): the latest rows, optionally one user's, and whether the
chain is intact, with the head hash to copy somewhere the server cannot reach."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from invert.security import audit
from invert.web.access import Access, need
from invert.web.templating import render

router = APIRouter()


@router.get("/audit")
def audit_page(
    access: Annotated[Access, Depends(need("view_audit", resolved=False))],
    user: str = "",
    last: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> Response:
    check = audit.verify(access.con)
    rows = list(reversed(audit.entries(access.con, user or None, last)))
    access.audit("view_audit", user or None, last=last)
    return render(access, "audit.html", check=check, rows=rows, who=user, last=last)
