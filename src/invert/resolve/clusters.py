"""From scored pairs to entities: connected components, human judgements, stable ids.

A pair links two records when its match probability reaches the run's threshold, or when an
analyst confirmed it; a pair an analyst rejected never links, and if other links would still
put its two records in one entity, that entity is rebuilt from its strongest links first,
refusing any link that would join the rejected records (judgements always win). Two people's
records whose birth dates cannot be one typo apart are kept apart the same way, when records
without a birth date would chain them.

Entity ids are record ids, chosen so that re-running resolution after new data keeps the id of
every entity that did not change: each new cluster takes the previous entity id most of its
records had (an id split between clusters goes to the cluster holding most of its records);
new clusters take their smallest record id.
"""

from __future__ import annotations

import duckdb
import igraph as ig
import pyarrow as pa


def components(con: duckdb.DuckDBPyConnection, kind: str, threshold: float) -> pa.Table:
    """(record_id, cluster) for every record of ``kind`` in ``resolve_input_<kind>``.

    Records are numbered in SQL and the links arrive as pairs of numbers, strongest first, so
    no Python touches the records one by one; only clusters holding a rejected pair are
    rebuilt in Python, and those are few and small."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE node AS
        SELECT unique_id AS record_id, row_number() OVER (ORDER BY unique_id) - 1 AS n
        FROM resolve_input_{kind}""")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE verdict AS  -- the latest judgement per pair
           SELECT a.n AS l, b.n AS r, j.decision
           FROM resolve_judgement j
           JOIN node a ON a.record_id = least(j.id_a, j.id_b)
           JOIN node b ON b.record_id = greatest(j.id_a, j.id_b)
           WHERE j.kind = $kind
           QUALIFY row_number() OVER (PARTITION BY l, r ORDER BY j.judged_at DESC) = 1""",
        {"kind": kind},
    )
    links = con.execute(
        """SELECT a.n, b.n FROM match_pair p
           JOIN node a ON a.record_id = p.id_l JOIN node b ON b.record_id = p.id_r
           LEFT JOIN verdict v ON v.l = a.n AND v.r = b.n
           WHERE p.kind = $kind AND p.match_probability >= $threshold
             AND coalesce(v.decision, '') <> 'different'
           UNION ALL
           SELECT l, r FROM verdict WHERE decision = 'same'
           ORDER BY 1, 2""",
        {"kind": kind, "threshold": threshold},
    ).fetchall()
    ids = con.execute("SELECT record_id FROM node ORDER BY n").to_arrow_table().column(0)
    membership = ig.Graph(n=len(ids), edges=links).connected_components().membership
    apart = con.execute("SELECT l, r FROM verdict WHERE decision = 'different'").fetchall()
    if kind == "person":
        apart += _birth_conflicts(con, membership)
    conflicts = {membership[a] for a, b in apart if membership[a] == membership[b]}
    if conflicts:
        strongest = con.execute(
            """SELECT a.n, b.n FROM match_pair p
               JOIN node a ON a.record_id = p.id_l JOIN node b ON b.record_id = p.id_r
               WHERE p.kind = $kind AND p.match_probability >= $threshold
               ORDER BY p.match_probability DESC, 1, 2""",
            {"kind": kind, "threshold": threshold},
        ).fetchall()
        confirmed = con.execute("SELECT l, r FROM verdict WHERE decision = 'same'").fetchall()
        never = {frozenset(pair) for pair in apart}
        membership = _split(membership, confirmed + strongest, never, conflicts)
    return pa.table({"record_id": ids, "cluster": membership})


def _birth_conflicts(con: duckdb.DuckDBPyConnection, membership: list[int]) -> list[tuple]:
    """Pairs of records one cluster joins although their birth dates differ in more than one
    of day, month and year (and are not the same day and month swapped): one typo changes one
    part of a date, so these are two people, joined through records that give no birth date.
    They are kept apart like pairs an analyst rejected."""
    con.register("member_arrow", pa.table({"n": range(len(membership)), "cluster": membership}))
    try:
        return con.execute("""
            WITH dated AS (
                SELECT m.n, m.cluster, i.birth
                FROM member_arrow m JOIN node USING (n)
                JOIN resolve_input_person i ON i.unique_id = node.record_id
                WHERE i.birth IS NOT NULL),
            mixed AS (SELECT cluster FROM dated GROUP BY cluster HAVING count(DISTINCT birth) > 1)
            SELECT a.n, b.n FROM dated a JOIN dated b ON a.cluster = b.cluster AND a.n < b.n
            WHERE a.cluster IN (SELECT cluster FROM mixed)
              AND (year(a.birth) <> year(b.birth))::INT + (month(a.birth) <> month(b.birth))::INT
                  + (day(a.birth) <> day(b.birth))::INT >= 2
              AND NOT (year(a.birth) = year(b.birth) AND month(a.birth) = day(b.birth)
                       AND day(a.birth) = month(b.birth))
              AND NOT EXISTS (SELECT 1 FROM verdict v  -- an analyst's "same" wins
                              WHERE v.l = a.n AND v.r = b.n AND v.decision = 'same')""").fetchall()
    finally:
        con.unregister("member_arrow")


def _split(
    membership: list[int],
    links: list[tuple[int, int]],
    never: set[frozenset[int]],
    conflicts: set[int],
) -> list[int]:
    """Rebuild the clusters holding a rejected pair, strongest link first."""
    parent = {i: i for i, c in enumerate(membership) if c in conflicts}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    members: dict[int, set[int]] = {i: {i} for i in parent}
    for i, j in links:  # confirmed pairs first, then by probability
        if i not in parent or j not in parent:
            continue
        ri, rj = root(i), root(j)
        if ri == rj or any(frozenset((x, y)) in never for x in members[ri] for y in members[rj]):
            continue
        parent[rj] = ri
        members[ri] |= members.pop(rj)
    top = max(membership) + 1
    return [top + root(i) if i in parent else c for i, c in enumerate(membership)]


STABLE_IDS = """
WITH votes AS (
    SELECT c.cluster, p.entity_id, count(*) AS n
    FROM clusters c JOIN previous p ON p.record_id = c.record_id GROUP BY ALL),
