"""Run the indicator catalogue over a workspace into ``indicator_hit``.

Each indicator is one set-based query; a run replaces the previous run's hits in one
transaction and records its parameters, so every hit can be explained with the values used.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from invert.ads.tables import AD_TABLES, install_ad_macros
from invert.errors import InvertError
from invert.indicators.catalogue import (
    STAGES,
    Indicator,
    RunConfig,
    load_catalogue,
    load_reference,
)
from invert.resolve import holders
from invert.scoring import PRIORS, ScoringConfig, score
from invert.scoring.learn import Learned, learn
from invert.workspace import Workspace, has_table

HIT_COLUMNS = """
    indicator VARCHAR, subject VARCHAR, subject_id VARCHAR, strength DOUBLE, value VARCHAR,
    parameters JSON, evidence STRUCT(tbl VARCHAR, id VARCHAR)[]"""
BEHAVIOUR_COLUMNS = "subject VARCHAR, subject_id VARCHAR, log_odds DOUBLE, top VARCHAR"
ENGINES = ("duckdb", "spark")
RISKY_SCHEMA = pa.schema([("country", pa.string()), ("list", pa.string())])


@dataclass
class AnalysisResult:
    indicators: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    scores: dict[str, int] = field(default_factory=dict)
    learned: dict[str, Learned] = field(default_factory=dict)
    ads_unread: int = 0  # ads the ads stage has not read (it has not run since they came)


def install_reference(con: duckdb.DuckDBPyConnection, reference: dict) -> list[str]:
    """Reference tables the queries join to: ``minimum_wage`` (by country, date and age band),
    ``minimum_wage_at_age`` (the same by whole year of age) and ``high_risk_country`` (country
    code, name of the list it is on), and the macros
    ``age_on(birth, day)``, ``is_legal_person(name_key)``, ``nace(sector)``,
    ``rows_of(tbl, ids)`` and the table macro ``inspection_says(pattern)``.

    Returns the macro definitions it ran, so another engine can expand them from the same text
    (see ``invert.spark.portable``)."""
    macros: list[str] = []

    def define(sql: str) -> None:
        con.execute(sql)
        macros.append(sql)

    rows = []
    for country, table in reference["minimum_wage"].items():
        dates = sorted(table["rates"])
        for k, start in enumerate(dates):
            end = dates[k + 1] if k + 1 < len(dates) else "9999-12-31"
            ages = sorted(int(a) for a in table["rates"][start])
            for j, age in enumerate(ages):
                rows.append(
                    {
                        "country": country,
                        "valid_from": dt.date.fromisoformat(str(start)),
                        "valid_to": dt.date.fromisoformat(str(end)),
                        # the lowest age band also covers younger workers
                        "age_from": 0 if j == 0 else age,
                        "age_to": ages[j + 1] if j + 1 < len(ages) else 200,
                        "rate": float(table["rates"][start][age]),
                    }
                )
    con.register("reference_arrow", pa.Table.from_pylist(rows))
    con.execute("CREATE OR REPLACE TEMP TABLE minimum_wage AS SELECT * FROM reference_arrow")
    con.unregister("reference_arrow")
    con.execute("""
        -- The same rates with one row per whole year of age, so payslips find theirs by an
        -- equi-join on country and age (a range join on two dimensions is a nested loop).
        CREATE OR REPLACE TEMP TABLE minimum_wage_at_age AS
        SELECT country, valid_from, valid_to, age, rate
        FROM minimum_wage, range(age_from, age_to) AS r(age)""")
    risky = [
        {"country": code, "list": name}
        for name, codes in reference["high_risk_jurisdictions"]["lists"].items()
        for code in codes
    ]
    con.register("risky_arrow", pa.Table.from_pylist(risky, schema=RISKY_SCHEMA))
    con.execute("CREATE OR REPLACE TEMP TABLE high_risk_country AS SELECT * FROM risky_arrow")
    con.unregister("risky_arrow")
    pattern = reference["legal_forms"]["pattern"].replace("'", "''")
    define(f"""
        CREATE OR REPLACE TEMP MACRO is_legal_person(name_key) AS
            coalesce(regexp_matches(name_key, '{pattern}'), false)""")
    define(r"""
        -- NACE code with its section letter and dot: '4120', 'F4120' and 'f 41.20' all read
        -- 'F41.20' (the letter comes from the division number)
        CREATE OR REPLACE TEMP MACRO nace_clean(s) AS
            regexp_replace(upper(s), '[^A-Z0-9.]', '', 'g');
        CREATE OR REPLACE TEMP MACRO nace(s) AS regexp_replace(
            CASE WHEN regexp_matches(nace_clean(s), '^\d{2}')
                 THEN substr('AAA-BBBBBCCCCCCCCCCCCCCCCCCCCCCCC-DEEEE-FFF-GGG-HHHHH-II-'
                             || 'JJJJJJKKK-LMMMMMMM-NNNNNN-OPQQQ-RRRRSSSTTU',
                             try_cast(left(nace_clean(s), 2) AS INT), 1) || nace_clean(s)
                 ELSE nace_clean(s) END,
            '^([A-U])(\d{2})(\d{1,2})$', '\1\2.\3')""")
    define("""
        -- Inspections whose findings or summary say something (a case-insensitive pattern):
        -- one row per inspection with the matching findings and the matching summary part.
        CREATE OR REPLACE TEMP MACRO inspection_says(pattern) AS TABLE
            SELECT id, employer, date, matched FROM (
                SELECT id, employer, date,
                       list_filter(coalesce(findings, []), x -> regexp_matches(x, pattern, 'i'))
                       || CASE WHEN regexp_matches(summary, pattern, 'i')
                               THEN [regexp_extract(summary, pattern, 0, 'i')] ELSE [] END
                       AS matched
                FROM inspection WHERE employer IS NOT NULL)
            WHERE array_length(matched) > 0""")
    define("""
        -- Evidence rows {tbl, id} from a list of ids: aggregating plain ids and wrapping them
        -- afterwards is several times faster than aggregating structs, on millions of rows.
        CREATE OR REPLACE TEMP MACRO rows_of(tbl, ids) AS
            list_transform(ids, x -> {'tbl': tbl, 'id': x})""")
    define("""
        CREATE OR REPLACE TEMP MACRO age_on(birth, d) AS
            year(d) - year(birth)
            - CASE WHEN month(d) * 100 + day(d) < month(birth) * 100 + day(birth)
                   THEN 1 ELSE 0 END""")
    return macros


def install_worker_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables of the analysis built from the workspace's records (not reference data):
    ``payslip_week``, ``registered_name``, ``account_holder`` and the table macro
    ``usual_hours(lo, hi)`` over them. Returns the macro definition, for another engine to
    expand."""
    con.execute("""
        -- Hours and age of workers under 18 per pay period, for the child-labour thresholds.
        -- The ILO/UCW thresholds are on usual weekly hours, so the queries compare total hours
        -- with total days over the periods rather than the busiest month: a full-time
        -- 173.5-hour month is 43 hours a week in February but 40 over a year. Concurrent
        -- payslips for one period (two jobs) add up. Adults' payslips are left out before
        -- grouping (millions at L).
        CREATE OR REPLACE TEMP TABLE payslip_week AS
        SELECT w.employee, w.periodStart,
               coalesce(w.periodEnd, last_day(w.periodStart)) - w.periodStart + 1 AS days,
               sum(coalesce(w.hoursWorked, w.hoursPaid)) AS hours,
               age_on(any_value(p.birthDate), w.periodStart) AS age,
               list(w.id ORDER BY w.id) AS ids
        FROM wage_payment w
        JOIN (SELECT id, max(birthDate) AS birthDate FROM person GROUP BY id) p
          ON p.id = w.employee
        WHERE w.periodStart < p.birthDate + INTERVAL 18 YEAR
          AND coalesce(w.hoursWorked, w.hoursPaid) IS NOT NULL
        GROUP BY w.employee, w.periodStart, coalesce(w.periodEnd, last_day(w.periodStart))
        HAVING days > 0;
        -- Names of the registered companies, to recognise an account held by a company whose
        -- name carries no legal form (a pay-card provider, a sole trader's trading name).
        CREATE OR REPLACE TEMP VIEW registered_name AS
        SELECT DISTINCT name_key FROM company WHERE name_key IS NOT NULL;
    """)
    holders.install(con)
    usual = """
        -- Usual weekly hours of the workers aged lo to hi on their payslips: all their hours
        -- over all their paid days at that age, with the busiest period and the payslips.
        CREATE OR REPLACE TEMP MACRO usual_hours(lo, hi) AS TABLE
            SELECT employee, sum(hours) / sum(days) * 7 AS weekly,
                   max(hours / days * 7) AS peak, min(age) AS age, count(*) AS periods,
                   flatten(list(ids ORDER BY periodStart)) AS ids
            FROM payslip_week
            WHERE age BETWEEN lo AND hi
            GROUP BY employee"""
    con.execute(usual)
    return [usual]


