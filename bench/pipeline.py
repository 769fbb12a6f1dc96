"""Whole-pipeline benchmark: every stage of `make demo` at sizes S, M and L, end to end.

For each size a fresh folder bench/out/pipeline/<size> receives a simulated region (seed 1,
organised profile, as in the other benchmarks) and a new case workspace, and the stages run one
after another exactly as a user types them: simulate, init, ingest, resolve run, ads run,
network build, money flows, analyze. Each stage is an ``invert`` command in its own process, so
its wall time and peak resident memory (os.wait4) are measured alone; its output goes to
<size>/<stage>.log. Afterwards the workspace is counted to give each stage's rows per second:

* simulate, ingest: rows read from the region's files (the ``sources`` table);
* resolve: person and company records; ads: job ads; money: transactions;
* network: graph nodes + edges built; analyze: rows in all canonical tables.

The growth exponent from M to L is log(t_L / t_M) / log(n_L / n_M), with n each stage's own
rows (above) and, for the whole pipeline, the rows read from the region's files. Targets of
issue #9 on the 2-core, 24 GB reference machine at L: whole pipeline in at most 10 minutes,
peak memory at most 8 GB, growth exponent M -> L at most 1.15. The whole is judged with the
simulation included; the table also gives the time without it (ingesting and analysing files
as an investigator receives them).

A stage that fails stops its size there, but what ran is still measured and written, the
failed stage marked with its log, and the run exits with status 1.

Results of sizes not run this time are kept from the previous bench/out/pipeline.json (same
seed and profile), so ``--sizes L`` after ``--sizes S,M`` still gives the M -> L exponent.
Writes bench/out/pipeline.json and bench/out/pipeline.md (a Markdown table).

    python bench/pipeline.py [--sizes S,M,L] [--seed 1] [--profile organised] [--keep]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

OUT = Path(__file__).parent / "out"
INVERT = str(Path(sys.executable).parent / "invert")
SIZES = ("S", "M", "L")
STAGES = ("simulate", "init", "ingest", "resolve", "ads", "network", "money", "analyze")
TARGET_L = {"seconds": 600.0, "peak_gb": 8.0, "exponent": 1.15}


def commands(region: Path, case: Path, size: str, seed: int, profile: str) -> dict[str, list]:
    """The ``invert`` arguments of each stage, in the order of the Makefile's demo target."""
    r, c = str(region), str(case)
    region_args = ["--size", size, "--seed", str(seed), "--profile", profile, "--out", r]
    return {
        "simulate": ["simulate", *region_args],
        "init": ["init", c],
        "ingest": ["ingest", c, r],
        "resolve": ["resolve", "run", c],
        "ads": ["ads", "run", c],
        "network": ["network", "build", c],
        "money": ["money", c, "flows"],
        "analyze": ["analyze", c],
    }


