"""Which entities a package covers: the whole case, the top leads of a list, or one entity,
each with its network neighbourhood.

``select`` fills the temporary table ``share_node_in(node)`` with workspace node ids (entity
ids, and ``address:…``/``phone:…`` value nodes of the graph). A package about ten companies
should carry their workers, accounts and directors, not the rest of the case: sharing is
limited to what the partner needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from invert.errors import ShareError
from invert.network import reach
from invert.workspace import has_table


@dataclass(frozen=True)
class Selection:
    """What to share: ``top`` leads of ``lead_list``, or ``entity``, or everything (neither);
    ``hops`` ties of the graph are followed from the chosen entities."""

    lead_list: str = "company"
    top: int | None = None
    entity: str | None = None
    hops: int = 2

    @property
    def everything(self) -> bool:
        return self.top is None and self.entity is None


def _start(con: duckdb.DuckDBPyConnection, sel: Selection, case_dir: object) -> None:
    if sel.top is not None:
        if sel.top < 1:
            raise ShareError(f"--top must be 1 or more, not {sel.top}")
        if not has_table(con, "score"):
            raise ShareError(f"no leads in {case_dir} yet; run: invert analyze {case_dir}")
        lists = [r[0] for r in con.execute("SELECT DISTINCT list FROM score ORDER BY 1").fetchall()]
        if sel.lead_list not in lists:
            raise ShareError(
                f"no {sel.lead_list!r} leads in {case_dir}; choose --list from: {', '.join(lists)}"
            )
        con.execute(
            """CREATE OR REPLACE TEMP TABLE share_reach AS
            SELECT subject_id AS node, 0 AS hop FROM score WHERE list = ?
            ORDER BY score DESC, subject_id LIMIT ?""",
            [sel.lead_list, sel.top],
        )
        return
    found = con.execute(
        """SELECT entity_id FROM entity WHERE record_id = $id
           UNION ALL SELECT id FROM person WHERE id = $id
           UNION ALL SELECT id FROM company WHERE id = $id
           UNION ALL SELECT id FROM bank_account WHERE id = $id
           UNION ALL SELECT id FROM ad WHERE id = $id LIMIT 1""",
        {"id": sel.entity},
    ).fetchone()
    if found is None:
        raise ShareError(
            f"{sel.entity} is not a person, company, account or ad of {case_dir}; give an id "
            f"from `invert leads {case_dir}`"
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE share_reach AS SELECT $n AS node, 0 AS hop", {"n": found[0]}
    )


def select(con: duckdb.DuckDBPyConnection, sel: Selection, case_dir: object) -> int:
    """Fill ``share_node_in``; return how many nodes it holds (0 for the whole case, which
    needs no list)."""
    if sel.top is not None and sel.entity is not None:
        raise ShareError("give either --top or --entity, not both")
    if sel.hops < 0:
        raise ShareError(f"--hops must be 0 or more, not {sel.hops}")
    if sel.everything:
        return 0
    _start(con, sel, case_dir)
    if sel.hops and not has_table(con, "graph_edge"):
        raise ShareError(
            f"no network in {case_dir} to follow ties in; run: invert network build {case_dir} "
            "(or give --hops 0)"
        )
    reach.grow(con, "share_reach", sel.hops)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE share_node_in AS SELECT DISTINCT node FROM share_reach"
    )
    return int(con.execute("SELECT count(*) FROM share_node_in").fetchone()[0])