def analyze(
    ws: Workspace,
    config_path: Path | None = None,
    progress: Callable[[str], None] = lambda _s: None,
    learn_weights: bool = True,
    only: set[str] | None = None,
    resolved: bool = True,
    engine: str | None = None,
) -> AnalysisResult:
    """Indicators, then (when the workspace holds inspection outcomes) learned weights, then
    scores: all written in one transaction, each stage recorded in ``runs``.

    ``resolved`` (the default) analyses resolved entities once ``invert resolve`` has run;
    without it every source record stands alone (to measure what resolution changes).
    ``only`` restricts the run to some indicators (plus, for one of a later stage, the earlier
    stages it reads), to check an indicator quickly; the scores then rest on those alone.
    ``engine`` ("duckdb" or "spark") overrides the workspace's ``[engine] name``: on Spark the
    indicators run there (see ``invert.spark.indicators``); weights and scores, which read
    only the hits, stay in DuckDB.
    """
    engine = engine or ws.setting("engine", "name", "duckdb")
    if engine not in ENGINES:
        raise InvertError(f"unknown engine {engine!r} in {ws.config_path}: use one of {ENGINES}")
    config = RunConfig.load(config_path)
    catalogue = load_catalogue(config)
    if only is not None:
        last = max((STAGES.index(i.stage) for i in catalogue if i.id in only), default=0)
        catalogue = [i for i in catalogue if i.id in only or STAGES.index(i.stage) < last]
    reference = load_reference(config)
    result = AnalysisResult(indicators=len(catalogue))
    started = time.time()
    with ws.connect(resolved=resolved, follow_analysis=False) as con, ExitStack() as stack:
        macros = install_reference(con, reference) + install_worker_tables(con)
        con.execute(f"CREATE TABLE IF NOT EXISTS indicator_hit ({HIT_COLUMNS})")
        con.execute(f"CREATE OR REPLACE TEMP TABLE new_hit ({HIT_COLUMNS})")
        con.execute(f"CREATE OR REPLACE TEMP TABLE behaviour ({BEHAVIOUR_COLUMNS})")
        behaviour_ready = False
        _stage_placeholders(con)
        macros += install_ad_macros(con)
        result.ads_unread = con.execute(
            "SELECT count(*) FROM ad ANTI JOIN ad_text t ON t.ad = ad.id"
        ).fetchone()[0]
        spark = None
        if engine == "spark":
            progress("tables to Spark")
            from invert.spark.indicators import SparkIndicators

            spark = SparkIndicators.prepare(ws, con, macros, catalogue)
            stack.callback(spark.stop)
        for ind in catalogue:  # entity-stage indicators first, then network, then link
            if ind.stage != "entity" and not behaviour_ready:
                _behaviour(con, catalogue)
                behaviour_ready = True
            progress(f"indicator {ind.id}")
            t = time.time()
            hits = spark.run(ind) if spark else -1
            result.hits[ind.id] = hits if hits >= 0 else _run_one(con, ind)
            result.seconds[ind.id] = time.time() - t
        config_file = str(Path(config_path).resolve()) if config_path else None
        where = {"engine": engine}
        if spark:
            where |= {"on_driver": spark.on_driver, "spark_seconds": spark.seconds}
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM indicator_hit")
        con.execute("INSERT INTO indicator_hit SELECT * FROM new_hit")
        ws.record_run(
            con,
            "indicators",
            started,
            {
                "config": config_file,
                "resolved": resolved,
                **where,
                "indicators": {i.id: i.parameters for i in catalogue},
            },
            result.hits,
        )
        progress("weights from outcomes")
        learned_at = time.time()
        result.learned = learn(con, catalogue) if learn_weights else {}
        _store_learned(con, result.learned)
        if result.learned:
            ws.record_run(
                con,
                "learn",
                learned_at,
                {"lists": list(result.learned)},
                {k: v.labels for k, v in result.learned.items()},
            )
        progress("scores")
        scored = time.time()
        priors = {**PRIORS, **config.priors}
        result.scores = score(con, catalogue, ScoringConfig(priors), result.learned)
        result.seconds["score"] = time.time() - scored
        ws.record_run(
            con, "score", scored, {"config": config_file, "priors": priors}, result.scores
        )
        con.execute("COMMIT")
    return result


