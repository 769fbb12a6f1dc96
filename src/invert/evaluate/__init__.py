"""``invert evaluate``: leads measured against a simulated region's answer key.

The only place in INVERT that reads ground truth. Workspace entities are tied to true ones
through what the sources carry: companies by registration or VAT number, persons through the
answer key's (file, line) records of the rows they were ingested from. A true entity's score is the
best score of the workspace entities standing for it (entity resolution will merge those).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from invert.errors import InvertError
from invert.evaluate.ads import AdFigures, ad_figures
from invert.evaluate.network import Recovery, recovery
from invert.evaluate.resolution import Pairwise, pairwise
from invert.workspace import Workspace

FIXED_K = (10, 50)  # precision at these fixed list lengths, as an investigator reads a list
TARGET_PRECISION = 0.80  # recall is also reported at the deepest cut-off this precise
CONTROLLER_TOP = 0.01  # controller accounts should rank in this top share of all accounts


@dataclass
class Metrics:
    planted: int
    ranked: int
    precision_at_k: float
    average_precision: float
    recall: float
    roc_auc: float = 0.0
    recall_at_precision: float = 0.0
    precision_at: dict[int, float] = field(default_factory=dict)
    extra: dict[str, float] = field(default_factory=dict)


def _metrics(con: duckdb.DuckDBPyConnection, table: str) -> Metrics:
    """Ranking quality of ``table(true_id, label, score)``: all true entities, unscored last.

    Precision@k uses k = the number of planted positives; ROC AUC treats the unscored as one
    tie at the bottom (average ranks, the Mann-Whitney form); recall at precision is the largest
    share of positives found at a cut-off whose precision is at least ``TARGET_PRECISION``.
    """
    planted, ranked, total = con.execute(
        f"SELECT count(*) FILTER (WHERE label = 1), count(*) FILTER (WHERE score IS NOT NULL), "
        f"count(*) FROM {table}"
    ).fetchone()
    if not planted:
        return Metrics(0, ranked, 0.0, 0.0, 0.0)
    fixed = ", ".join(
        f"count(*) FILTER (WHERE label = 1 AND rank <= {k}) / least({k}, {total})" for k in FIXED_K
    )
    row = con.execute(f"""
        WITH r AS (
            SELECT label, score IS NOT NULL AS scored,
                   row_number() OVER (ORDER BY score DESC NULLS LAST, true_id) AS rank,
                   sum(label) OVER (ORDER BY score DESC NULLS LAST, true_id) AS hits,
                   -- ascending rank with ties averaged, for the AUC
                   (rank() OVER (ORDER BY coalesce(score, -1e300))
                    + count(*) OVER (PARTITION BY coalesce(score, -1e300)) - 1
                    + rank() OVER (ORDER BY coalesce(score, -1e300))) / 2 AS avg_rank
            FROM {table})
        SELECT count(*) FILTER (WHERE label = 1 AND rank <= {planted}) / {planted},
               sum(CASE WHEN label = 1 AND scored THEN hits / rank ELSE 0 END) / {planted},
               count(*) FILTER (WHERE label = 1 AND scored) / {planted},
               CASE WHEN {total} > {planted} THEN
                   (sum(avg_rank) FILTER (WHERE label = 1) - {planted} * ({planted} + 1) / 2)
                   / ({planted} * ({total} - {planted})) END,
               coalesce(max(hits) FILTER (WHERE scored AND hits / rank >= {TARGET_PRECISION}), 0)
                   / {planted},
               {fixed}
        FROM r""").fetchone()
    return Metrics(
        planted=int(planted),
        ranked=int(ranked),
        precision_at_k=float(row[0]),
        average_precision=float(row[1]),
        recall=float(row[2]),
        roc_auc=float(row[3]) if row[3] is not None else 0.0,
        recall_at_precision=float(row[4]),
        precision_at={k: float(v) for k, v in zip(FIXED_K, row[5:], strict=True)},
    )


def evaluate(ws: Workspace, truth: Path) -> dict[str, Metrics]:
    truth = Path(truth)
    for name in ("labels_companies.csv", "labels_persons.csv", "records.csv"):
        if not (truth / name).is_file():
            raise InvertError(f"{truth} is not a simulator answer key (no {name})")
    with ws.connect(read_only=True, resolved=True) as con:
        if not con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'score'"
        ).fetchone()[0]:
            raise InvertError(f"no scores in {ws.path}; run: invert analyze {ws.path}")
        con.execute(f"""
            CREATE TEMP TABLE tc AS SELECT * FROM read_csv('{truth / "labels_companies.csv"}',
                all_varchar = true);
            CREATE TEMP TABLE tp AS SELECT * FROM read_csv('{truth / "labels_persons.csv"}',
                all_varchar = true);
            CREATE TEMP TABLE tr AS SELECT * FROM read_csv('{truth / "records.csv"}',
                all_varchar = true);
            CREATE TEMP TABLE company_truth AS
            SELECT DISTINCT c.id, t.company_id AS true_id
            FROM company c JOIN tc t
              ON t.kvk = c.registrationNumber OR upper(t.vat) = upper(c.vatCode);
            CREATE TEMP TABLE person_truth AS
            WITH rows_ AS (
                SELECT id, source_id, source_row FROM person
                UNION ALL SELECT employee, source_id, source_row FROM wage_payment
                UNION ALL SELECT employee, source_id, source_row FROM employment
                UNION ALL SELECT resident, source_id, source_row FROM residence)
            SELECT DISTINCT r.id, t.true_id
            FROM rows_ r JOIN tr t ON t.kind = 'person'
              AND regexp_extract(t.file, '[^/]+$') = r.source_id
              AND t.line::BIGINT = r.source_row;
            CREATE TEMP TABLE eval_company AS
            SELECT t.company_id AS true_id, t.label::INT AS label, max(s.score) AS score,
                   any_value(t.schemes) AS schemes, any_value(t.look_alike) AS look_alike
            FROM tc t LEFT JOIN company_truth m ON m.true_id = t.company_id
            LEFT JOIN score s ON s.list = 'company' AND s.subject_id = m.id
            WHERE t.company_id IN (SELECT true_id FROM company_truth)
            GROUP BY t.company_id, t.label;
        """)
        for name, label in (("person", "victim"), ("child", "child")):
            con.execute(f"""
                CREATE TEMP TABLE eval_{name} AS
                SELECT t.person_id AS true_id, t.{label}::INT AS label, max(s.score) AS score
                FROM tp t JOIN person_truth m ON m.true_id = t.person_id
                LEFT JOIN score s ON s.list = '{name}' AND s.subject_id = m.id
                WHERE t.role IN ('worker', 'victim', 'look_alike')
                GROUP BY t.person_id, t.{label}""")
        if (truth / "labels_accounts.csv").is_file():
            con.execute(f"""
                CREATE TEMP TABLE eval_account AS
                SELECT t.iban AS true_id, max(t.label::INT) AS label, max(s.score) AS score,
                       any_value(t.role) AS role
                FROM read_csv('{truth / "labels_accounts.csv"}', all_varchar = true) t
                JOIN bank_account b ON b.iban = t.iban
                LEFT JOIN score s ON s.list = 'account' AND s.subject_id = b.id
                GROUP BY t.iban""")
        if (truth / "labels_ads.csv").is_file():
            con.execute(f"""
                CREATE TEMP TABLE eval_ad AS
                SELECT t.url AS true_id, max(t.label::INT) AS label, max(s.score) AS score
                FROM read_csv('{truth / "labels_ads.csv"}', all_varchar = true, quote = '"') t
                JOIN ad a ON a.url = t.url
                LEFT JOIN score s ON s.list = 'ad' AND s.subject_id = a.id
                GROUP BY t.url""")
        names = ["company", "person", "child"]
        names += ["account"] * bool((truth / "labels_accounts.csv").is_file())
        names += ["ad"] * bool((truth / "labels_ads.csv").is_file())
        out = {name: _metrics(con, f"eval_{name}") for name in names}
        if "account" in out:
            out["account"].extra.update(_controllers(con))
        # Planted children none of whose records gives a birth date: no age rule can find them.
        out["child"].extra["no_birth_date"] = float(
            con.execute("""
                SELECT count(*) FROM (
                    SELECT t.person_id FROM tp t
                    JOIN person_truth m ON m.true_id = t.person_id
                    LEFT JOIN person p ON p.id = m.id
                    WHERE t.child = '1' AND t.role IN ('worker', 'victim', 'look_alike')
                    GROUP BY t.person_id HAVING count(p.birthDate) = 0)""").fetchone()[0]
        )
        # Recall per scheme at k = the planted companies, and hard negatives among the top k.
        k = out["company"].planted
        con.execute(f"""CREATE TEMP TABLE top_company AS SELECT * FROM eval_company
                        ORDER BY score DESC NULLS LAST, true_id LIMIT {k}""")
        for scheme, recall in con.execute("""
                SELECT s, count(*) FILTER (WHERE true_id IN (SELECT true_id FROM top_company))
                          / count(*)
                FROM (SELECT true_id, unnest(string_split(schemes, '|')) AS s FROM eval_company
                      WHERE label = 1) GROUP BY s ORDER BY s""").fetchall():
            out["company"].extra[f"recall:{scheme}"] = float(recall)
        negatives, flagged = con.execute("""
            SELECT count(*), count(*) FILTER (WHERE true_id IN (SELECT true_id FROM top_company))
            FROM eval_company WHERE look_alike IS NOT NULL""").fetchone()
        out["company"].extra["hard_negatives"] = float(negatives)
        out["company"].extra["hard_negative_fpr"] = flagged / negatives if negatives else 0.0
    return out


def _controllers(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Where the planted controllers' accounts rank among all accounts: the issue asks for the
    top ``CONTROLLER_TOP`` share (at least one place)."""
    controllers, top = con.execute(f"""
        WITH r AS (
            SELECT role, row_number() OVER (ORDER BY score DESC NULLS LAST, true_id) AS rank,
                   count(*) OVER () AS total
            FROM eval_account)
        SELECT count(*) FILTER (WHERE role = 'controller'),
               count(*) FILTER (WHERE role = 'controller'
                                AND rank <= greatest(1, ceil(total * {CONTROLLER_TOP})))
        FROM r""").fetchone()
    return {"controllers": float(controllers), "controllers_in_top": float(top)}


