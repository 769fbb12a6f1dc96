"""The entity profile: identity with its source records, scores, every indicator with its
value, parameters, sources and evidence rows, related entities and the case files it is in.

Users who see no identities reach entities by pseudonym only (their links carry nothing else),
so a guessed id cannot tell them whether someone is in the case.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response

from invert.errors import InvertError
from invert.leads.explain import ENTITY_TABLES, explain_on
from invert.web import casefiles
from invert.web.access import Access, need
from invert.web.index import WebIndex
from invert.web.pseudonyms import SEP, label_table
from invert.web.templating import render
from invert.workspace import has_table

router = APIRouter()

# The action that lets a user open an entity of each table; others need view_leads.
VIEW_ACTION = {"person": "view_person", "company": "view_company", "bank_account": "view_money"}
RELATED_LIMIT = 50
# What names an entity of each table in lists (persons and companies: their name).
NAME_COLUMN = {"bank_account": "coalesce(iban, accountNumber)", "ad": "title", "address": '"full"'}
HIDDEN = ("source_id", "source_row")


def real_id(access: Access, shown: str) -> str:
    """The entity id behind what the user's link carries."""
    if access.masker.clear:
        return shown
    if shown in access.state.reverse:
        return access.state.reverse[shown]
    label, _, _digest = shown.partition(SEP)
    table = label_table(label)
    if table not in ENTITY_TABLES or not has_table(access.con, table):
        raise HTTPException(404, "No such entity; open it from a lead list or a case file.")
    # A pseudonym not drawn since the server started: find it among the table's ids, as the
    # resolved views show them.
    access.state.db.index.views(access.con)
    for (entity_id,) in access.con.execute(f'SELECT DISTINCT id FROM "{table}"').fetchall():
        if hmac.compare_digest(access.masker.entity(table, entity_id).encode(), shown.encode()):
            access.state.reverse[shown] = entity_id
            return entity_id
    raise HTTPException(404, "No such entity; open it from a lead list or a case file.")


def related(
    con: duckdb.DuckDBPyConnection, index: WebIndex, entity_id: str
) -> list[dict[str, Any]]:
    """Every row of the model that refers to the entity, with the other entities it names:
    a worker's employer, an account's holder, the payer of a payment.

    The rows are found by the entity's record ids in the server's index of references and read
    by row number, so a profile reads a few rows instead of scanning every payment."""
    records = index.records(con, [entity_id])
    located = index.locate(con, records)
    out: list[dict[str, Any]] = []
    for etype in index.model:
        refs = [p for p in etype.properties.values() if p.type.name == "entity"]
        if len(refs) < 2 or not index.has(con, etype.table):
            continue
        for mine in refs:
            others = [p for p in refs if p is not mine]
            cols = ", ".join(f't."{p.name}"' for p in others)
            rows = index.select(
                con, etype.table, mine.name, records, cols, RELATED_LIMIT, located=located
            )
            for row in rows:
                for prop, other in zip(others, row.values(), strict=True):
                    if other and other != entity_id:
                        out.append(
                            {"via": etype.label, "as": mine.label, "role": prop.label, "id": other}
                        )
    unique = list({tuple(r.values()): r for r in out}.values())  # first of each, in order
    return describe(con, index, unique)


def describe(
    con: duckdb.DuckDBPyConnection, index: WebIndex, rows: list[dict[str, Any]]
) -> list[dict]:
    """Which table each related id lives in, and its name, one query per table."""
    ids = sorted({r["id"] for r in rows})
    where: dict[str, tuple[str, Any]] = {}
    located = index.locate(con, index.records(con, ids)) if ids else {}
    for table in ENTITY_TABLES:
        if not ids or not index.has(con, table):
            continue
        label = NAME_COLUMN.get(table, "name")
        for row in index.rows(con, table, ids, f"t.id, {label} AS name", located):
            entity_id, name = row["id"], row["name"]
            known = where.get(entity_id)
            if known is None or (known[0] == table and known[1] is None):
                where[entity_id] = (table, name)  # the first table, its first name
    return [
        {
            **r,
            "table": where.get(r["id"], (None, None))[0],
            "name": where.get(r["id"], (None, None))[1],
        }
        for r in rows
    ]


@router.get("/entity/{shown_id}")
def entity_page(
    shown_id: str, access: Annotated[Access, Depends(need("view_leads", resolved=False))]
) -> Response:
    entity_id = real_id(access, shown_id)
    index = access.state.db.index
    try:
        ex = index.memo["profile"].get(
            entity_id,
            lambda: explain_on(
                access.con,
                access.state.ws.path,
                entity_id,
                lookup=index,
                catalogue=index.catalogue,
            ),
        )
    except InvertError as exc:
        raise HTTPException(404, exc.message) from exc
    action = VIEW_ACTION.get(ex.table or "", "view_leads")
    access.require(action)
    access.audit(action, entity_id, table=ex.table)
    identity = {
        k: v for k, v in ex.identity.items() if k not in HIDDEN and not k.endswith(("_key", "_raw"))
    }
    return render(
        access,
        "entity.html",
        ex=ex,
        identity=identity,
        related=index.memo["related"].get(entity_id, lambda: related(access.con, index, entity_id)),
        files=casefiles.files_of(access.con, entity_id),
        all_files=casefiles.all_files(access.con) if access.may("edit_case") else [],
    )
