"""Ads benchmark: the ads stage and the ad scores at 200k ads, the clustering at 1M, and the
quality of clusters and ad scores on a simulated region.

The ads of a simulated region of size M (30,000 job ads; simulated and ingested once into
bench/out/ads/M-case, or copied from ``--source``, never written to) are multiplied to N ads.
Every copy varies the slots as a poster re-posting a template would: the city, a contact name
from a list of our own, the digits (a per-copy permutation, so pay, dates and phone numbers
change) and one line of the body left out. Each run is a process of its own so that its peak
resident memory is measured alone (os.wait4).

* ``read + score`` (at the sizes below 1M): a workspace holding the N ads; the ads stage
  (extraction, clusters and posters) and then the analysis of the ad indicators and their
  scores. Target on the 2-core reference machine: 200k ads read and scored in at most 60 s
  (the clustering is timed apart and not counted in it).
* ``cluster`` (every size): the clustering alone. Target: 1M ads in at most 180 s.

Quality: the ads stage and the ad scores on the region's own ads, measured with
``invert.evaluate.ads`` (pairs with at least one planted ad) and the deceptive-ad precision at
k = the planted ads. The answer key is read here only, never by the code measured.

    python bench/ads.py [--sizes 200000,1000000] [--source CASE] [--truth DIR] [--rebuild]
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

import duckdb

OUT = Path(__file__).parent / "out" / "ads"
INVERT = str(Path(sys.executable).parent / "invert")
TARGET_1M = 180.0  # seconds to cluster 1M ads
TARGET_SCORE = 60.0  # seconds to read and score 200k ads
FIRST = ["Anna", "Maria", "Ion", "Piotr", "Olena", "Jan", "Elena", "Tomasz", "Ivan", "Eva",
         "Marek", "Daria", "Vasile", "Agnieszka", "Georgi", "Laura", "Andrei", "Katarzyna",
         "Dmytro", "Sofia"]  # fmt: skip
LAST = ["Novak", "Popescu", "Kowalski", "Ivanova", "Horvath", "Petrov", "Jansen", "Bakker",
        "Moreau", "Rossi", "Kazlauskas", "Shevchenko", "Dimitrov", "Nagy", "Visser", "Lupu",
        "Wojcik", "Mazur", "Bondar", "Smits"]  # fmt: skip
CLUSTER = """
import json, sys, time, duckdb
from invert.ads.cluster import cluster
con = duckdb.connect(sys.argv[1])
con.execute("SET threads = 2"); con.execute("SET memory_limit = '6GB'")
con.execute("SET enable_progress_bar = false")
t = time.time()
c = cluster(con)
out = {**vars(c), "seconds_steps": c.seconds, "seconds": time.time() - t}
with open(sys.argv[2], "w") as f:
    json.dump(out, f)
"""
# The ads stage and the ad indicators' analysis on a workspace, timed apart.
READ_AND_SCORE = """
import json, sys, time
from pathlib import Path
from invert.ads.stage import run
from invert.indicators.catalogue import load_catalogue
from invert.indicators.run import analyze
from invert.workspace import Workspace
ws = Workspace.open(Path(sys.argv[1]))
r = run(ws)
t = time.time()
a = analyze(ws, only={i.id for i in load_catalogue() if i.subject == "ad"})
out = {"extract": r.seconds["extract"], "cluster": r.seconds["cluster"],
       "score": time.time() - t, "hits": a.hits, "scored": a.scores}
with open(sys.argv[2], "w") as f:
    json.dump(out, f)