LEARNED_COLUMNS = "list VARCHAR, indicator VARCHAR, weight DOUBLE, intercept DOUBLE, labels INT"
FOLD_COLUMNS = """list VARCHAR, fold INT, train INT, test INT, roc_auc DOUBLE,
    average_precision DOUBLE, brier DOUBLE"""


def _store_learned(con: duckdb.DuckDBPyConnection, learned: dict[str, Learned]) -> None:
    """Keep the learned weights and their validation next to the scores they produced."""
    con.execute(f"CREATE TABLE IF NOT EXISTS learned_weight ({LEARNED_COLUMNS})")
    con.execute(f"CREATE TABLE IF NOT EXISTS learning_fold ({FOLD_COLUMNS})")
    con.execute("DELETE FROM learned_weight")
    con.execute("DELETE FROM learning_fold")
    for fit in learned.values():
        con.executemany(
            "INSERT INTO learned_weight VALUES (?, ?, ?, ?, ?)",
            [[fit.list, k, w, fit.intercept, fit.labels] for k, w in fit.weights.items()],
        )
        con.executemany(
            "INSERT INTO learning_fold VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                [fit.list, n, f.train, f.test, f.roc_auc, f.average_precision, f.brier]
                for n, f in enumerate(fit.folds, start=1)
            ],
        )


