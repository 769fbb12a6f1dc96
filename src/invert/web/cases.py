"""Case-file pages: list and create case files, add entities and notes, set the status, and
record inspection outcomes that ``invert analyze`` then learns from (see ``casefiles``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException
from fastapi.responses import RedirectResponse, Response

from invert.web import casefiles
from invert.web.access import Access, need
from invert.web.entities import describe, real_id
from invert.web.templating import render

router = APIRouter()


def _file(access: Access, case_id: int) -> casefiles.CaseFile:
    found = casefiles.get(access.con, case_id)
    if found is None:
        raise HTTPException(404, f"There is no case file {case_id}; see the list of case files.")
    return found


def _back(case_id: int) -> Response:
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases")
def cases_page(access: Annotated[Access, Depends(need("view_leads", resolved=False))]) -> Response:
    return render(access, "cases.html", files=casefiles.all_files(access.con))


@router.post("/cases")
def create_case(
    access: Annotated[Access, Depends(need("edit_case", resolved=False))],
    title: Annotated[str, Form()],
) -> Response:
    case_id = casefiles.create(access.con, title, access.user.name)
    access.audit("create_case_file", str(case_id), title=title)
    return _back(case_id)


@router.get("/cases/{case_id}")
def case_page(
    case_id: int, access: Annotated[Access, Depends(need("view_leads", resolved=False))]
) -> Response:
    found = _file(access, case_id)
    members = describe(
        access.con,
        access.state.db.index,
        [{"id": e["entity_id"], **e} for e in casefiles.entities(access.con, case_id)],
    )
    access.audit("view_case_file", str(case_id), entities=len(members))
    return render(
        access,
        "case.html",
        file=found,
        members=members,
        notes=casefiles.notes(access.con, case_id),
        outcomes=casefiles.outcomes(access.con, case_id),
        statuses=casefiles.STATUSES,
        results=casefiles.RESULTS,
        today=date.today(),
    )


@router.post("/cases/{case_id}/entities")
def add_entity(
    case_id: int,
    access: Annotated[Access, Depends(need("edit_case"))],
    entity_id: Annotated[str, Form()],
) -> Response:
    _file(access, case_id)
    entity_id = real_id(access, entity_id.strip())
    if not describe(access.con, access.state.db.index, [{"id": entity_id}])[0]["table"]:
        raise HTTPException(
            404, f"No entity {entity_id!r} in this case; copy its id from its page."
        )
    casefiles.add_entity(access.con, case_id, entity_id, access.user.name)
    access.audit("add_to_case_file", entity_id, case_file=case_id)
    return _back(case_id)


@router.post("/cases/{case_id}/status")
def set_status(
    case_id: int,
    access: Annotated[Access, Depends(need("edit_case", resolved=False))],
    status: Annotated[str, Form()],
) -> Response:
    _file(access, case_id)
    casefiles.set_status(access.con, case_id, status)
    access.audit("set_case_status", str(case_id), status=status)
    return _back(case_id)


@router.post("/cases/{case_id}/notes")
def add_note(
    case_id: int,
    access: Annotated[Access, Depends(need("record_outcome", resolved=False))],
    body: Annotated[str, Form()],
) -> Response:
    _file(access, case_id)
    casefiles.add_note(access.con, case_id, body, access.user.name)
    access.audit("add_case_note", str(case_id))
    return _back(case_id)


@router.post("/cases/{case_id}/outcomes")
def record_outcome(
    case_id: int,
    access: Annotated[Access, Depends(need("record_outcome", resolved=False))],
    entity_id: Annotated[str, Form()],
    result: Annotated[str, Form()],
    day: Annotated[date | None, Form()] = None,
    notes: Annotated[str, Form()] = "",
) -> Response:
    _file(access, case_id)
    entity_id = real_id(access, entity_id)
    outcome = casefiles.record_outcome(
        access.con, case_id, entity_id, result, day, access.user.name, notes
    )
    access.audit("record_outcome", entity_id, case_file=case_id, result=result, outcome=outcome)
    return _back(case_id)
