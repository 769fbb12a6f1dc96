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
from invert.model import Model
from invert.web import casefiles
from invert.web.access import Access, need
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
    # A pseudonym not drawn since the server started: find it among the table's ids.
    for (entity_id,) in access.con.execute(f'SELECT DISTINCT id FROM "{table}"').fetchall():
        if hmac.compare_digest(access.masker.entity(table, entity_id).encode(), shown.encode()):
            access.state.reverse[shown] = entity_id
            return entity_id
    raise HTTPException(404, "No such entity; open it from a lead list or a case file.")


def related(con: duckdb.DuckDBPyConnection, model: Model, entity_id: str) -> list[dict[str, Any]]:
    """Every row of the model that refers to the entity, with the other entities it names:
    a worker's employer, an account's holder, the payer of a payment.

    The stored tables are filtered on the entity's own record ids and only the rows found are
    turned into entity ids: filtering the resolved views would rewrite every row of the table
    first (0.6 s per payment column at size M, where this takes milliseconds)."""
    db = con.execute("SELECT current_database()").fetchone()[0]
    records = [entity_id] + [
        r[0]
        for r in con.execute(
            f'SELECT record_id FROM "{db}".main.entity WHERE entity_id = ?', [entity_id]
        ).fetchall()
    ]
    resolved = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'entity_of'"
    ).fetchone()[0]
    out: list[dict[str, Any]] = []
    for etype in model:
        refs = [p for p in etype.properties.values() if p.type.name == "entity"]
        if not refs or not has_table(con, etype.table):
            continue
        for mine in refs:
            others = [p for p in refs if p is not mine]
            if not others:
                continue
            if resolved:
                cols = ", ".join(
                    f'coalesce(e{i}.entity_id, t."{p.name}")' for i, p in enumerate(others)
                )
                joins = " ".join(
                    f'LEFT JOIN entity_of e{i} ON e{i}.record_id = t."{p.name}"'
                    for i, p in enumerate(others)
                )
            else:
                cols, joins = ", ".join(f't."{p.name}"' for p in others), ""
            rows = con.execute(
                f"""SELECT {cols} FROM (
                        SELECT * FROM "{db}".main."{etype.table}"
                        WHERE "{mine.name}" IN (SELECT unnest(?::VARCHAR[])) LIMIT ?) t {joins}""",
                [records, RELATED_LIMIT],
            ).fetchall()
            for row in rows:
                for prop, other in zip(others, row, strict=True):
                    if other and other != entity_id:
                        out.append(
                            {"via": etype.label, "as": mine.label, "role": prop.label, "id": other}
                        )
    unique = list({tuple(r.values()): r for r in out}.values())  # first of each, in order
    return describe(con, unique)


def describe(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> list[dict]:
    """Which table each related id lives in, and its name, one query per table."""
    ids = sorted({r["id"] for r in rows})
    where: dict[str, tuple[str, Any]] = {}
    for table in ENTITY_TABLES:
        if not ids or not has_table(con, table):
            continue
        label = NAME_COLUMN.get(table, "name")
        for entity_id, name in con.execute(
            f"""SELECT id, any_value({label}) FROM "{table}"
                WHERE id IN (SELECT unnest(?::VARCHAR[])) GROUP BY id""",
            [ids],
        ).fetchall():
            where.setdefault(entity_id, (table, name))
    return [
        {
            **r,
            "table": where.get(r["id"], (None, None))[0],
            "name": where.get(r["id"], (None, None))[1],
        }
        for r in rows
    ]


@router.get("/entity/{shown_id}")
def entity_page(shown_id: str, access: Annotated[Access, Depends(need("view_leads"))]) -> Response:
    entity_id = real_id(access, shown_id)
    try:
        ex = explain_on(access.con, access.state.ws.path, entity_id)
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
        related=related(access.con, access.state.ws.model, entity_id),
        files=casefiles.files_of(access.con, entity_id),
        all_files=casefiles.all_files(access.con) if access.may("edit_case") else [],
    )
