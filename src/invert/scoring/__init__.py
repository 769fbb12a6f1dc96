"""Scores that explain themselves: log-odds from indicator weights.

Without labels, a subject's score starts at the prior log-odds of its subject type and adds,
for each indicator that fired, the indicator's weight (a log likelihood ratio) times the hit's
strength. Context priors (sector, nationality) are summed apart and capped, so they can move a
score but never make one on their own. The probability is the logistic of the total, and the
reasons are the contributions in decreasing order: every score is the sum of its reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from invert.indicators.catalogue import Indicator

# Prior probability that a subject of each kind is involved, before any indicator: a rough
# base rate; users change it in the run configuration ([scoring] priors).
PRIORS = {
    "company": 0.01,
    "person": 0.005,
    "child": 0.005,
    "account": 0.005,
    "ad": 0.01,
    "network": 0.01,
}
CONTEXT_CAP = 0.7  # at most this much log-odds from context priors
# Lead lists: children at risk are persons with a child-labour hit.
LISTS = {
    "company": ("company",),
    "person": ("person", "child"),
    "child": ("child",),
    "account": ("account",),
    "ad": ("ad",),
}


@dataclass(frozen=True)
class ScoringConfig:
    priors: dict[str, float]
    context_cap: float = CONTEXT_CAP


SCORE_COLUMNS = """
    list VARCHAR, subject_id VARCHAR, score DOUBLE, probability DOUBLE,
    reasons STRUCT(indicator VARCHAR, contribution DOUBLE, value VARCHAR)[],
    context STRUCT(indicator VARCHAR, contribution DOUBLE, value VARCHAR)[]"""


def score(
    con: duckdb.DuckDBPyConnection,
    catalogue: list[Indicator],
    config: ScoringConfig | None = None,
    learned: dict[str, Any] | None = None,
) -> dict[str, int]:
    """Write ``score`` from ``indicator_hit`` (inside the caller's transaction).

    ``learned`` (from :mod:`invert.scoring.learn`) replaces, per list, the catalogue weights of
    behaviour indicators and the prior: the learned intercept is moved from the labelled
    subjects' base rate to the configured prior of the whole population (inspected subjects
    are far riskier than the rest, so their base rate would inflate every probability).
    """
    config = config or ScoringConfig(dict(PRIORS))
    learned = learned or {}
    rows: list[dict[str, Any]] = []
    for name, subjects in LISTS.items():
        prior = _logit(config.priors[name])
        fit = learned.get(name)
        if fit:
            prior = fit.intercept - _logit(fit.positives / fit.labels) + prior
        for subject in subjects:
            rows.append({"list": name, "subject": subject, "prior": prior})
    lists = pa.Table.from_pylist(rows)
    weights = pa.Table.from_pylist(
        [
            {
                "list": name,
                "indicator": i.id,
                "weight": learned[name].weights.get(i.id, i.weight)
                if name in learned and not i.context
                else i.weight,
                "context": i.context,
            }
            for name in LISTS
            for i in catalogue
        ]
    )
    con.register("score_weights", weights)
    con.register("score_lists", lists)
    con.execute(f"CREATE TABLE IF NOT EXISTS score ({SCORE_COLUMNS})")
    con.execute("DELETE FROM score")
    con.execute(f"""
        INSERT INTO score
        WITH strongest AS (  -- one contribution per indicator and subject: its strongest hit
            SELECT l.list, h.subject_id, h.indicator, any_value(l.prior) AS prior,
                   max(h.strength) * any_value(w.weight) AS contribution,
                   arg_max(h.value, h.strength) AS value, any_value(w.context) AS context
            FROM indicator_hit h JOIN score_lists l ON l.subject = h.subject
            JOIN score_weights w ON w.indicator = h.indicator AND w.list = l.list
            GROUP BY l.list, h.subject_id, h.indicator),
        summed AS (
            SELECT list, subject_id, any_value(prior) AS prior,
                   coalesce(sum(contribution) FILTER (WHERE NOT context), 0) AS behaviour,
                   least({config.context_cap},
                         coalesce(sum(contribution) FILTER (WHERE context), 0)) AS context_sum,
                   list(reason) FILTER (WHERE NOT context) AS reasons,
                   list(reason) FILTER (WHERE context) AS context
            FROM (  -- a reason sorts first by its contribution (largest first), then its id
                SELECT *, {{'rank': -contribution, 'indicator': indicator,
                           'contribution': round(contribution, 3), 'value': value}} AS reason
                FROM strongest)
            GROUP BY list, subject_id)
        -- Sorted after grouping: an ordered aggregate costs several times more (seen at L).
        SELECT list, subject_id, prior + behaviour + context_sum AS score,
               1 / (1 + exp(-(prior + behaviour + context_sum))) AS probability,
               {_ordered("reasons")}, {_ordered("context")}
        FROM summed
        WHERE behaviour > 0
    """)
    con.unregister("score_weights")
    con.unregister("score_lists")
    counts = con.execute("SELECT list, count(*) FROM score GROUP BY list").fetchall()
    return {k: int(v) for k, v in counts}


def _ordered(reasons: str) -> str:
    """SQL for a list of ranked reasons, sorted and without the rank."""
    return f"""list_transform(list_sort(coalesce({reasons}, [])), r -> {{
        'indicator': r.indicator, 'contribution': r.contribution, 'value': r.value}})"""


def _logit(p: float) -> float:
    return math.log(p / (1 - p))
