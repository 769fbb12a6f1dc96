"""Web load benchmark: latency and errors of the web workspace under 20 users browsing an M case.

An analysed, networked M workspace (by default the one ``make bench-evaluate`` leaves in
bench/out/evaluate/M-organised-1-case) is copied to bench/out/web/case, given 20 analysts and
three case files, and served by ``invert serve`` in its own process on a free 127.0.0.1 port.
Then 20 simulated users, all in one local asyncio client, each log in (with the CSRF token of
the login form) and browse as an analyst would: lead lists (every list, pages 1 to 3, some with
a filter), profiles of leads taken from the lists, the network JSON around one of them, a search
for a name fragment and the case files, with a short pause between pages. Each user stops after
--views pages or --seconds, whichever comes first, so the load is bounded in count and time and
goes nowhere but the loopback address. Printed per page type and overall: requests, errors (a
status other than the one expected, or no answer), p50, p95, p99 and max in milliseconds, and
the server's peak resident memory. Target: p95 ≤ 300 ms overall with zero errors.

    python bench/web.py [--case PATH] [--users 20] [--views 50] [--seconds 60] [--think 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx

OUT = Path(__file__).parent / "out" / "web"
DEFAULT_CASE = Path(__file__).parent / "out" / "evaluate" / "M-organised-1-case"
TARGET = {"p95_ms": 300, "errors": 0}
PASSWORD = "bench-web-password-1"
LISTS = ("company", "person", "child", "account", "ad")
# The server as a user starts it: ``invert serve`` through this interpreter, so that a
# PYTHONPATH pointing at another checkout is honoured.
SERVE = "import sys; from invert.cli import app; sys.argv[0] = 'invert'; app()"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ENTITY = re.compile(r'href="/entity/([^"?#]+)"')
CASE_FILE = re.compile(r'href="/cases/(\d+)"')


def prepare(source: Path, users: int) -> tuple[Path, list[str]]:
    """A fresh copy of the case with the bench users and three case files; returns the copy and
    name fragments to search for."""
    from invert.security import users as users_
    from invert.web import casefiles
    from invert.workspace import Workspace

    if not (source / "workspace.duckdb").is_file():
        raise SystemExit(
            f"no workspace at {source}: run `make bench-evaluate` (it leaves the analysed, "
            "networked M case there) or give --case PATH"
        )
    case = OUT / "case"
    shutil.rmtree(case, ignore_errors=True)
    shutil.copytree(source, case)
    ws = Workspace.open(case)
    with ws.connect() as con:
        for i in range(1, users + 1):
            users_.add_user(con, f"bench{i:02d}", "analyst", PASSWORD)
            users_.grant_case(con, f"bench{i:02d}", ws.name)
        for i, subject in enumerate(("company", "person", "child")):
            top = con.execute(
                "SELECT subject_id FROM score WHERE list = ? ORDER BY score DESC LIMIT 5",
                [subject],
            ).fetchall()
            case_id = casefiles.create(con, f"Bench case {i + 1}: top {subject} leads", "bench01")
            for (entity,) in top:
                casefiles.add_entity(con, case_id, entity, "bench01")
        names = con.execute(
            "SELECT name FROM (SELECT any_value(name) AS name FROM company GROUP BY id) "
            "WHERE length(name) >= 8 USING SAMPLE 20 ROWS"
        ).fetchall()
    fragments = [n[: random.Random(n).randint(4, 7)].strip() for (n,) in names] or ["bau"]
    return case, fragments


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(case: Path, port: int) -> subprocess.Popen[bytes]:
    log = open(OUT / "server.log", "w")  # noqa: SIM115 - open while the server runs
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", str(case), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped; see {OUT / 'server.log'}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"the server did not answer within 120 s; see {OUT / 'server.log'}")


def stop_server(proc: subprocess.Popen[bytes]) -> float:
    """Stop the server and return its peak resident memory in MB."""
    proc.send_signal(signal.SIGINT)
    for _ in range(100):
        pid, _status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return usage.ru_maxrss / 1024
        time.sleep(0.1)
    proc.kill()
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss / 1024


class Recorder:
    def __init__(self) -> None:
        self.samples: dict[str, list[tuple[float, bool]]] = defaultdict(list)

    async def get(
        self,
        client: httpx.AsyncClient,
        kind: str,
        url: str,
        expect: int = 200,
        **kwargs: object,
    ) -> httpx.Response | None:
        return await self.call(client, kind, "GET", url, expect, **kwargs)

    async def call(
        self,
        client: httpx.AsyncClient,
        kind: str,
        method: str,
        url: str,
        expect: int,
        **kwargs: object,
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError:
            self.samples[kind].append((time.perf_counter() - started, False))
            return None
        self.samples[kind].append((time.perf_counter() - started, response.status_code == expect))
        return response if response.status_code == expect else None


async def browse(
    n: int, base: str, rec: Recorder, fragments: list[str], args: argparse.Namespace
) -> None:
    rng = random.Random(n)
    await asyncio.sleep(n * args.ramp / args.users)  # users arrive over the ramp, not at once
    deadline = time.monotonic() + args.seconds
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        form = await rec.get(client, "login form", "/login")
        token = CSRF.search(form.text) if form else None
        if not token:
            return
        data = {"username": f"bench{n:02d}", "password": PASSWORD, "csrf": token.group(1)}
        if not await rec.call(client, "login", "POST", "/login", 303, data=data):
            return
        entities: list[str] = []
        cases: list[str] = []
        views = 0
        while views < args.views and time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.35 or not entities:
                params: dict[str, str | int] = {"page": rng.choice((1, 1, 2, 3))}
                if rng.random() < 0.3:
                    params["min_p"] = rng.choice((0.3, 0.5, 0.8))
                page = await rec.get(
                    client, "lead list", f"/leads/{rng.choice(LISTS)}", params=params
                )
                if page:
                    entities = ENTITY.findall(page.text)[:20] or entities
            elif roll < 0.65:
                await rec.get(client, "entity", f"/entity/{rng.choice(entities)}")
            elif roll < 0.78:
                node = rng.choice(entities)
                await rec.get(client, "network.json", "/network.json", params={"node": node})
            elif roll < 0.90:
                await rec.get(client, "search", "/search", params={"q": rng.choice(fragments)})
            else:
                page = await rec.get(client, "cases", "/cases")
                cases = CASE_FILE.findall(page.text) if page else cases
                if cases:
                    await rec.get(client, "case file", f"/cases/{rng.choice(cases)}")
            views += 1
            await asyncio.sleep(rng.uniform(0.5, 1.5) * args.think)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def row(kind: str, samples: list[tuple[float, bool]]) -> dict:
    times = [t for t, _ in samples]
    return {
        "page": kind,
        "requests": len(samples),
        "errors": sum(not ok for _, ok in samples),
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "p99_ms": round(percentile(times, 0.99), 1),
        "max_ms": round(max(times) * 1000, 1),
    }


async def load(base: str, fragments: list[str], args: argparse.Namespace) -> Recorder:
    rec = Recorder()
    await asyncio.gather(*(browse(n, base, rec, fragments, args) for n in range(1, args.users + 1)))
    return rec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE, help="analysed M workspace")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--views", type=int, default=50, help="pages per user at most")
    parser.add_argument("--seconds", type=float, default=60, help="browsing time per user at most")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages, s")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds over which users arrive")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    case, fragments = prepare(args.case, args.users)
    server = start_server(case, free_port())
    port = int(server.args[-1])
    started = time.time()
    try:
        rec = asyncio.run(load(f"http://127.0.0.1:{port}", fragments, args))
    finally:
        peak_mb = stop_server(server)
    elapsed = time.time() - started
    rows = [row(kind, samples) for kind, samples in sorted(rec.samples.items())]
    everything = [s for samples in rec.samples.values() for s in samples]
    total = row("all", everything)
    print(
        f"{'page':<13} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}"
    )
    for r in [*rows, total]:
        print(
            f"{r['page']:<13} {r['requests']:>8} {r['errors']:>6} {r['p50_ms']:>8.1f} "
            f"{r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['max_ms']:>8.1f}"
        )
    ok = total["p95_ms"] <= TARGET["p95_ms"] and total["errors"] == TARGET["errors"]
    print(
        f"{args.users} users, {elapsed:.0f} s, {len(everything) / elapsed:.1f} requests/s, "
        f"server peak memory {peak_mb:,.0f} MB: "
        + ("PASS" if ok else "FAIL (target: p95 ≤ 300 ms, no errors)")
    )
    result = {
        "users": args.users,
        "views": args.views,
        "seconds": args.seconds,
        "think": args.think,
        "elapsed_s": round(elapsed, 1),
        "requests_per_s": round(len(everything) / elapsed, 1),
        "server_peak_mb": round(peak_mb),
        "pages": rows,
        "all": total,
        "pass": ok,
    }
    (OUT.parent / "web.json").write_text(json.dumps(result, indent=2))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
