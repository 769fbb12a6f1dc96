"""Log-odds scores: the sum of their reasons, ordered, with context priors capped apart."""

from __future__ import annotations

import math

import duckdb
import pytest

from invert.indicators.catalogue import Indicator, Source
from invert.scoring import ScoringConfig, score


def _ind(ind_id: str, subject: str, weight: float, context: bool = False) -> Indicator:
    return Indicator(
        ind_id, subject, ind_id, "d", (Source("K", "A"),), {}, weight, "", context=context
    )


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute("""CREATE TABLE indicator_hit (indicator VARCHAR, subject VARCHAR,
        subject_id VARCHAR, strength DOUBLE, value VARCHAR, parameters JSON,
        evidence STRUCT(tbl VARCHAR, id VARCHAR)[])""")
    yield c
    c.close()


def test_score_is_prior_plus_weighted_reasons(con):
    con.execute("""INSERT INTO indicator_hit VALUES
        ('a', 'company', 'c1', 1.0, 'strong', '{}', []),
        ('a', 'company', 'c1', 0.5, 'weaker duplicate', '{}', []),
        ('b', 'company', 'c1', 0.5, 'half', '{}', []),
        ('sector', 'company', 'c1', 1.0, 'high-risk sector', '{}', []),
        ('sector', 'company', 'c2', 1.0, 'high-risk sector', '{}', [])""")
    catalogue = [
        _ind("a", "company", 2.0),
        _ind("b", "company", 1.0),
        _ind("sector", "company", 3.0, context=True),
    ]
    counts = score(
        con,
        catalogue,
        ScoringConfig(
            {
                "company": 0.01,
                "person": 0.01,
                "child": 0.01,
                "account": 0.01,
                "ad": 0.01,
                "network": 0.01,
            },
            context_cap=0.7,
        ),
    )
    assert counts == {"company": 1}  # c2 has context only: never a lead on its own
    value, prob, reasons, context = con.execute(
        "SELECT score, probability, reasons, context FROM score"
    ).fetchone()
    prior = math.log(0.01 / 0.99)
    assert value == pytest.approx(prior + 2.0 + 0.5 + 0.7)
    assert prob == pytest.approx(1 / (1 + math.exp(-value)))
    assert [r["indicator"] for r in reasons] == ["a", "b"]
    assert reasons[0]["value"] == "strong"
    assert context[0]["contribution"] == 3.0  # shown in full, counted up to the cap


def test_children_appear_in_the_child_and_person_lists(con):
    con.execute("""INSERT INTO indicator_hit VALUES
        ('ch', 'child', 'p1', 1.0, 'aged 13', '{}', [])""")
    score(con, [_ind("ch", "child", 3.0)])
    assert sorted(r[0] for r in con.execute("SELECT list FROM score").fetchall()) == [
        "child",
        "person",
    ]
