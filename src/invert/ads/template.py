"""The template of a text cluster and its slots, in the spirit of InfoShield: the shared text,
and what varies.

The cluster's representative (its ad most similar to the others) is split into tokens (words
and numbers as written, punctuation kept); up to ``sample`` other members, drawn by a hash of
their id so that the draw does not change between runs, are aligned to it token by token
(``difflib.SequenceMatcher``). A token of the representative is part of the template when at
least half of the aligned members have it at that place; every stretch between two template
tokens where the representative or a member has other tokens is a slot, shown as ``{n}`` in the
template text, with the distinct texts the members put there.

``build`` writes ``ad_template(cluster, template, slots, members)`` for the ``limit`` largest
clusters; ``template_of`` computes the same for any one cluster on demand.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import duckdb
import pyarrow as pa

DEFAULT_SAMPLE = 20  # members aligned per cluster (bounded work per cluster)
DEFAULT_LIMIT = 2000  # clusters given a template in the run; others on demand (ours)
MAX_VALUES = 10  # distinct values kept per slot
TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
NO_SPACE_BEFORE = {".", ",", ":", ";", "!", "?", ")", "]", "%", "\u2019", "'"}
NO_SPACE_AFTER = {"(", "[", "@", "#", "\u2018"}


@dataclass
class Template:
    cluster: str
    template: str
    slots: list[dict[str, object]]  # {"position": n, "values": [...]}
    members: int  # ads aligned, the representative included


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def join(tokens: list[str]) -> str:
    """Tokens back into text as people write it: no space before closing punctuation, after an
    opening bracket or an @, or inside a number with a decimal comma or point (20,50)."""
    out = ""
    for k, tok in enumerate(tokens):
        prev = tokens[k - 1] if k else ""
        decimals = tok.isdigit() and prev in (",", ".") and k > 1 and tokens[k - 2].isdigit()
        glued = not out or tok in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER or decimals
        out += tok if glued else " " + tok
    return out


def align(representative: str, others: list[str]) -> tuple[str, list[dict[str, object]]]:
    """The template text and slots of a representative text and other members' texts."""
    rep = tokens(representative)
    matched = [0] * len(rep)
    where: list[dict[int, int]] = []  # per member: representative position -> member position
    member_tokens = [tokens(o) for o in others]
    for toks in member_tokens:
        found: dict[int, int] = {}
        matcher = SequenceMatcher(None, rep, toks, autojunk=False)
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                found[block.a + k] = block.b + k
                matched[block.a + k] += 1
        where.append(found)
    need = len(others) / 2
    kept = [i for i in range(len(rep)) if matched[i] >= need]
    # Slots lie between consecutive kept tokens (and before the first / after the last).
    anchors = [-1, *kept, len(rep)]
    parts: list[str] = []
    slots: list[dict[str, object]] = []
    for left, right in itertools.pairwise(anchors):
        values = {join(rep[left + 1 : right])}
        for toks, found in zip(member_tokens, where, strict=True):
            start = found.get(left, -1) + 1 if left >= 0 else 0
            stop = found.get(right, len(toks)) if right < len(rep) else len(toks)
            if (left >= 0 and left not in found) or (right < len(rep) and right not in found):
                continue  # this member lacks an anchor: its text here is not comparable
            values.add(join(toks[start:stop]))
        if values != {""}:
            slots.append({"position": len(slots) + 1, "values": sorted(values)[:MAX_VALUES]})
            parts.append("{" + str(len(slots)) + "}")
        if right < len(rep):
            parts.append(rep[right])
    return join(parts), slots


def _members(
    con: duckdb.DuckDBPyConnection, clusters: list[str] | None, sample: int, limit: int
) -> dict[str, list[str]]:
    """Per cluster, the representative's text first, then up to ``sample`` other members."""
    where = "WHERE cluster IN (SELECT unnest(?))" if clusters is not None else ""
    params = [clusters] if clusters is not None else []
    rows = con.execute(
        f"""
        WITH chosen AS (
            SELECT cluster FROM (SELECT DISTINCT cluster, size FROM ad_cluster {where})
            ORDER BY size DESC, cluster LIMIT {int(limit)}),
        ranked AS (
            SELECT c.cluster, c.ad,
                   row_number() OVER (PARTITION BY c.cluster
                                      ORDER BY c.similarity DESC, c.ad) AS is_rep,
                   row_number() OVER (PARTITION BY c.cluster
                                      ORDER BY hash(c.ad), c.ad) AS draw
            FROM ad_cluster c JOIN chosen USING (cluster))
        SELECT r.cluster, concat_ws(' ', a.title, a.body) AS text, r.is_rep = 1 AS rep
        FROM ranked r JOIN ad a ON a.id = r.ad
        WHERE r.is_rep = 1 OR r.draw <= {int(sample)}
        ORDER BY r.cluster, rep DESC, r.draw""",
        params,
    ).fetchall()
    out: dict[str, list[str]] = {}
    for cluster, text, rep in rows:
        members = out.setdefault(cluster, [])
        if rep or len(members) <= sample:
            members.append(text or "")
    return out


def template_of(
    con: duckdb.DuckDBPyConnection, cluster: str, sample: int = DEFAULT_SAMPLE
) -> Template | None:
    """The template of one text cluster of ``ad_cluster`` (None if there is no such cluster)."""
    members = _members(con, [cluster], sample, 1).get(cluster)
    if not members:
        return None
    text, slots = align(members[0], members[1:])
    return Template(cluster, text, slots, len(members))


SLOTS = pa.list_(pa.struct([("position", pa.int32()), ("values", pa.list_(pa.string()))]))


def build(con: duckdb.DuckDBPyConnection, sample: int, limit: int) -> int:
    """Rebuild ``ad_template`` for the ``limit`` largest clusters; returns the rows written."""
    names, texts, slots, members = [], [], [], []
    for cluster, member_texts in _members(con, None, sample, limit).items():
        text, found = align(member_texts[0], member_texts[1:])
        names.append(cluster)
        texts.append(text)
        slots.append(found)
        members.append(len(member_texts))
    table = pa.table(
        {
            "cluster": pa.array(names, pa.string()),
            "template": pa.array(texts, pa.string()),
            "slots": pa.array(slots, SLOTS),
            "members": pa.array(members, pa.int32()),
        }
    )
    con.register("ad_template_arrow", table)
    try:
        con.execute("CREATE OR REPLACE TABLE ad_template AS SELECT * FROM ad_template_arrow")
    finally:
        con.unregister("ad_template_arrow")
    return len(names)
