"""Entity resolution: one identity per real company, person and bank account.

``resolve`` reads the canonical tables and writes, all in one transaction:

* ``entity(kind, record_id, entity_id)``: the resolved entity of every record;
* ``match_pair``: every scored pair above the review floor, with its match weight, probability
  and the weight (log2 Bayes factor) of each compared field (for explanations and for review);
* ``resolve_model``: the trained Splink model of each kind, reused by later runs;
* ``shared_identifier``: phones and e-mails used by many different people (a risk signal,
  never a reason to merge);
* ``resolve_input_<kind>``: the compared values of each record.

Companies are resolved first (Splink, plus deterministic links on registration and VAT
numbers), then people (whose employers are compared as resolved companies), then accounts (by
IBAN, deterministically). Analysts' judgements (``resolve_judgement``) win over the scores.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import duckdb
from splink import DuckDBAPI, Linker, SettingsCreator

from invert.errors import InvertError
from invert.resolve import clusters, models, records
from invert.resolve.judgements import COLUMNS as JUDGEMENT_COLUMNS
from invert.workspace import Workspace
from invert.workspace import resolved as resolved_views

REVIEW_FLOOR = 0.5  # pairs kept for review and explanation, below the clustering threshold
DEFAULT_THRESHOLD = 0.9
SHARED_MIN_PEOPLE = 3
DETERMINISTIC = {"company": ("registration", "vat")}
ENGINES = ("duckdb", "spark")


@dataclass
class ResolveResult:
    records: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    pairs: dict[str, int] = field(default_factory=dict)
    shared_identifiers: int = 0
    trained: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS resolve_judgement ({JUDGEMENT_COLUMNS})")
    con.execute(
        "CREATE TABLE IF NOT EXISTS resolve_model (kind VARCHAR, model JSON, trained_at TIMESTAMP)"
    )
    con.execute("""CREATE TABLE IF NOT EXISTS match_pair (kind VARCHAR, id_l VARCHAR,
        id_r VARCHAR, match_weight DOUBLE, match_probability DOUBLE, rule VARCHAR,
        field_weights JSON)""")
    con.execute("""CREATE TABLE IF NOT EXISTS shared_identifier (kind VARCHAR, value VARCHAR,
        records BIGINT, people BIGINT, record_ids VARCHAR[])""")


def linker_for(con: duckdb.DuckDBPyConnection, kind: str, stored: bool = True) -> Linker:
    """A Splink linker over the stored comparison records, with the stored model if any (and
    ``stored``; a model trained again starts from the defaults, not from the old one).

    The stored model gives the trained parameters; which pairs are compared (the blocking
    rules) always comes from this version of INVERT, so an improved blocking applies to
    workspaces trained before it."""
    model = (
        stored
        and con.execute(
            "SELECT model FROM resolve_model WHERE kind = ? ORDER BY trained_at DESC LIMIT 1",
            [kind],
        ).fetchone()
    )
    current = models.SETTINGS[kind]()
    settings: dict | SettingsCreator = current
    if model:
        settings = json.loads(model[0])
        settings["blocking_rules_to_generate_predictions"] = current.create_settings_dict("duckdb")[
            "blocking_rules_to_generate_predictions"
        ]
    api = DuckDBAPI(con)
    return Linker(api.register(f"resolve_input_{kind}"), settings, log_level=logging.ERROR)


def resolve(
    ws: Workspace,
    threshold: float = DEFAULT_THRESHOLD,
    retrain: bool = False,
    progress: Callable[[str], None] = lambda _s: None,
    engine: str | None = None,
) -> ResolveResult:
    """Resolve companies, then people, then accounts; record the run.

    ``engine`` ("duckdb" or "spark") overrides the workspace's ``[engine] name``: on Spark the
    pairs are scored by Splink's Spark backend (see ``invert.spark.resolve``); training, the
    clusters and the stable ids stay in the workspace."""
    if not 0 < threshold <= 1:
        raise ValueError(f"the clustering threshold must be in (0, 1], not {threshold}")
    engine = engine or ws.setting("engine", "name", "duckdb")
    if engine not in ENGINES:
        raise InvertError(f"unknown engine {engine!r} in {ws.config_path}: use one of {ENGINES}")
    result = ResolveResult()
    started = time.time()
    with ws.connect() as con, ExitStack() as stack:
        spark = None
        if engine == "spark":
            from invert.spark import session

            progress("starting Spark")
            spark = session.for_stage(ws, stack)
        ensure_tables(con)
        for kind in records.KINDS:
            t = time.time()
            progress(f"{kind}: comparison records")
            if kind == "company":
                result.records[kind] = records.build_company(con)
            else:
                result.records[kind] = records.build_person(con, SHARED_MIN_PEOPLE)
                result.shared_identifiers = con.execute(
                    "SELECT count(*) FROM shared_identifier"
                ).fetchone()[0]
            if result.records[kind] > 1:
                result.pairs[kind] = _score(con, kind, retrain, result, progress, spark, ws)
            else:  # nothing to compare
                con.execute("DELETE FROM match_pair WHERE kind = ?", [kind])
                result.pairs[kind] = 0
            progress(f"{kind}: clusters")
            con.execute("BEGIN TRANSACTION")
            clusters.stable_ids(con, kind, clusters.components(con, kind, threshold))
            con.execute("COMMIT")
            result.seconds[kind] = time.time() - t
        _accounts(con)
        result.entities = dict(
            con.execute(
                "SELECT kind, count(DISTINCT entity_id) FROM entity GROUP BY kind"
            ).fetchall()
        )
        result.records["account"] = con.execute(
            "SELECT count(*) FROM entity WHERE kind = 'account'"
        ).fetchone()[0]
        ws.record_run(
            con,
            "resolve",
            started,
            {
                "threshold": threshold,
                "retrain": retrain,
                "review_floor": REVIEW_FLOOR,
                "shared_min_people": SHARED_MIN_PEOPLE,
                "engine": engine,
            },
            {"records": result.records, "entities": result.entities, "pairs": result.pairs},
        )
        progress("resolved copies of the tables")
        resolved_views.refresh(con, ws.model)
    return result


def _score(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    retrain: bool,
    result: ResolveResult,
    progress: Callable[[str], None],
    spark: Any = None,
    ws: Workspace | None = None,
) -> int:
    """Train (first run or on request) and predict (here, or on Spark when given a session);
    store the pairs of this kind."""
    linker = linker_for(con, kind, stored=not retrain)
    trained = (
        retrain or not con.execute("SELECT 1 FROM resolve_model WHERE kind = ?", [kind]).fetchone()
    )
    if trained:
        progress(f"{kind}: training the model (no labels)")
        models.train(linker, kind, con)
    progress(f"{kind}: scoring pairs" + (" on Spark" if spark else ""))
    try:
        if spark is None or ws is None:
            predictions = linker.inference.predict(threshold_match_probability=REVIEW_FLOOR)
            scored_table = predictions.physical_name
        else:
            from invert.spark.resolve import predict
            from invert.spark.session import data_folder

            model = linker.misc.save_model_to_json()
            scored_table = predict(spark, con, kind, model, REVIEW_FLOOR, data_folder(ws))
    except ValueError as exc:  # a weight of 0 or 1 probability: log of zero
        raise InvertError(
            f"the {kind} model gives a certain (0 or 1) probability and cannot score pairs "
            f"({exc}); train it again: invert resolve run CASE_DIR --retrain"
        ) from exc
    if trained:  # kept only once it has scored, so a failed run leaves no broken model
        con.execute("DELETE FROM resolve_model WHERE kind = ?", [kind])
        con.execute(
            "INSERT INTO resolve_model VALUES (?, ?, now())",
            [kind, json.dumps(linker.misc.save_model_to_json())],
        )
        result.trained.append(kind)
    columns = [d[0] for d in con.execute(f"SELECT * FROM {scored_table} LIMIT 0").description]
    weights = ", ".join(f"'{c[3:]}': {c}" for c in columns if c.startswith("mw_"))
    rules = (
        " UNION ALL ".join(
            f"""SELECT least(a.unique_id, b.unique_id), greatest(a.unique_id, b.unique_id),
                   '{column}' FROM resolve_input_{kind} a JOIN resolve_input_{kind} b
                   ON a.{column} = b.{column} AND a.unique_id < b.unique_id"""
            for column in DETERMINISTIC.get(kind, ())
        )
        or "SELECT NULL, NULL, NULL WHERE false"
    )
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM match_pair WHERE kind = ?", [kind])
    con.execute(f"""
        INSERT INTO match_pair
        WITH scored AS (
            SELECT unique_id_l AS id_l, unique_id_r AS id_r, match_weight, match_probability,
                   to_json({{{weights}}}) AS field_weights
            FROM {scored_table}),
        ruled AS (
            SELECT id_l, id_r, string_agg(rule, '+' ORDER BY rule) AS rule
            FROM ({rules}) AS t(id_l, id_r, rule) GROUP BY id_l, id_r)
        SELECT '{kind}', coalesce(s.id_l, r.id_l), coalesce(s.id_r, r.id_r), s.match_weight,
               CASE WHEN r.rule IS NOT NULL THEN 1.0 ELSE s.match_probability END,
               coalesce(r.rule, 'splink'), s.field_weights
        FROM scored s FULL JOIN ruled r ON r.id_l = s.id_l AND r.id_r = s.id_r""")
    con.execute("COMMIT")
    if spark is None or ws is None:
        predictions.drop_table_from_database_and_remove_from_cache()
    else:
        con.execute(f"DROP TABLE {scored_table}")
    # Splink's working tables (blocked pairs, comparison vectors, term frequencies) hold copies
    # of names and birth dates: none may outlive the run in the case database.
    linker.table_management.delete_tables_created_by_splink_from_db()
    return con.execute("SELECT count(*) FROM match_pair WHERE kind = ?", [kind]).fetchone()[0]


def _accounts(con: duckdb.DuckDBPyConnection) -> None:
    """Accounts are one entity per IBAN (or account number): deterministic, no model needed."""
    con.execute("BEGIN TRANSACTION")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE account_key AS
        SELECT id, min(coalesce(upper(iban), accountNumber, id)) AS key
        FROM bank_account GROUP BY id""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE account_cluster AS
        SELECT id AS record_id, dense_rank() OVER (ORDER BY key) AS cluster FROM account_key""")
    clusters.stable_ids(
        con, "account", con.execute("SELECT * FROM account_cluster").to_arrow_table()
    )
    con.execute("COMMIT")
