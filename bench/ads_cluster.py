"""Ad-cluster benchmark: seconds and peak memory of ``invert.ads.cluster`` at 200k and 1M ads,
and the pairwise precision and recall of its clusters on a simulated region.

The ads of a simulated region of size M (30,000 job ads; simulated and ingested once into
bench/out/ads/M-case, or copied from ``--source``, never written to) are multiplied to N ads.
Every copy varies the slots as a poster re-posting a template would: the city, a contact name
from a list of our own, the digits (a per-copy permutation, so pay, dates and phone numbers
change) and one line of the body left out. Each size runs in its own process so that its peak
resident memory is measured alone (os.wait4). Target on the 2-core reference machine: 1M ads
clustered in at most 180 s.

Quality: ``cluster`` runs on the region's own ads; pairs of ads with at least one planted
recruiter's ad (truth/labels_ads.csv, label 1, joined on the URL) are counted. A text cluster
pair is true when both ads have the same network and template, a poster pair when both have the
same network. Precision = true predicted pairs / predicted pairs; recall = true predicted pairs /
true pairs. The answer key is read here only, never by the code measured.

    python bench/ads_cluster.py [--sizes 200000,1000000] [--source CASE] [--truth DIR] [--rebuild]
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
TARGET_1M = 180.0
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


PAIRS = """
WITH t AS (
    SELECT a.id AS ad, CASE WHEN l.label = 1 THEN {truth} END AS truth
    FROM ad a JOIN truth l USING (url)),
x AS (SELECT t.ad, t.truth, p.grp FROM t LEFT JOIN ({predicted}) p USING (ad)),
planted AS (SELECT * FROM x WHERE truth IS NOT NULL),
pairs AS (
    SELECT a.truth = b.truth AS same_truth, coalesce(a.grp = b.grp, false) AS same_predicted
    FROM planted a JOIN x b ON a.ad <> b.ad AND (b.truth IS NULL OR a.ad < b.ad)
    WHERE a.grp = b.grp OR a.truth = b.truth)
SELECT count(*) FILTER (WHERE same_predicted AND same_truth),
       count(*) FILTER (WHERE same_predicted), count(*) FILTER (WHERE same_truth)
FROM pairs"""


def quality(base: Path, truth: Path) -> dict[str, dict[str, float]]:
    db = OUT / "quality.duckdb"
    shutil.copy2(base, db)
    total, peak, run = child(CLUSTER, db, OUT / "quality.json")
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE truth AS SELECT * FROM read_csv(?, header = true, quote = '\"', "
        "types = {'label': 'INTEGER', 'phone_e164': 'VARCHAR'})",
        [str(truth / "labels_ads.csv")],
    )
    out = {}
    for name, predicted, key in (
        ("text clusters", "SELECT ad, cluster AS grp FROM ad_cluster", "network || template"),
        ("posters", "SELECT ad, poster AS grp FROM ad_poster", "network"),
    ):
        tp, pp, tt = con.execute(PAIRS.format(truth=key, predicted=predicted)).fetchone()
        out[name] = {
            "precision": round(tp / pp, 3) if pp else 0.0,
            "recall": round(tp / tt, 3) if tt else 0.0,
            "true_pairs": tt,
            "predicted_pairs": pp,
        }
    con.close()
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
    print(f"{'ads':>9} {'seconds':>8} {'peak GB':>8}  what")
    failed = False
    for n in (int(s) for s in args.sizes.split(",")):
        if args.rebuild:
            (OUT / f"{n}.duckdb").unlink(missing_ok=True)
        db = multiply(base, n)
        work = OUT / f"{n}-run.duckdb"
        shutil.copy2(db, work)
        total, peak, r = child(CLUSTER, work, OUT / f"{n}.json")
        work.unlink()
        ok = n < 1_000_000 or r["seconds"] <= TARGET_1M
        failed |= not ok
        steps = ", ".join(f"{k} {v:.1f}" for k, v in r["seconds_steps"].items())
        print(
            f"{n:>9,} {r['seconds']:>8.1f} {peak:>8.2f}  {r['documents']:,} texts, "
            f"{r['candidate_pairs']:,} candidate pairs, {r['text_clusters']:,} clusters, "
            f"{r['posters']:,} posters ({steps})" + ("" if ok else "  FAIL (target: 180 s)"),
            flush=True,
        )
        results[str(n)] = {"process_seconds": round(total, 1), "peak_gb": round(peak, 2), **r}
    (OUT.parent / "ads_cluster.json").write_text(json.dumps(results, indent=2, default=str))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
