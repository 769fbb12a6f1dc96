"""Spark benchmark: the heaviest indicators on Spark (local mode) against DuckDB, on one case.

It copies an analysed case (default: the M case `make bench` leaves in bench/out/pipeline/M) and
runs the same indicators, those that read every transaction or payslip, once per engine, each
run a process of its own (peak memory through os.wait4; Spark's JVM is that process's child).
It prints seconds per indicator on each engine, their ratio, and Spark's fixed costs (writing
the tables to Parquet, starting the session). These rates feed the cluster estimate in
docs/scale.md. There is no pass or fail: Spark on two local cores is not meant to beat DuckDB.

    python bench/spark.py [--case PATH] [--indicators a,b,c]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out" / "spark"
DEFAULT_CASE = Path(__file__).parent / "out" / "pipeline" / "M" / "case"
HEAVY = (
    "tx_salary_no_living_spend",
    "tx_salary_in_then_out",
    "wk_wage_below_minimum",
    "tx_structuring",
)
RUN = """
import json, sys
from pathlib import Path
from invert.indicators.run import analyze
from invert.workspace import Workspace
engine, only = sys.argv[3], set(sys.argv[4].split(","))
ws = Workspace.open(Path(sys.argv[1]))
r = analyze(ws, engine=engine, only=only, learn_weights=False)
with ws.connect(read_only=True) as con:
    rows = con.execute('SELECT (SELECT count(*) FROM "transaction"), '
                       '(SELECT count(*) FROM wage_payment)').fetchone()
    spark = con.execute("SELECT parameters->'spark_seconds' FROM runs "
                        "WHERE stage = 'indicators' ORDER BY started_at DESC LIMIT 1").fetchone()
Path(sys.argv[2]).write_text(json.dumps({"seconds": r.seconds, "hits": r.hits,
    "transactions": rows[0], "payslips": rows[1],
    "spark": json.loads(spark[0]) if spark and spark[0] else {}}))
"""


def child(case: Path, report: Path, engine: str, only: str) -> tuple[float, float, dict]:
    started = time.time()
    with open(report.with_suffix(".log"), "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", RUN, str(case), str(report), engine, only],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"benchmark child failed; see {report.with_suffix('.log')}")
    return time.time() - started, usage.ru_maxrss / 1024 / 1024, json.loads(report.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE)
    parser.add_argument("--indicators", default=",".join(HEAVY))
    args = parser.parse_args()
    if not (args.case / "workspace.duckdb").is_file():
        raise SystemExit(f"{args.case} is not a case workspace: run `make bench SIZES=M` first")
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    for engine in ("duckdb", "spark"):
        case = OUT / f"case-{engine}"
        shutil.rmtree(case, ignore_errors=True)
        shutil.copytree(args.case, case)
        total, peak, run = child(case, OUT / f"{engine}.json", engine, args.indicators)
        results[engine] = {"total": total, "peak_gb": peak, **run}
        shutil.rmtree(case, ignore_errors=True)
    duck, spark = results["duckdb"], results["spark"]
    print(f"case {args.case}: {duck['transactions']:,} transactions, {duck['payslips']:,} payslips")
    print(f"{'indicator':<30} {'hits':>8} {'DuckDB s':>9} {'Spark s':>8} {'ratio':>6}")
    for ind in args.indicators.split(","):
        d, s = duck["seconds"][ind], spark["seconds"][ind]
        print(f"{ind:<30} {duck['hits'][ind]:>8,} {d:>9.2f} {s:>8.2f} {s / max(d, 1e-3):>6.1f}")
        assert duck["hits"][ind] == spark["hits"][ind], f"{ind}: the engines disagree"
    heavy = args.indicators.split(",")
    d_sum = sum(duck["seconds"][i] for i in heavy)
    s_sum = sum(spark["seconds"][i] for i in heavy)
    fixed = spark["spark"]
    print(f"{'together':<30} {'':>8} {d_sum:>9.2f} {s_sum:>8.2f} {s_sum / max(d_sum, 1e-3):>6.1f}")
    print(
        f"Spark's fixed costs: tables to Parquet {fixed.get('export', 0):.1f} s, session "
        f"{fixed.get('session', 0):.1f} s; whole process {spark['total']:.0f} s, "
        f"peak {spark['peak_gb']:.2f} GB (DuckDB {duck['total']:.0f} s, {duck['peak_gb']:.2f} GB)"
    )
    print(
        f"transactions per second per core (2 cores): DuckDB "
        f"{duck['transactions'] / d_sum / 2:,.0f}, Spark {duck['transactions'] / s_sum / 2:,.0f}"
    )
    (Path(__file__).parent / "out" / "spark.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
