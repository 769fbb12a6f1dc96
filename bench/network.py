"""Network and money benchmark: seconds and peak memory at sizes S, M and L.

Each size starts from the resolved workspace of the resolution benchmark
(bench/out/resolve/<size>-case), or copies the analysis benchmark's ingested workspace and
resolves it. Two stages then run, each in its own process so its peak resident memory is
measured alone (os.wait4):

* network: the graph of resolved entities, its components and Leiden communities;
* money: payments aggregated per account pair and month, and the money-flow patterns.

Targets on the 2-core, 24 GB reference machine at L: each stage in at most 90 s.

    python bench/network.py [--sizes S,M,L] [--seed 1] [--profile organised] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from analyze import child, prepare

OUT = Path(__file__).parent / "out" / "network"
RESOLVED = Path(__file__).parent / "out" / "resolve"
TARGET_L = 90.0
RESOLVE = """
import sys, json
from pathlib import Path
from invert.resolve import resolve
from invert.workspace import Workspace
resolve(Workspace.open(Path(sys.argv[1])))
Path(sys.argv[2]).write_text("{}")
"""
NETWORK = """
import json, sys
from pathlib import Path
from invert.network import build
from invert.workspace import Workspace
r = build(Workspace.open(Path(sys.argv[1])))
Path(sys.argv[2]).write_text(json.dumps({"nodes": sum(r.graph.nodes.values()),
    "edges": sum(r.graph.edges.values()), "communities": r.communities.communities,
    "seconds": r.seconds}))
"""
MONEY = """
import json, sys, time
from pathlib import Path
from invert.money import flows, patterns
from invert.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]))
with ws.connect(resolved=True, follow_analysis=False) as con:
    t = time.time()
    n = flows.build(con)
    f = time.time() - t
    counts = patterns.detect(con)
Path(sys.argv[2]).write_text(json.dumps({"flows": n, "flow_seconds": f,
    "patterns": sum(counts.values())}))
"""


def resolved_case(size: str, seed: int, profile: str, rebuild: bool) -> Path:
    case = RESOLVED / f"{size}-case"
    if (case / "workspace.duckdb").is_file() and not rebuild:
        return case
    source = prepare(size, seed, profile, rebuild)
    shutil.rmtree(case, ignore_errors=True)
    case.mkdir(parents=True)
    for name in ("invert.toml", "workspace.duckdb"):
        shutil.copy2(source / name, case / name)
    child(RESOLVE, case, OUT / f"{size}-resolve.json")
    return case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="organised")
    parser.add_argument("--rebuild", action="store_true", help="simulate and ingest again")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{'size':>4} {'stage':>8} {'seconds':>8} {'peak GB':>8}  what")
    results, failed = [], False
    for size in (s.strip().upper() for s in args.sizes.split(",")):
        case = resolved_case(size, args.seed, args.profile, args.rebuild)
        for stage, code in (("network", NETWORK), ("money", MONEY)):
            total, peak, r = child(code, case, OUT / f"{size}-{stage}.json")
            ok = size != "L" or total <= TARGET_L
            failed |= not ok
            what = (
                f"{r['nodes']:,} nodes, {r['edges']:,} edges, {r['communities']:,} communities"
                if stage == "network"
                else f"{r['flows']:,} account-pair months ({r['flow_seconds']:.1f} s), "
                f"{r['patterns']:,} pattern hits"
            )
            results.append(
                {
                    "size": size,
                    "stage": stage,
                    "seconds": round(total, 1),
                    "peak_gb": round(peak, 2),
                    **r,
                }
            )
            print(
                f"{size:>4} {stage:>8} {total:>8.1f} {peak:>8.2f}  {what}"
                + ("" if ok else "  FAIL (target: 90 s)"),
                flush=True,
            )
    (OUT.parent / "network.json").write_text(json.dumps(results, indent=2))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
