"""Analysis benchmark: seconds and peak memory of the indicator and scoring stages at S, M, L.

For each size a simulated region is built and ingested once into a cached workspace
(bench/out/analyze/<size>-case; --rebuild starts again), then ``analyze`` runs in its own
process so its peak resident memory is measured alone (os.wait4). As a yardstick, another
process runs one DuckDB scan-and-aggregate over the same transaction table (sum and count per
payer account); the ratio analysis ÷ scan is printed. Targets on the 2-core, 24 GB reference
machine at L: at most 90 s and 6 GB, and at most 3 × the scan.

    python bench/analyze.py [--sizes S,M,L] [--seed 1] [--profile organised] [--rebuild]
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

OUT = Path(__file__).parent / "out" / "analyze"
INVERT = str(Path(sys.executable).parent / "invert")
TARGET_L = {"seconds": 90, "peak_gb": 6.0, "ratio": 3.0}
ANALYZE = """
import json, sys
from pathlib import Path
from invert.indicators.run import analyze
from invert.workspace import Workspace
r = analyze(Workspace.open(Path(sys.argv[1])))
score = r.seconds.pop("score")
Path(sys.argv[2]).write_text(json.dumps({"indicators": sum(r.seconds.values()), "score": score,
    "hits": sum(r.hits.values()), "slowest": sorted(r.seconds.items(), key=lambda kv: -kv[1])[:5]}))
"""
SCAN = """
import json, sys, time
from pathlib import Path
from invert.workspace import Workspace
with Workspace.open(Path(sys.argv[1])).connect(read_only=True) as con:
    t = time.time()
    rows, n = con.execute('SELECT count(*), sum(n) FROM (SELECT payerAccount, count(*) AS n, '
                          'sum(amount) FROM "transaction" GROUP BY payerAccount)').fetchone()
    Path(sys.argv[2]).write_text(json.dumps({"seconds": time.time() - t, "transactions": n}))
"""


def prepare(size: str, seed: int, profile: str, rebuild: bool) -> Path:
    case, region = OUT / f"{size}-case", OUT / f"{size}-region"
    if (case / "workspace.duckdb").is_file() and not rebuild:
        return case
    for path in (case, region, OUT / f"{size}-region-answer-key"):
        shutil.rmtree(path, ignore_errors=True)
    with open(OUT / f"{size}-prepare.log", "w") as log:
        for args in (
            [
                "simulate",
                "--size",
                size,
                "--seed",
                str(seed),
                "--profile",
                profile,
                "--out",
                str(region),
            ],
            ["init", str(case)],
            ["ingest", str(case), str(region)],
        ):
            subprocess.run([INVERT, *args], stdout=log, stderr=subprocess.STDOUT, check=True)
    shutil.rmtree(region, ignore_errors=True)  # the workspace keeps its own copy of the files
    return case


def child(code: str, case: Path, report: Path) -> tuple[float, float, dict]:
    started = time.time()
    with open(report.with_suffix(".log"), "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(case), str(report)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"benchmark child failed; see {report.with_suffix('.log')}")
    return time.time() - started, usage.ru_maxrss / 1024 / 1024, json.loads(report.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="organised")
    parser.add_argument("--rebuild", action="store_true", help="simulate and ingest again")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(
        f"{'size':>4} {'transactions':>13} {'indicators s':>13} {'score s':>8} "
        f"{'total s':>8} {'peak GB':>8} {'scan s':>7} {'ratio':>6}"
    )
    results, failed = [], False
    for size in (s.strip().upper() for s in args.sizes.split(",")):
        case = prepare(size, args.seed, args.profile, args.rebuild)
        _, _, scan = child(SCAN, case, OUT / f"{size}-scan.json")
        total, peak, run = child(ANALYZE, case, OUT / f"{size}-analyze.json")
        ratio = (run["indicators"] + run["score"]) / scan["seconds"]
        r = {
            "size": size,
            "transactions": scan["transactions"],
            **run,
            "process_seconds": round(total, 1),
            "peak_gb": round(peak, 2),
            "scan_seconds": round(scan["seconds"], 2),
            "ratio": round(ratio, 1),
        }
        results.append(r)
        verdict = ""
        if size == "L":
            ok = (
                run["indicators"] + run["score"] <= TARGET_L["seconds"]
                and peak <= TARGET_L["peak_gb"]
                and ratio <= TARGET_L["ratio"]
            )
            failed = not ok
            verdict = "  PASS" if ok else "  FAIL (target: 90 s, 6 GB, 3 × scan)"
        print(
            f"{size:>4} {scan['transactions']:>13,} {run['indicators']:>13.1f} "
            f"{run['score']:>8.1f} {total:>8.1f} {peak:>8.2f} {scan['seconds']:>7.2f} "
            f"{ratio:>6.1f}{verdict}",
            flush=True,
        )
        print("      slowest: " + ", ".join(f"{k} {v:.1f} s" for k, v in run["slowest"]))
    (OUT.parent / "analyze.json").write_text(json.dumps(results, indent=2))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