"""


def workspace(db: Path, case: Path) -> Path:
    """A fresh workspace at ``case`` holding the ads of ``db``."""
    shutil.rmtree(case, ignore_errors=True)
    subprocess.run([INVERT, "init", str(case)], check=True, capture_output=True)
    con = duckdb.connect(str(case / "workspace.duckdb"))
    con.execute(f"ATTACH '{db}' AS src (READ_ONLY)")
    cols = [r[0] for r in con.execute("SELECT name FROM pragma_table_info('src.ad')").fetchall()]
    cols = [
        c
        for c in cols
        if c in {r[0] for r in con.execute("SELECT name FROM pragma_table_info('ad')").fetchall()}
    ]
    names = ", ".join(f'"{c}"' for c in cols)
    con.execute(f"INSERT INTO ad ({names}) SELECT {names} FROM src.ad")
    con.close()
    return case


def region(source: Path | None, truth: Path | None, rebuild: bool) -> tuple[Path, Path]:
    """A copy of a size-M region's ``ad`` table (bench/out/ads/M-ads.duckdb) and its truth."""
    base = OUT / "M-ads.duckdb"
    if source is None:
        case, sim = OUT / "M-case", OUT / "M-region"
        if rebuild or not (case / "workspace.duckdb").is_file():
            for path in (case, sim):
                shutil.rmtree(path, ignore_errors=True)
            with open(OUT / "M-prepare.log", "w") as log:
                for args in (
                    ["simulate", "--size", "M", "--seed", "1", "--out", str(sim)],
                    ["init", str(case)],
                    ["ingest", str(case), str(sim)],
                ):
                    subprocess.run(
                        [INVERT, *args], stdout=log, stderr=subprocess.STDOUT, check=True
                    )
            base.unlink(missing_ok=True)
        source, truth = case, truth or sim / "truth"
    if truth is None:
        raise SystemExit("--truth is needed with --source (the region's truth folder)")
    if rebuild or not base.is_file():
        base.unlink(missing_ok=True)
        con = duckdb.connect(str(base))
        con.execute(f"ATTACH '{source / 'workspace.duckdb'}' AS src (READ_ONLY)")
        con.execute("CREATE TABLE ad AS SELECT * FROM src.ad")
        con.close()
    return base, truth


def multiply(base: Path, n: int) -> Path:
    """bench/out/ads/<n>.duckdb: the base ads multiplied to ``n`` with varied slots."""
    target = OUT / f"{n}.duckdb"
    if target.is_file():
        return target
    con = duckdb.connect(str(target))
    con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
    ads = con.execute("SELECT count(*) FROM base.ad").fetchone()[0]
    copies = -(-n // ads)
    perms = [
        "".join(str((d * m + s) % 10) for d in range(10)) for m in (1, 3, 7, 9) for s in range(10)
    ]
    con.execute(
        f"""CREATE TABLE ad AS
        WITH src AS (
            SELECT a.*, c.i, (hash(a.id, c.i) >> 1)::BIGINT AS h,
                   (SELECT list(DISTINCT location) FROM base.ad) AS cities
            FROM base.ad a, range({copies}) c(i)),
        slots AS (
            SELECT *, CASE WHEN i = 0 THEN '0123456789' ELSE ?[1 + h % {len(perms)}] END AS p,
                   CASE WHEN i = 0 THEN location ELSE cities[1 + (h >> 8) % len(cities)] END
                       AS city,
                   ?[1 + (h >> 16) % {len(FIRST)}] || ' ' || ?[1 + (h >> 24) % {len(LAST)}]
                       AS name,
                   string_split(body, chr(10)) AS lines
            FROM src)
        SELECT CASE WHEN i = 0 THEN id ELSE id || '-' || i END AS id, platform,
               url || CASE WHEN i = 0 THEN '' ELSE '#' || i END AS url, kind,
               translate(replace(title, location, city), '0123456789', p) AS title,
               CASE WHEN i = 0 THEN body ELSE translate(replace(array_to_string(
                   list_filter(lines, (x, k) -> k <> 1 + (h >> 32) % len(lines)), chr(10)),
                   location, city), '0123456789', p) || chr(10) || 'Contact: ' || name END
                   AS body,
               language, postedAt + to_days((i * 7)::INT) AS postedAt, city AS location,
               country, translate(phone, '0123456789', p) AS phone,
               CASE WHEN i = 0 THEN email ELSE i || '.' || email END AS email,
               translate(handle, '0123456789', p) AS handle
        FROM slots
        LIMIT {n}""",
        [perms, FIRST, LAST],
    )
    con.close()
    return target


def child(code: str, db: Path, report: Path) -> tuple[float, float, dict]:
    started = time.time()
    with open(report.with_suffix(".log"), "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(db), str(report)], stdout=log, stderr=log
        )
        _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"benchmark child failed; see {report.with_suffix('.log')}")
    return time.time() - started, usage.ru_maxrss / 1024 / 1024, json.loads(report.read_text())