def write_json(
    results: dict[str, Metrics],
    path: Path,
    resolution: dict[str, Pairwise] | None = None,
    networks: list[Recovery] | None = None,
    ads: AdFigures | None = None,
) -> None:
    """The figures as JSON, for comparing runs and seeds."""
    figures: dict = {k: asdict(m) for k, m in results.items()}
    if ads:
        figures["ad_clusters"] = {
            name: {**asdict(p), "precision": p.precision, "recall": p.recall}
            for name, p in (("text", ads.text_clusters), ("posters", ads.posters))
        }
        figures["ad_clusters"]["campaigns"] = ads.campaigns
        figures["ad_clusters"]["campaigns_linked"] = ads.campaigns_linked
    if networks:
        figures["networks"] = {
            "planted": len(networks),
            "recovered": sum(n.recovered for n in networks),
            "mean_recall": sum(n.recall for n in networks) / len(networks),
            "mean_outsiders": sum(n.outsiders for n in networks) / len(networks),
            "profit_within_15pct": sum(
                abs(n.profit_error) <= 0.15 for n in networks if n.profit_error is not None
            ),
            "profit_within_15pct_of_recorded": sum(
                abs(n.profit_error_recorded) <= 0.15
                for n in networks
                if n.profit_error_recorded is not None
            ),
            "per_network": [
                {
                    **asdict(n),
                    "recovered": n.recovered,
                    "profit_error": n.profit_error,
                    "profit_error_recorded": n.profit_error_recorded,
                }
                for n in networks
            ],
        }
    if resolution:
        figures["resolution"] = {
            k: {**asdict(p), "precision": p.precision, "recall": p.recall, "f1": p.f1}
            for k, p in resolution.items()
        }
    path.write_text(json.dumps(figures, indent=1) + "\n")


def network_recovery(ws: Workspace, truth: Path) -> list[Recovery]:
    """How each planted network maps onto the graph's communities (empty if not built)."""
    with ws.connect(read_only=True) as con:
        return recovery(con, truth)


def ads(ws: Workspace, truth: Path, networks: list[Recovery]) -> AdFigures | None:
    """Ad clusters, posters and campaign links (None without ads or the ads stage)."""
    with ws.connect(read_only=True) as con:
        return ad_figures(con, truth, networks)


def resolution(ws: Workspace, truth: Path) -> dict[str, Pairwise]:
    """Pairwise quality of the workspace's entity resolution (empty if not resolved)."""
    with ws.connect(read_only=True) as con:
        return pairwise(con, truth)
