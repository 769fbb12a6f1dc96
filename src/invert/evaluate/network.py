"""Network recovery: is each planted network one community of the entity graph?

A planted network counts as recovered when one community holds at least 90% of its people and
companies, and at most 20% of that community's people and companies are outsiders (accounts,
phones and addresses are not counted: the answer key does not list them). Members are found
through the answer key's source rows (people) and registration numbers (companies), then
through the workspace's resolved entities. Where ``invert money profit`` has run on the
communities, each planted network's profit is compared with that of its best community.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from invert.evaluate.resolution import ROWS

MIN_RECALL = 0.9
MAX_OUTSIDERS = 0.2


@dataclass
class Recovery:
    network: str
    members: int
    found: int  # members in the best community
    community_size: int  # people and companies in that community
    recall: float
    outsiders: float
    community: int | None = None
    profit_true: float | None = None  # the answer key's total (without money sent abroad)
    profit_estimated: float | None = None  # the best community's total in network_profit
    # ... of which the region's files record anything (hours as stated, reported payments)
    profit_recorded: float | None = None

    @property
    def profit_error(self) -> float | None:
        """Relative error of the profit estimate, or None when either figure is missing."""
        return _relative(self.profit_estimated, self.profit_true)

    @property
    def profit_error_recorded(self) -> float | None:
        """Relative error against what the files record: the estimator's own error, apart
        from hours and payments no file shows."""
        return _relative(self.profit_estimated, self.profit_recorded)

    @property
    def recovered(self) -> bool:
        return self.recall >= MIN_RECALL and self.outsiders <= MAX_OUTSIDERS


def _relative(estimate: float | None, truth: float | None) -> float | None:
    if not truth or estimate is None:
        return None
    return (estimate - truth) / truth


def recovery(con: duckdb.DuckDBPyConnection, truth: Path) -> list[Recovery]:
    """One row per planted network; empty if the graph has not been built."""
    path = Path(truth) / "networks.json"
    built = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'graph_membership'"
    ).fetchone()[0]
    if not built or not path.is_file():
        return []
    networks = json.loads(path.read_text())["networks"]
    rows = [(n["network"], "company", c) for n in networks for c in n["companies"]]
    rows += [(n["network"], "person", p["person_id"]) for n in networks for p in n["people"]]
    con.execute("CREATE OR REPLACE TEMP TABLE planted (network VARCHAR, kind VARCHAR, key VARCHAR)")
    con.executemany("INSERT INTO planted VALUES (?, ?, ?)", rows)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE planted_member AS
        WITH key_rows AS (
            SELECT regexp_extract(file, '[^/]+$') AS source_id, line::BIGINT AS source_row,
                   true_id
            FROM read_csv('{Path(truth) / "records.csv"}', all_varchar = true)
            WHERE kind = 'person')
        SELECT DISTINCT p.network, coalesce(e.entity_id, r.id) AS node
        FROM planted p JOIN key_rows k ON k.true_id = p.key
        JOIN ({ROWS["person"]}) r ON r.source_id = k.source_id AND r.source_row = k.source_row
        LEFT JOIN entity e ON e.kind = 'person' AND e.record_id = r.id
        WHERE p.kind = 'person'
        UNION
        SELECT DISTINCT p.network, coalesce(e.entity_id, c.id)
        FROM planted p JOIN company c ON c.registrationNumber = p.key
        LEFT JOIN entity e ON e.kind = 'company' AND e.record_id = c.id
        WHERE p.kind = 'company'""")
    found = con.execute("""
        WITH placed AS (
            SELECT m.network, g.community FROM planted_member m
            JOIN graph_membership g ON g.node = m.node),
        best AS (
            SELECT network, community, count(*) AS found FROM placed GROUP BY network, community
            QUALIFY row_number() OVER (PARTITION BY network ORDER BY count(*) DESC,
                                       community) = 1),
        sizes AS (SELECT network, count(*) AS members FROM planted_member GROUP BY network),
        community_size AS (
            SELECT g.community, count(*) AS size FROM graph_membership g
            JOIN graph_node n ON n.node = g.node WHERE n.kind IN ('person', 'company')
            GROUP BY g.community)
        SELECT s.network, s.members, coalesce(b.found, 0), coalesce(c.size, 0), b.community
        FROM sizes s LEFT JOIN best b USING (network)
        LEFT JOIN community_size c ON c.community = b.community
        ORDER BY s.network""").fetchall()
    estimated: dict[str, float] = {}
    if con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'network_profit'"
    ).fetchone()[0]:
        estimated = dict(
            con.execute(
                "SELECT network, amount FROM network_profit WHERE component = 'total'"
            ).fetchall()
        )
    true_profit = {n["network"]: n.get("profit", {}).get("total") for n in networks}
    recorded = {n["network"]: n.get("profit", {}).get("total_recorded") for n in networks}
    return [
        Recovery(
            network=network,
            members=members,
            found=hit,
            community_size=size,
            recall=hit / members,
            outsiders=1 - hit / size if size else 1.0,
            community=community,
            profit_true=true_profit.get(network),
            profit_recorded=recorded.get(network),
            profit_estimated=estimated.get(f"community-{community}", 0.0 if estimated else None),
        )
        for network, members, hit, size, community in found
    ]
