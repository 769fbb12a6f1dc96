"""``invert evaluate``: leads measured against a simulated region's answer key.

The only place in INVERT that reads ground truth. Workspace entities are tied to true ones
through what the sources carry: companies by registration or VAT number, persons through the
answer key's (file, line) records of the rows they were ingested from. A true entity's score is the
best score of the workspace entities standing for it (entity resolution will merge those).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from invert.errors import InvertError
from invert.workspace import Workspace


@dataclass
class Metrics:
    planted: int
    ranked: int
    precision_at_k: float
    average_precision: float
    recall: float
    extra: dict[str, float] = field(default_factory=dict)


def _metrics(con: duckdb.DuckDBPyConnection, table: str) -> Metrics:
    """Ranking quality of ``table(true_id, label, score)``: all true entities, unscored last."""
    planted, ranked = con.execute(
        f"SELECT count(*) FILTER (WHERE label = 1), count(*) FILTER (WHERE score IS NOT NULL) "
        f"FROM {table}"
    ).fetchone()
    if not planted:
        return Metrics(0, ranked, 0.0, 0.0, 0.0)
    p_at_k, ap, recall = con.execute(f"""
        WITH r AS (
            SELECT label, score IS NOT NULL AS scored,
                   row_number() OVER (ORDER BY score DESC NULLS LAST, true_id) AS rank,
                   sum(label) OVER (ORDER BY score DESC NULLS LAST, true_id) AS hits
            FROM {table})
        SELECT (SELECT count(*) FILTER (WHERE label = 1) FROM r WHERE rank <= {planted})
                   / {planted},
               sum(CASE WHEN label = 1 AND scored THEN hits / rank ELSE 0 END) / {planted},
               count(*) FILTER (WHERE label = 1 AND scored) / {planted}
        FROM r""").fetchone()
    return Metrics(int(planted), int(ranked), float(p_at_k), float(ap), float(recall))


def evaluate(ws: Workspace, truth: Path) -> dict[str, Metrics]:
    truth = Path(truth)
    for name in ("labels_companies.csv", "labels_persons.csv", "records.csv"):
        if not (truth / name).is_file():
            raise InvertError(f"{truth} is not a simulator answer key (no {name})")
    with ws.connect(read_only=True) as con:
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
        out = {name: _metrics(con, f"eval_{name}") for name in ("company", "person", "child")}
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