def measure(args: list[str], log: Path) -> tuple[float, float, bool]:
    """Seconds, peak resident GB and success of one ``invert`` command run as a child
    process."""
    started = time.time()
    # Output to a file, not a pipe: an unread pipe would block the child once it fills.
    with open(log, "w") as out:
        proc = subprocess.Popen([INVERT, *args], stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    return time.time() - started, usage.ru_maxrss / 1024 / 1024, status == 0


def count(case: Path) -> dict[str, int]:
    """Rows each stage handled, read from the finished workspace."""
    from invert.model import default_model

    with duckdb.connect(str(case / "workspace.duckdb"), read_only=True) as con:

        def n(sql: str) -> int:
            return int(con.execute(sql).fetchone()[0] or 0)

        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        canonical = sum(n(f'SELECT count(*) FROM "{t.table}"') for t in default_model())
        files = n("SELECT sum(rows_read) FROM sources")
        graph = sum(n(f"SELECT count(*) FROM {t}") for t in ("graph_node", "graph_edge"))
        return {
            "simulate": files,
            "init": 0,
            "ingest": files,
            "resolve": n("SELECT count(*) FROM person") + n("SELECT count(*) FROM company"),
            "ads": n("SELECT count(*) FROM ad"),
            "network": graph if {"graph_node", "graph_edge"} <= tables else 0,
            "money": n('SELECT count(*) FROM "transaction"'),
            "analyze": canonical,
        }


def run_size(size: str, seed: int, profile: str, keep: bool) -> dict:
    folder = OUT / "pipeline" / size
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    region, case = folder / "region", folder / "case"
    stages = {}
    failed = None
    for stage, args in commands(region, case, size, seed, profile).items():
        log = folder / f"{stage}.log"
        seconds, peak, ok = measure(args, log)
        stages[stage] = {"seconds": round(seconds, 1), "peak_gb": round(peak, 2)}
        print(f"{size:>4} {stage:>9} {seconds:>8.1f} s {peak:>6.2f} GB", flush=True)
        if not ok:  # what ran so far is still measured and written; later stages need this
            failed = stage
            stages[stage]["failed"] = str(log)
            print(f"invert {' '.join(args)} failed; see {log}", flush=True)
            break
    rows = count(case) if (case / "workspace.duckdb").is_file() else {s: 0 for s in STAGES}
    for stage, r in stages.items():
        r["rows"] = rows[stage]
        r["rows_per_s"] = round(rows[stage] / r["seconds"]) if rows[stage] else None
    if not keep:
        shutil.rmtree(region, ignore_errors=True)  # the workspace keeps its own copy
    seconds = sum(r["seconds"] for r in stages.values())
    # what INVERT itself spends on data an investigator receives: all but making the region
    processing = seconds - stages["simulate"]["seconds"]
    return {
        "size": size,
        "failed": failed,
        "seed": seed,
        "profile": profile,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows_in": rows["ingest"],
        "transactions": rows["money"],
        "stages": stages,
        "total": {
            "seconds": round(seconds, 1),
            "processing_seconds": round(processing, 1),
            "peak_gb": max(r["peak_gb"] for r in stages.values()),
            "rows": rows["ingest"],
            "rows_per_s": round(rows["ingest"] / seconds),
        },
    }


def exponent(m: dict, big: dict) -> float | None:
    """log(t_L / t_M) / log(n_L / n_M), or None when either side lacks rows or time."""
    if "failed" in m or "failed" in big:
        return None
    if not (m["rows"] and big["rows"] and m["seconds"] and big["seconds"]):
        return None
    if m["rows"] == big["rows"]:
        return None
    return math.log(big["seconds"] / m["seconds"]) / math.log(big["rows"] / m["rows"])


def verdict(results: dict[str, dict], exponents: dict[str, float | None]) -> dict:
    """PASS / FAIL of the L run against the targets of issue #9 (None while L is missing)."""
    if "L" not in results:
        return {"verdict": None, "why": "L not measured yet: run `make bench`"}
    total = results["L"]["total"]
    if results["L"].get("failed"):
        stage = results["L"]["failed"]
        return {
            "verdict": "FAIL",
            "checks": {"completed": False},
            "why": f"the {stage} stage failed at L; see {results['L']['stages'][stage]['failed']}",
        }
    checks = {
        "seconds": total["seconds"] <= TARGET_L["seconds"],
        "peak_gb": total["peak_gb"] <= TARGET_L["peak_gb"],
        "exponent": exponents.get("total") is not None
        and exponents["total"] <= TARGET_L["exponent"],
    }
    return {"verdict": "PASS" if all(checks.values()) else "FAIL", "checks": checks}


def markdown(results: dict[str, dict], exponents: dict[str, float | None], v: dict) -> str:
    sizes = [s for s in SIZES if s in results]
    head = ["stage"] + [f"{s} {c}" for s in sizes for c in ("s", "GB", "rows/s")]
    head.append("M→L exponent")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for stage in (*STAGES, "total"):
        cells = [f"**{stage}**" if stage == "total" else stage]
        for s in sizes:
            r = results[s]["total"] if stage == "total" else results[s]["stages"].get(stage)
            if r is None:  # after a stage that failed
                cells += ["–", "–", "–"]
                continue
            rate = f"{r['rows_per_s']:,}" if r.get("rows_per_s") else "–"
            failed = " (failed)" if "failed" in r else ""
            cells += [f"{r['seconds']:.1f}{failed}", f"{r['peak_gb']:.2f}", rate]
        e = exponents.get(stage)
        cells.append("–" if e is None else f"{e:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    rows = ", ".join(f"{s} {results[s]['rows_in']:,}" for s in sizes)
    lines += [
        "",
        f"Rows read from the region's files: {rows}. Seconds are wall time of each `invert` "
        "command in its own process; GB its peak resident memory. The exponent is "
        "log(t_L/t_M) / log(n_L/n_M) with n each stage's rows (the total: rows read).",
    ]
    if v.get("why") and v["verdict"] == "FAIL":
        lines.append(f"Targets at L: **FAIL**: {v['why']}.")
    elif v["verdict"] is None:
        lines.append(f"Targets at L (≤ 10 min, ≤ 8 GB, exponent ≤ 1.15): {v['why']}.")
    else:
        failed = [k for k, ok in v["checks"].items() if not ok]
        total, e = results["L"]["total"], exponents.get("total")
        lines.append(
            f"Targets at L (≤ 10 min, ≤ 8 GB, exponent ≤ 1.15): {total['seconds'] / 60:.1f} min, "
            f"{total['peak_gb']:.2f} GB, exponent {'–' if e is None else f'{e:.2f}'}: "
            f"**{v['verdict']}**" + (f" (missed: {', '.join(failed)})" if failed else "")
        )
        lines.append(
            f"Without simulating the region (ingest to analysis of the files as received): "
            f"{total['processing_seconds'] / 60:.1f} min at L."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="organised")
    parser.add_argument("--keep", action="store_true", help="keep the simulated regions")
    args = parser.parse_args()
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size(s) {', '.join(unknown)}; choose from S, M, L")
    report = OUT / "pipeline.json"
    results: dict[str, dict] = {}
    if report.is_file():  # earlier sizes of the same region settings are kept
        for r in json.loads(report.read_text()).get("sizes", []):
            if (r["seed"], r["profile"]) == (args.seed, args.profile) and r["size"] not in sizes:
                results[r["size"]] = r
    print(f"{'size':>4} {'stage':>9} {'seconds':>10} {'peak':>9}")
    for size in sizes:
        results[size] = run_size(size, args.seed, args.profile, args.keep)
    exponents: dict[str, float | None] = {}
    if "M" in results and "L" in results:
        m, big = results["M"], results["L"]
        for stage in STAGES:
            if stage in m["stages"] and stage in big["stages"]:
                exponents[stage] = exponent(m["stages"][stage], big["stages"][stage])
        if not (m.get("failed") or big.get("failed")):
            exponents["total"] = exponent(m["total"], big["total"])
    v = verdict(results, exponents)
    ordered = {s: results[s] for s in SIZES if s in results}
    table = markdown(ordered, exponents, v)
    report.write_text(
        json.dumps({"sizes": list(ordered.values()), "exponent_m_to_l": exponents, **v}, indent=2)
    )
    (OUT / "pipeline.md").write_text(table)
    print()
    print(table, end="")
    kept = [s for s in ordered if s not in sizes]
    if kept:
        print(f"(sizes {', '.join(kept)} from the earlier run in {report})")
    if v["verdict"] == "FAIL" or any(r.get("failed") for r in ordered.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
