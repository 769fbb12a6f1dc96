"""Why two records are one entity or not: the match weight split by compared field.

The weights are the model's own (Splink's Bayes factors in log2, with term-frequency
adjustments folded in), recomputed for any pair from the stored comparison records, so a
pair the blocking never compared can be explained as well as a merged one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import duckdb

from invert.errors import InvertError
from invert.resolve import linker_for
from invert.resolve.judgements import record_kind


@dataclass
class FieldWeight:
    field: str
    left: Any
    right: Any
    level: str
    weight: float  # log2 of the Bayes factor, term frequencies included


@dataclass
class PairExplanation:
    kind: str
    prior: float
    match_weight: float
    match_probability: float
    same_entity: bool
    judgement: str | None
    fields: list[FieldWeight] = field(default_factory=list)


def explain_pair(con: duckdb.DuckDBPyConnection, id_a: str, id_b: str) -> PairExplanation:
    kind = record_kind(con, id_a)
    if record_kind(con, id_b) != kind:
        raise InvertError(f"{id_a} and {id_b} are not the same kind of record")
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
        [f"resolve_input_{kind}"],
    ).fetchone()[0]
    if not exists:
        raise InvertError("no resolution in this workspace yet; run: invert resolve run CASE_DIR")
    rows = con.execute(
        f"SELECT * FROM resolve_input_{kind} WHERE unique_id IN (?, ?) ORDER BY unique_id = ?",
        [id_a, id_b, id_b],
    ).fetchall()
    if len(rows) != 2:
        raise InvertError(f"{id_a} or {id_b} has no name or identifier to compare")
    names = [d[0] for d in con.description]
    left, right = (dict(zip(names, r, strict=True)) for r in rows)
    linker = linker_for(con, kind)
    # Typed one-row tables, not dicts: a missing value must stay a typed NULL.
    sides = []
    for side, record_id in (("left", left["unique_id"]), ("right", right["unique_id"])):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE explain_{side} AS "
            f"SELECT * FROM resolve_input_{kind} WHERE unique_id = ?",
            [record_id],
        )
        sides.append(linker._db_api.register(f"explain_{side}"))
    scored = linker.inference.score_pair(*sides).as_record_list()[0]
    linker.table_management.delete_tables_created_by_splink_from_db()
    settings = linker._settings_obj
    out = PairExplanation(
        kind=kind,
        prior=math.log2(
            settings._probability_two_random_records_match
            / (1 - settings._probability_two_random_records_match)
        ),
        match_weight=float(scored["match_weight"]),
        match_probability=float(scored["match_probability"]),
        same_entity=_same_entity(con, kind, id_a, id_b),
        judgement=_judgement(con, kind, id_a, id_b),
    )
    for comparison in settings.comparisons:
        name = comparison.output_column_name
        gamma = scored[f"gamma_{name}"]
        level = next(
            (lv for lv in comparison.comparison_levels if lv.comparison_vector_value == gamma),
            None,
        )
        weight = float(scored[f"mw_{name}"]) + float(scored.get(f"mw_tf_adj_{name}") or 0.0)
        out.fields.append(
            FieldWeight(
                field=name,
                left=left.get(name),
                right=right.get(name),
                level=level.label_for_charts if level is not None else str(gamma),
                weight=weight,
            )
        )
    return out


def _same_entity(con: duckdb.DuckDBPyConnection, kind: str, a: str, b: str) -> bool:
    row = con.execute(
        """SELECT count(DISTINCT entity_id) = 1 AND count(*) = 2 FROM entity
           WHERE kind = ? AND record_id IN (?, ?)""",
        [kind, a, b],
    ).fetchone()
    return bool(row[0])


def _judgement(con: duckdb.DuckDBPyConnection, kind: str, a: str, b: str) -> str | None:
    row = con.execute(
        """SELECT decision || ' (' || by_user || ', ' || strftime(judged_at, '%Y-%m-%d %H:%M')
                  || coalesce(': ' || nullif(note, ''), '') || ')'
           FROM resolve_judgement WHERE kind = ? AND least(id_a, id_b) = least(?, ?)
             AND greatest(id_a, id_b) = greatest(?, ?) ORDER BY judged_at DESC LIMIT 1""",
        [kind, a, b, a, b],
    ).fetchone()
    return row[0] if row else None
