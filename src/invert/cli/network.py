"""``invert network``: build the entity graph, list its communities, show an entity's ties."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from invert.cli.common import CaseDir, console, progress_line, user_errors
from invert.errors import InvertError

app = typer.Typer(
    help="Networks: the graph of resolved entities, its communities and key players.",
    no_args_is_help=True,
)


def _need_graph(con, case_dir) -> None:  # type: ignore[no-untyped-def]
    if not con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'graph_membership'"
    ).fetchone()[0]:
        raise InvertError(f"no network in {case_dir} yet; run: invert network build {case_dir}")


@app.command("build")
def build(
    case_dir: CaseDir,
    resolution: Annotated[
        float,
        typer.Option(help="Density a community must keep (CPM); lower gives larger communities."),
    ] = 0.003,  # communities.DEFAULT_RESOLUTION (not imported: igraph loads slowly)
    hub_degree: Annotated[
        int, typer.Option(help="Nodes with more ties than this are left out of communities.")
    ] = 100,
    engine: Annotated[
        str | None,
        typer.Option(help="duckdb or spark: where the graph's edges are built (docs/spark.md)."),
    ] = None,
) -> None:
    """Build the graph (re-runnable) and find its components and communities."""
    from invert.network import build as build_network
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with progress_line() as step:
            r = build_network(
                ws, resolution=resolution, hub_degree=hub_degree, progress=step, engine=engine
            )
    table = Table(title=f"Network of {ws.name}")
    table.add_column("nodes")
    table.add_column("", justify="right")
    table.add_column("edges")
    table.add_column("", justify="right")
    nodes, edges = sorted(r.graph.nodes.items()), sorted(r.graph.edges.items())
    for i in range(max(len(nodes), len(edges))):
        n = nodes[i] if i < len(nodes) else ("", "")
        e = edges[i] if i < len(edges) else ("", "")
        table.add_row(
            n[0], f"{n[1]:,}" if n[1] != "" else "", e[0], f"{e[1]:,}" if e[1] != "" else ""
        )
    console.print(table)
    c = r.communities
    console.print(
        f"{c.components:,} components, {c.communities:,} communities "
        f"(quality {c.modularity:.3f}); {sum(r.seconds.values()):.1f} s"
    )


@app.command("communities")
def list_communities(
    case_dir: CaseDir,
    top: Annotated[int, typer.Option(help="How many communities to list.")] = 20,
    min_companies: Annotated[int, typer.Option(help="Only communities with this many firms.")] = 1,
) -> None:
    """Communities ranked by the highest company risk score in them (then by size)."""
    from invert.workspace import Workspace, has_table

    with user_errors():
        ws = Workspace.open(case_dir)
        with ws.connect(read_only=True) as con:
            _need_graph(con, case_dir)
            scored = has_table(con, "score")
            score_join = (
                "LEFT JOIN score s ON s.list = 'company' AND s.subject_id = n.node"
                if scored
                else "LEFT JOIN (SELECT NULL::VARCHAR AS subject_id, NULL::DOUBLE AS score) s "
                "ON false"
            )
            rows = con.execute(
                f"""
                WITH members AS (
                    SELECT g.community, n.node, n.kind, n.label, g.pagerank, s.score
                    FROM graph_membership g JOIN graph_node n USING (node) {score_join})
                SELECT community,
                       count(*) FILTER (WHERE kind = 'company') AS companies,
                       count(*) FILTER (WHERE kind = 'person') AS people,
                       count(*) FILTER (WHERE kind = 'account') AS accounts,
                       count(*) FILTER (WHERE kind IN ('phone', 'email', 'address')) AS identifiers,
                       max(score) AS top_score,
                       arg_max(label, coalesce(score, -1e9))
                           FILTER (WHERE kind = 'company') AS top_company,
                       (SELECT any_value(k.label) FROM graph_role r
                        JOIN graph_node k USING (node)
                        WHERE r.community = members.community AND r.role = 'key player')
                           AS key_person,
                       (SELECT count(*) FROM graph_role r
                        WHERE r.community = members.community AND r.role = 'broker') AS brokers
                FROM members GROUP BY community
                HAVING count(*) FILTER (WHERE kind = 'company') >= ?
                ORDER BY top_score DESC NULLS LAST, count(*) DESC LIMIT ?""",
                [min_companies, top],
            ).fetchall()
    table = Table(title=f"Communities of {ws.name}")
    for col in (
        "community",
        "firms",
        "people",
        "accounts",
        "identifiers",
        "top score",
        "riskiest firm",
        "key player",
        "brokers",
    ):
        table.add_column(
            col, justify="right" if col not in ("riskiest firm", "key player") else "left"
        )
    for r in rows:
        table.add_row(
            str(r[0]),
            *(f"{v:,}" for v in r[1:5]),
            f"{r[5]:.2f}" if r[5] is not None else "",
            r[6] or "",
            r[7] or "",
            f"{r[8]:,}",
        )
    console.print(table)


@app.command("show")
def show(
    case_dir: CaseDir,
    entity_id: str,
    limit: Annotated[int, typer.Option(help="Ties listed at most.")] = 50,
) -> None:
    """An entity's community, component and direct ties."""
    from invert.workspace import Workspace

    with user_errors():
        ws = Workspace.open(case_dir)
        with ws.connect(read_only=True) as con:
            _need_graph(con, case_dir)
            node = con.execute(
                """SELECT n.node, n.kind, n.label, g.component, g.community, g.degree, g.pagerank
                   FROM graph_node n JOIN graph_membership g USING (node)
                   WHERE n.node = $id OR n.node IN (
                       SELECT entity_id FROM entity WHERE record_id = $id)
                   LIMIT 1""",
                {"id": entity_id},
            ).fetchone()
            if node is None:
                raise InvertError(
                    f"{entity_id} is not in the network of {case_dir}: give an id from "
                    "`invert leads` or `invert network communities`"
                )
            ties = con.execute(
                """SELECT CASE WHEN e.source = $n THEN 'out' ELSE 'in' END, e.type,
                          o.kind, o.label, o.node, e.count, e.amount, e.first_date, e.last_date
                   FROM graph_edge e
                   JOIN graph_node o ON o.node = CASE WHEN e.source = $n THEN e.target
                                                      ELSE e.source END
                   WHERE e.source = $n OR e.target = $n
                   ORDER BY e.type, e.amount DESC NULLS LAST, e.count DESC LIMIT $limit""",
                {"n": node[0], "limit": limit},
            ).fetchall()
            roles = con.execute(
                "SELECT role, reason FROM graph_role WHERE node = ? ORDER BY role", [node[0]]
            ).fetchall()
    console.print(
        f"[bold]{node[2]}[/bold] ({node[1]} {node[0]}): community {node[4]}, component "
        f"{node[3]}, {node[5]:,} ties, PageRank {node[6]:.2e}"
    )
    for role, reason in roles:
        console.print(f"  {role}: {reason}")
    table = Table()
    for col in ("", "tie", "with", "", "id", "rows", "amount", "from", "to"):
        table.add_column(col)
    for r in ties:
        table.add_row(
            "→" if r[0] == "out" else "←",
            r[1],
            r[2],
            r[3] or "",
            r[4],
            f"{r[5]:,}",
            f"{r[6]:,.2f}" if r[6] is not None else "",
            str(r[7] or ""),
            str(r[8] or ""),
        )
    console.print(table)
