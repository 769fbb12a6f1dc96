"""Weights learned from inspection outcomes, with honest time-ordered validation.

When the workspace holds outcomes (``outcome.result``: confirmed = exploitation found,
not_found = none found; other results are left out), each lead list with enough of both is
refitted: a logistic regression on the subjects' indicator strengths whose weights are pulled
towards the catalogue's weights (a Gaussian prior centred on them, so few labels move little)
and kept non-negative (an indicator is evidence for exploitation, never against it). The
intercept is learned too, so probabilities are calibrated to the case's own base rate.

Quality is measured before the final fit, with expanding-window splits in outcome-date order:
each fold trains on the earlier outcomes and tests on the next ones, as the model would be used.
Per-subject contributions stay ``weight × strength``, so learned scores explain themselves too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise

import duckdb
import numpy as np
from scipy.optimize import minimize
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from invert.indicators.catalogue import Indicator
from invert.scoring import LISTS

MIN_EACH_CLASS = 5  # outcomes of each kind needed before a list is refitted
FOLDS = 4
PRIOR_STRENGTH = 1.0  # precision of the Gaussian prior on each weight (1 / variance)


@dataclass
class Fold:
    train: int
    test: int
    roc_auc: float | None
    average_precision: float | None
    brier: float


@dataclass
class Learned:
    list: str
    labels: int
    positives: int
    intercept: float
    weights: dict[str, float]
    folds: list[Fold] = field(default_factory=list)


def learn(
    con: duckdb.DuckDBPyConnection, catalogue: list[Indicator], hits_table: str = "new_hit"
) -> dict[str, Learned]:
    """Fit every list that has enough outcomes; lists without stay on the catalogue weights."""
    if not con.execute(
        "SELECT count(*) FROM outcome WHERE result IN ('confirmed', 'not_found')"
    ).fetchone()[0]:
        return {}
    behaviour = [i for i in catalogue if not i.context]
    out: dict[str, Learned] = {}
    for name, subjects in LISTS.items():
        ids = [i.id for i in behaviour if i.subject in subjects]
        if not ids:
            continue
        x, y, prior = _design(con, hits_table, subjects, ids, catalogue)
        if min(int(y.sum()), int(len(y) - y.sum())) < MIN_EACH_CLASS:
            continue
        w0 = np.array([next(i.weight for i in behaviour if i.id == k) for k in ids])
        folds = _validate(x, y, w0, prior)
        intercept, weights = _fit(x, y, w0, prior)
        out[name] = Learned(
            list=name,
            labels=len(y),
            positives=int(y.sum()),
            intercept=float(intercept),
            weights={k: float(w) for k, w in zip(ids, weights, strict=True)},
            folds=folds,
        )
    return out


def _design(
    con: duckdb.DuckDBPyConnection,
    hits_table: str,
    subjects: tuple[str, ...],
    ids: list[str],
    catalogue: list[Indicator],
) -> tuple[np.ndarray, np.ndarray, float]:
    """Indicator strengths of the labelled subjects, in outcome-date order."""
    rows = con.execute(
        f"""
        WITH labels AS (
            SELECT subject AS subject_id, max(result = 'confirmed')::INT AS y,
                   min(coalesce(date, DATE '1900-01-01')) AS day
            FROM outcome WHERE result IN ('confirmed', 'not_found') GROUP BY subject),
        kind AS (  -- which list a labelled subject belongs to: the table it lives in
            SELECT id AS subject_id, 'company' AS subject FROM company
            UNION ALL SELECT id, 'person' FROM person
            UNION ALL SELECT id, 'account' FROM bank_account)
        SELECT l.subject_id, l.y, l.day,
               map_from_entries(coalesce(list((h.indicator, h.strength))
                   FILTER (WHERE h.indicator IS NOT NULL), [])) AS strengths
        FROM labels l JOIN kind k USING (subject_id)
        LEFT JOIN (SELECT subject_id, indicator, max(strength) AS strength FROM {hits_table}
                   WHERE subject IN (SELECT unnest($subjects)) GROUP BY ALL) h
               USING (subject_id)
        WHERE k.subject IN (SELECT unnest($subjects))
           OR (k.subject = 'person' AND list_contains($subjects, 'child'))
        GROUP BY l.subject_id, l.y, l.day
        ORDER BY l.day, l.subject_id""",
        {"subjects": list(subjects)},
    ).fetchall()
    x = np.array([[float(r[3].get(k, 0.0)) for k in ids] for r in rows]).reshape(len(rows), -1)
    y = np.array([r[1] for r in rows], dtype=float)
    p = min(max(float(y.mean()) if len(y) else 0.5, 1e-3), 1 - 1e-3)
    return x, y, math.log(p / (1 - p))


def _fit(x: np.ndarray, y: np.ndarray, w0: np.ndarray, b0: float) -> tuple[float, np.ndarray]:
    """MAP logistic regression: weights ≥ 0 with a Gaussian prior around the catalogue's."""

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        b, w = theta[0], theta[1:]
        z = b + x @ w
        p = 1 / (1 + np.exp(-z))
        nll = float(np.sum(np.logaddexp(0, z) - y * z))
        penalty = 0.5 * PRIOR_STRENGTH * float(np.sum((w - w0) ** 2))
        grad_z = p - y
        grad = np.concatenate([[grad_z.sum()], x.T @ grad_z + PRIOR_STRENGTH * (w - w0)])
        return nll + penalty, grad

    theta0 = np.concatenate([[b0], w0])
    bounds = [(None, None)] + [(0.0, None)] * len(w0)
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B", bounds=bounds)
    return float(res.x[0]), res.x[1:]


def _validate(x: np.ndarray, y: np.ndarray, w0: np.ndarray, b0: float) -> list[Fold]:
    """Expanding-window folds in outcome-date order: train on the past, test on what follows."""
    n = len(y)
    edges = [round(n * k / (FOLDS + 1)) for k in range(1, FOLDS + 2)]
    folds = []
    for start, end in pairwise(edges):
        train_y, test_y = y[:start], y[start:end]
        if len(test_y) == 0 or len(set(train_y)) < 2:
            continue
        b, w = _fit(x[:start], train_y, w0, b0)
        p = 1 / (1 + np.exp(-(b + x[start:end] @ w)))
        both = len(set(test_y)) == 2
        folds.append(
            Fold(
                train=start,
                test=end - start,
                roc_auc=float(roc_auc_score(test_y, p)) if both else None,
                average_precision=float(average_precision_score(test_y, p)) if both else None,
                brier=float(brier_score_loss(test_y, p)),
            )
        )
    return folds
