"""Entity resolution against the answer key: pairwise precision, recall and F1.

Each workspace record (a person or company id of one source) is tied to its true entity
through the answer key's (file, line) of the rows it was ingested from. A pair of records is
predicted when both have the same resolved entity, and true when both stand for the same real
one; the figures count pairs, the usual measure for deduplication.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

ROWS = {  # where each kind's record ids appear with their source rows
    "person": """SELECT id, source_id, source_row FROM person
        UNION ALL SELECT employee, source_id, source_row FROM wage_payment
        UNION ALL SELECT employee, source_id, source_row FROM employment
        UNION ALL SELECT resident, source_id, source_row FROM residence""",
    "company": """SELECT id, source_id, source_row FROM company
        UNION ALL SELECT employer, source_id, source_row FROM wage_payment
        UNION ALL SELECT employer, source_id, source_row FROM employment""",
}


@dataclass
class Pairwise:
    records: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pairwise(con: duckdb.DuckDBPyConnection, truth: Path) -> dict[str, Pairwise]:
    """Per kind, or nothing when the workspace has not been resolved yet."""
    if not con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'entity'"
    ).fetchone()[0]:
        return {}
    con.execute(f"""CREATE OR REPLACE TEMP TABLE truth_records AS
        SELECT regexp_extract(file, '[^/]+$') AS source_id, line::BIGINT AS source_row,
               kind, true_id
        FROM read_csv('{Path(truth) / "records.csv"}', all_varchar = true)""")
    out = {}
    for kind, rows in ROWS.items():
        out[kind] = Pairwise(
            *con.execute(f"""
            WITH tied AS (
                SELECT r.id, mode(t.true_id) AS true_id
                FROM ({rows}) r JOIN truth_records t ON t.kind = '{kind}'
                  AND t.source_id = r.source_id AND t.source_row = r.source_row
                GROUP BY r.id),
            j AS (SELECT e.entity_id, tied.true_id FROM tied
                  JOIN entity e ON e.kind = '{kind}' AND e.record_id = tied.id)
            SELECT (SELECT count(*) FROM j),
                   (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM
                       (SELECT count(*) AS n FROM j GROUP BY true_id)),
                   (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM
                       (SELECT count(*) AS n FROM j GROUP BY entity_id)),
                   (SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM
                       (SELECT count(*) AS n FROM j GROUP BY entity_id, true_id))""").fetchone()
        )
    return out
