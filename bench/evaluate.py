"""Detection quality over several simulated regions: seeds × profiles at one size.

Each region is simulated, ingested into a fresh workspace, resolved, its ads read, analysed and
evaluated with the same commands a user runs, then analysed and evaluated again without
resolution (the "unresolved" columns show what resolution changes); the figures of every region
and their mean are printed and written to bench/out/evaluate.json (evaluate-hard.json for the
hard regions). Nothing here tunes anything: it only measures.

    python bench/evaluate.py [--size M] [--seeds 1,2,3] [--profiles general,organised] [--keep]
                             [--difficulty realistic|easy|hard]
    python bench/evaluate.py --reanalyse   # after a change to indicators or scoring: only the
                                           # analysis and evaluation, on the kept workspaces
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).parent / "out" / "evaluate"
INVERT = str(Path(sys.executable).parent / "invert")
TARGETS = {  # the targets at size M
    "company P@k": 0.90,
    "company AP": 0.85,
    "person recall@P≥0.80": 0.90,
    "child recall": 0.95,
    "min scheme recall": 0.80,
    "hard-negative FPR (max)": 0.05,
    "ER person P": 0.99,  # entity resolution, pairwise
    "ER person R": 0.97,
    "ER company P": 0.99,
    "ER company R": 0.98,
}


def one(
    size: str,
    seed: int,
    profile: str,
    keep: bool = False,
    reanalyse: bool = False,
    difficulty: str = "realistic",
) -> dict:
    name = f"{size}-{profile}-{seed}" + ("" if difficulty == "realistic" else f"-{difficulty}")
    region, case = OUT / f"{name}-region", OUT / f"{name}-case"
    build = [
        [
            "simulate",
            "--size",
            size,
            "--seed",
            str(seed),
            "--profile",
            profile,
            "--difficulty",
            difficulty,
            "--out",
            str(region),
        ],
        ["init", str(case)],
        ["ingest", str(case), str(region)],
        ["resolve", "run", str(case)],
        ["ads", "run", str(case)],
        ["network", "build", str(case)],
    ]
    truth = ["--truth", str(region / "truth")]
    measure = [
        ["analyze", str(case)],
        ["money", str(case), "profit"],
        ["evaluate", str(case), *truth, "--out", str(OUT / f"{name}.json")],
        # the downstream effect of resolution: the same analysis on unresolved records
        ["analyze", str(case), "--no-resolution"],
        ["evaluate", str(case), *truth, "--out", str(OUT / f"{name}-unresolved.json")],
    ]
    if reanalyse:
        if not (region / "truth").is_dir() or not case.is_dir():
            raise SystemExit(f"no kept region and workspace for {name}: run with --keep first")
        steps = measure
    else:
        for path in (region, case):
            shutil.rmtree(path, ignore_errors=True)
        steps = build + measure
    with open(OUT / f"{name}.log", "w") as log:
        for args in steps:
            subprocess.run([INVERT, *args], stdout=log, stderr=subprocess.STDOUT, check=True)
    m = json.loads((OUT / f"{name}.json").read_text())
    off = json.loads((OUT / f"{name}-unresolved.json").read_text())
    schemes = {
        k.split(":", 1)[1]: v for k, v in m["company"]["extra"].items() if k.startswith("recall:")
    }
    if not keep and not reanalyse:
        shutil.rmtree(region, ignore_errors=True)
        shutil.rmtree(case, ignore_errors=True)
    return {
        "region": name,
        "company P@k": m["company"]["precision_at_k"],
        "company AP": m["company"]["average_precision"],
        "company AUC": m["company"]["roc_auc"],
        "person P@k": m["person"]["precision_at_k"],
        "person recall@P≥0.80": m["person"]["recall_at_precision"],
        "child recall": m["child"]["recall"],
        "account AP": m.get("account", {}).get("average_precision", 0.0),
        "min scheme recall": min(schemes.values()) if schemes else 0.0,
        "hard-negative FPR (max)": m["company"]["extra"].get("hard_negative_fpr", 0.0),
        "ER person P": m["resolution"]["person"]["precision"],
        "ER person R": m["resolution"]["person"]["recall"],
        "ER company P": m["resolution"]["company"]["precision"],
        "ER company R": m["resolution"]["company"]["recall"],
        "networks recovered": m["networks"]["recovered"] / m["networks"]["planted"],
        "deceptive-ad P@k": m.get("ad", {}).get("precision_at_k", 0.0),
        "ad posters P": m.get("ad_clusters", {}).get("posters", {}).get("precision", 0.0),
        "ad posters R": m.get("ad_clusters", {}).get("posters", {}).get("recall", 0.0),
        "campaigns linked": m.get("ad_clusters", {}).get("campaigns_linked", 0)
        / max(1, m.get("ad_clusters", {}).get("campaigns", 0)),
        "profit within 15%": m["networks"]["profit_within_15pct"] / m["networks"]["planted"],
        # against the part of the profit the region's files record at all
        "profit ±15% recorded": m["networks"].get("profit_within_15pct_of_recorded", 0)
        / m["networks"]["planted"],
        "unresolved company P@k": off["company"]["precision_at_k"],
        "unresolved person recall@P≥0.80": off["person"]["recall_at_precision"],
        "unresolved child recall": off["child"]["recall"],
        "weakest schemes": sorted(schemes, key=schemes.get)[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--profiles", default="general,organised")
    parser.add_argument("--keep", action="store_true", help="keep regions and workspaces")
    parser.add_argument(
        "--difficulty",
        default="realistic",
        choices=["easy", "realistic", "hard"],
        help="the simulator's difficulty (the issue's targets are for realistic)",
    )
    parser.add_argument(
        "--reanalyse",
        action="store_true",
        help="only analyse and evaluate again the regions and workspaces a --keep run left",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for profile in args.profiles.split(","):
        for seed in args.seeds.split(","):
            r = one(
                args.size.upper(),
                int(seed),
                profile.strip(),
                args.keep,
                args.reanalyse,
                args.difficulty,
            )
            rows.append(r)
            print(json.dumps(r), flush=True)
    keys = [k for k in rows[0] if k not in ("region", "weakest schemes")]
    print("\n" + f"{'region':<18}" + "".join(f"{k[-14:]:>15}" for k in keys))
    for r in rows:
        print(f"{r['region']:<18}" + "".join(f"{r[k]:>15.3f}" for k in keys))
    mean = {k: sum(r[k] for r in rows) / len(rows) for k in keys}
    print(f"{'mean':<18}" + "".join(f"{mean[k]:>15.3f}" for k in keys))
    print(f"{'target':<18}" + "".join(f"{TARGETS.get(k, float('nan')):>15.3f}" for k in keys))
    suffix = "" if args.difficulty == "realistic" else f"-{args.difficulty}"
    (OUT.parent / f"evaluate{suffix}.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