def quality(base: Path, truth: Path) -> dict[str, dict[str, float]]:
    """The ads stage and the ad scores on the region's own ads, against its answer key."""
    from invert.evaluate import evaluate
    from invert.evaluate.ads import ad_figures
    from invert.workspace import Workspace

    case = workspace(base, OUT / "quality-case")
    total, peak, run = child(READ_AND_SCORE, case, OUT / "quality.json")
    ws = Workspace.open(case)
    with ws.connect(read_only=True) as con:
        figures = ad_figures(con, truth, [])
    assert figures is not None
    out: dict[str, dict[str, float]] = {}
    for name, pairs in (("text clusters", figures.text_clusters), ("posters", figures.posters)):
        out[name] = {
            "precision": round(pairs.precision, 3),
            "recall": round(pairs.recall, 3),
            "true_pairs": pairs.true_pairs,
            "predicted_pairs": pairs.predicted_pairs,
        }
    ads = evaluate(ws, truth)["ad"]  # the other lists are empty here
    out["deceptive ads"] = {
        "precision_at_k": round(ads.precision_at_k, 3),
        "average_precision": round(ads.average_precision, 3),
        "planted": ads.planted,
    }
    out["run"] = {"seconds": round(total, 1), "peak_gb": round(peak, 2), **run}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200000,1000000")
    parser.add_argument("--source", type=Path, help="a size-M workspace folder to copy ads from")
    parser.add_argument("--truth", type=Path, help="its region's truth folder")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-quality", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    base, truth = region(args.source, args.truth, args.rebuild)
    results: dict[str, object] = {}
    if not args.no_quality:
        q = quality(base, truth)
        results["quality"] = q
        for name in ("text clusters", "posters"):
            r = q[name]
            print(
                f"{name:>13}: precision {r['precision']:.3f}, recall {r['recall']:.3f} "
                f"({r['true_pairs']:,} true pairs, {r['predicted_pairs']:,} predicted)"
            )
        d = q["deceptive ads"]
        print(
            f"deceptive ads: precision@k {d['precision_at_k']:.3f} (k = {d['planted']} planted), "
            f"average precision {d['average_precision']:.3f}"
        )
    print(f"{'ads':>9} {'seconds':>8} {'peak GB':>8}  what")
    failed = False
    for n in (int(s) for s in args.sizes.split(",")):
        if args.rebuild:
            (OUT / f"{n}.duckdb").unlink(missing_ok=True)
        db = multiply(base, n)
        if n < 1_000_000:
            case = workspace(db, OUT / f"{n}-case")
            total, peak, r = child(READ_AND_SCORE, case, OUT / f"{n}-score.json")
            shutil.rmtree(case)
            spent = r["extract"] + r["score"]
            ok = n > 200_000 or spent <= TARGET_SCORE
            failed |= not ok
            print(
                f"{n:>9,} {spent:>8.1f} {peak:>8.2f}  read {r['extract']:.1f} s + scored "
                f"{r['score']:.1f} s ({sum(r['hits'].values()):,} hits; clustering in the same "
                f"run {r['cluster']:.1f} s)" + ("" if ok else "  FAIL (target: 60 s)"),
                flush=True,
            )
            results[f"{n} read+score"] = {"peak_gb": round(peak, 2), **r}
        work = OUT / f"{n}-run.duckdb"
        shutil.copy2(db, work)
        total, peak, r = child(CLUSTER, work, OUT / f"{n}.json")
        work.unlink()
        ok = n < 1_000_000 or r["seconds"] <= TARGET_1M
        failed |= not ok
        steps = ", ".join(f"{k} {v:.1f}" for k, v in r["seconds_steps"].items())
        print(
            f"{n:>9,} {r['seconds']:>8.1f} {peak:>8.2f}  clustered: {r['documents']:,} texts, "
            f"{r['candidate_pairs']:,} candidate pairs, {r['text_clusters']:,} clusters, "
            f"{r['posters']:,} posters ({steps})" + ("" if ok else "  FAIL (target: 180 s)"),
            flush=True,
        )
        results[f"{n} cluster"] = {
            "process_seconds": round(total, 1),
            "peak_gb": round(peak, 2),
            **r,
        }
    (OUT.parent / "ads.json").write_text(json.dumps(results, indent=2, default=str))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