# Tables of later stages that some indicators read (the network, the ads stage); empty stand-ins
# when that stage has not run, so those indicators find nothing instead of failing.
STAGE_TABLES = {
    "graph_node": "node VARCHAR, kind VARCHAR, label VARCHAR",
    "graph_edge": "source VARCHAR, source_kind VARCHAR, target VARCHAR, target_kind VARCHAR, "
    "type VARCHAR, relation VARCHAR, count BIGINT, amount DOUBLE, first_date DATE, "
    "last_date DATE",
    "graph_membership": "node VARCHAR, component BIGINT, community BIGINT, degree BIGINT, "
    "pagerank DOUBLE",
    **AD_TABLES,
}


def _stage_placeholders(con: duckdb.DuckDBPyConnection) -> None:
    for table, columns in STAGE_TABLES.items():
        if not has_table(con, table):
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({columns})")


def _behaviour(con: duckdb.DuckDBPyConnection, catalogue: list[Indicator]) -> None:
    """Each subject's behaviour log-odds from the entity-stage hits (context priors left out),
    with its strongest reason, for the network-stage indicators that pass risk along ties."""
    weights = pa.table(
        {
            "indicator": [i.id for i in catalogue if not i.context and i.stage == "entity"],
            "weight": [i.weight for i in catalogue if not i.context and i.stage == "entity"],
        }
    )
    con.register("behaviour_weights", weights)
    con.execute("""
        INSERT INTO behaviour
        WITH strongest AS (
            SELECT h.subject, h.subject_id, h.indicator,
                   max(h.strength) * any_value(w.weight) AS contribution
            FROM new_hit h JOIN behaviour_weights w USING (indicator)
            GROUP BY ALL)
        -- rounded so that equal evidence gives equal figures whatever order the sum ran in:
        -- the network indicators break ties between neighbours on them
        SELECT subject, subject_id, round(sum(contribution), 9) AS log_odds,
               arg_max(indicator, (contribution, indicator)) AS top
        FROM strongest GROUP BY ALL""")
    con.unregister("behaviour_weights")


def _run_one(con: duckdb.DuckDBPyConnection, ind: Indicator) -> int:
    params = {k: v for k, v in ind.parameters.items() if f"${k}" in ind.query}
    try:
        row = con.execute(
            f"""INSERT INTO new_hit
                SELECT '{ind.id}', '{ind.subject}', subject_id,
                       least(1.0, greatest(0.0, strength)), value,
                       '{json.dumps(ind.parameters).replace("'", "''")}', evidence
                FROM ({ind.query}) WHERE subject_id IS NOT NULL""",
            params,
        ).fetchone()
    except duckdb.Error as exc:
        raise InvertError(f"indicator {ind.id} ({ind.origin}) failed: {exc}") from exc
    return int(row[0]) if row else 0