kept AS (  -- each previous id goes to the cluster holding most of its records
    SELECT * FROM votes
    QUALIFY row_number() OVER (PARTITION BY entity_id ORDER BY n DESC, cluster) = 1),
chosen AS (  -- and each cluster keeps the previous id most of its records had
    SELECT cluster, entity_id FROM kept
    QUALIFY row_number() OVER (PARTITION BY cluster ORDER BY n DESC, entity_id) = 1),
fresh AS (
    SELECT c.cluster, min(c.record_id) AS entity_id FROM clusters c
    WHERE c.cluster NOT IN (SELECT cluster FROM chosen)
      AND c.record_id NOT IN (SELECT entity_id FROM chosen)
    GROUP BY c.cluster)
SELECT $kind AS kind, c.record_id,
       coalesce(ch.entity_id, f.entity_id, 'entity-' || md5(min(c.record_id) OVER w)) AS entity_id
FROM clusters c LEFT JOIN chosen ch USING (cluster) LEFT JOIN fresh f USING (cluster)
WINDOW w AS (PARTITION BY c.cluster)
"""


def stable_ids(con: duckdb.DuckDBPyConnection, kind: str, clusters: pa.Table) -> None:
    """Replace the ``entity`` rows of ``kind`` with ids stable across re-runs."""
    con.register("clusters", clusters)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE previous AS "
        "SELECT record_id, entity_id FROM entity WHERE kind = ?",
        [kind],
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE new_entity AS {STABLE_IDS}", {"kind": kind})
    con.unregister("clusters")
    con.execute("DELETE FROM entity WHERE kind = ?", [kind])
    con.execute("INSERT INTO entity SELECT kind, record_id, entity_id FROM new_entity")
