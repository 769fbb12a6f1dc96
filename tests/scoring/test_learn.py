"""Weights learned from inspection outcomes: the informative indicator gains weight, the
uninformative one loses it, validation respects time, and scores then use the learned weights."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest

from invert.indicators.catalogue import Indicator, Source
from invert.scoring import PRIORS, ScoringConfig, score
from invert.scoring.learn import MIN_EACH_CLASS, learn


def _indicator(ind_id: str, weight: float, context: bool = False) -> Indicator:
    return Indicator(
        ind_id,
        "company",
        ind_id,
        "test indicator " * 4,
        (Source("T", "C"),),
        {},
        weight,
        "SELECT 1",
        context,
    )


CATALOGUE = [
    _indicator("informative", 0.5),
    _indicator("noise", 1.5),
    _indicator("sector", 0.5, context=True),
]


def _workspace(n: int = 200, seed: int = 7) -> duckdb.DuckDBPyConnection:
    """Companies inspected over two years: 'informative' fires mostly on confirmed cases,
    'noise' fires at the same rate on both."""
    rng = random.Random(seed)
    con = duckdb.connect()
    con.execute("""
        CREATE TABLE company (id VARCHAR); CREATE TABLE person (id VARCHAR);
        CREATE TABLE bank_account (id VARCHAR);
        CREATE TABLE outcome (subject VARCHAR, result VARCHAR, date DATE);
        CREATE TABLE indicator_hit (indicator VARCHAR, subject VARCHAR, subject_id VARCHAR,
            strength DOUBLE, value VARCHAR, parameters JSON,
            evidence STRUCT(tbl VARCHAR, id VARCHAR)[]);""")
    for k in range(n):
        cid = f"c{k}"
        bad = rng.random() < 0.3
        con.execute("INSERT INTO company VALUES (?)", [cid])
        con.execute(
            "INSERT INTO outcome VALUES (?, ?, ?)",
            [
                cid,
                "confirmed" if bad else "not_found",
                dt.date(2023, 1, 1) + dt.timedelta(days=k * 3),
            ],
        )
        if rng.random() < (0.85 if bad else 0.1):
            con.execute(
                "INSERT INTO indicator_hit VALUES ('informative', 'company', ?, 1, 'x', '{}', [])",
                [cid],
            )
        if rng.random() < 0.5:
            con.execute(
                "INSERT INTO indicator_hit VALUES ('noise', 'company', ?, 1, 'y', '{}', [])", [cid]
            )
    con.execute("INSERT INTO outcome VALUES ('c0', 'inconclusive', NULL)")  # left out
    return con


def test_learned_weights_follow_the_outcomes_with_time_ordered_validation():
    con = _workspace()
    fits = learn(con, CATALOGUE, "indicator_hit")
    assert set(fits) == {"company"}
    fit = fits["company"]
    assert fit.labels == 200 and 40 < fit.positives < 80
    assert fit.weights["informative"] > 2.0 > 0.5  # far above its catalogue weight
    assert fit.weights["noise"] < 1.0  # pulled well down from 1.5: it does not separate
    assert "sector" not in fit.weights  # context priors are never learned
    assert len(fit.folds) == 4
    assert [f.train for f in fit.folds] == sorted(f.train for f in fit.folds)  # expanding
    assert all(f.roc_auc and f.roc_auc > 0.75 for f in fit.folds)
    assert all(0 <= f.brier < 0.25 for f in fit.folds)


def test_weights_stay_non_negative_and_need_both_outcomes():
    con = _workspace()
    # make 'noise' anti-predictive: it fires on every clean company only
    con.execute("DELETE FROM indicator_hit WHERE indicator = 'noise'")
    con.execute("""INSERT INTO indicator_hit SELECT 'noise', 'company', subject, 1, 'y', '{}',
                   [] FROM outcome WHERE result = 'not_found'""")
    assert learn(con, CATALOGUE, "indicator_hit")["company"].weights["noise"] == 0.0
    con.execute(f"""DELETE FROM outcome WHERE result = 'confirmed' AND subject NOT IN
                    (SELECT subject FROM outcome WHERE result = 'confirmed'
                     ORDER BY subject LIMIT {MIN_EACH_CLASS - 1})""")
    assert learn(con, CATALOGUE, "indicator_hit") == {}


def test_scores_use_learned_weights_and_keep_population_prior():
    con = _workspace()
    fits = learn(con, CATALOGUE, "indicator_hit")
    score(con, CATALOGUE, ScoringConfig(dict(PRIORS)), fits)
    rows = dict(
        con.execute("SELECT subject_id, reasons FROM score WHERE list = 'company'").fetchall()
    )
    hit = con.execute(
        "SELECT subject_id FROM indicator_hit WHERE indicator = 'informative' LIMIT 1"
    ).fetchone()[0]
    reason = next(r for r in rows[hit] if r["indicator"] == "informative")
    assert reason["contribution"] == pytest.approx(fits["company"].weights["informative"], 1e-3)
    # a subject with only the learned-informative hit: population prior, not the 30% of the
    # inspected, so the probability stays well below what the inspected base rate would give
    p = con.execute(
        "SELECT max(probability) FROM score WHERE subject_id IN (SELECT subject_id "
        "FROM indicator_hit GROUP BY subject_id HAVING count(*) = 1 AND "
        "any_value(indicator) = 'informative')"
    ).fetchone()[0]
    assert p < 0.5
