"""Simulator benchmark: seconds and peak memory to build regions of size S, M and L.

Each size runs in its own process so its peak resident memory is measured alone (os.wait4
returns the child's resource usage). Targets on the 2-core, 24 GB reference machine: L in at
most 5 minutes and 6 GB.

    python bench/simulate.py [--sizes S,M,L] [--seed 1] [--profile organised] [--keep]
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

OUT = Path(__file__).parent / "out" / "simulate"
TARGET_L = {"seconds": 300, "peak_gb": 6.0}
CHILD = """
import json, sys
from pathlib import Path
from invert.simulate import simulate
from invert.simulate.config import Settings
sim = simulate(Path(sys.argv[1]), Settings(size=sys.argv[2], seed=int(sys.argv[3]),
                                           profile=sys.argv[4]))
Path(sys.argv[5]).write_text(json.dumps({"rows": sim.rows, "networks": sim.networks}))
"""


def run(size: str, seed: int, profile: str) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / size
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(OUT / f"{size}-answer-key", ignore_errors=True)
    report = OUT / f"{size}.json"
    started = time.time()
    # The child's output goes to a log file, not a pipe: a pipe nobody reads until the child
    # ends would block the child as soon as DuckDB's progress output fills it.
    with open(OUT / f"{size}.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(out), size, str(seed), profile, str(report)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.time() - started
    if status != 0:
        raise SystemExit(f"simulate --size {size} failed (status {status}); see {OUT}/{size}.log")
    info = json.loads(report.read_text())
    size_bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "size": size,
        "seconds": round(seconds, 1),
        "peak_gb": round(usage.ru_maxrss / 1024 / 1024, 2),
        "output_gb": round(size_bytes / 1e9, 2),
        "networks": info["networks"],
        "transactions": sum(v for k, v in info["rows"].items() if k.startswith("bank/")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="organised")
    parser.add_argument("--keep", action="store_true", help="keep the generated regions")
    args = parser.parse_args()
    print(
        f"{'size':>4} {'seconds':>8} {'peak GB':>8} {'files GB':>9} {'networks':>9} "
        f"{'bank rows':>11}"
    )
    results = []
    for size in args.sizes.split(","):
        r = run(size.strip().upper(), args.seed, args.profile)
        results.append(r)
        verdict = ""
        if r["size"] == "L":
            ok = r["seconds"] <= TARGET_L["seconds"] and r["peak_gb"] <= TARGET_L["peak_gb"]
            verdict = "  PASS" if ok else "  FAIL (target: 300 s, 6 GB)"
        print(
            f"{r['size']:>4} {r['seconds']:>8} {r['peak_gb']:>8} {r['output_gb']:>9} "
            f"{r['networks']:>9} {r['transactions']:>11,}{verdict}",
            flush=True,
        )
        if not args.keep:
            shutil.rmtree(OUT / r["size"], ignore_errors=True)
    (OUT.parent / "simulate.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
