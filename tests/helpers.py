"""Helpers for tests: tiny hand-made workspaces, and reading a workspace the way another
process would."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb

from invert.ads.extract import ExtractCounts, extract
from invert.indicators.run import analyze
from invert.workspace import Workspace


def query(ws: Workspace, sql: str, params: list | None = None) -> list[tuple]:
    """Read the workspace database as a separate process would: a fresh read-only connection."""
    con = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def snapshot(ws: Workspace) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, to compare a workspace before and after."""
    con = duckdb.connect(str(ws.db_path), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_name <> 'runs'"
            ).fetchall()
        ]
        return {
            t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables
        }
    finally:
        con.close()


class Case:
    """A workspace built row by row; ``hits(indicator)`` runs the catalogue on it."""

    def __init__(self, path: Path) -> None:
        self.ws = Workspace.init(path)

    def add(self, table: str, **row: object) -> str:
        row.setdefault("source_id", "test.csv")
        row.setdefault("source_row", 2)
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        con = duckdb.connect(str(self.ws.db_path))
        try:
            con.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(row.values()))
        finally:
            con.close()
        return str(row.get("id"))

    def add_rows(self, table: str, rows: list[dict[str, object]]) -> None:
        """Many rows of one table in one connection (rows may differ in their columns)."""
        con = duckdb.connect(str(self.ws.db_path))
        try:
            for row in rows:
                row = {"source_id": "test.csv", "source_row": 2, **row}
                cols = ", ".join(f'"{c}"' for c in row)
                marks = ", ".join("?" for _ in row)
                con.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(row.values()))
        finally:
            con.close()

    def add_tables(self, rows: dict[str, list[dict[str, object]]]) -> None:
        for table, table_rows in rows.items():
            self.add_rows(table, table_rows)

    def resolve(self, kind: str, **same: str) -> None:
        """Record what entity resolution would have found: record id -> entity id."""
        con = duckdb.connect(str(self.ws.db_path))
        try:
            con.executemany(
                "INSERT INTO entity VALUES (?, ?, ?)", [(kind, r, e) for r, e in same.items()]
            )
        finally:
            con.close()

    def hits(self, indicator: str, config: Path | None = None) -> dict[str, tuple]:
        analyze(self.ws, config, only={indicator})
        con = duckdb.connect(str(self.ws.db_path), read_only=True)
        try:
            rows = con.execute(
                "SELECT subject_id, strength, value, evidence FROM indicator_hit "
                "WHERE indicator = ?",
                [indicator],
            ).fetchall()
        finally:
            con.close()
        return {r[0]: r[1:] for r in rows}


def crew_rows(
    crews: dict[str, tuple[str, ...]], workers: int
) -> dict[str, list[dict[str, object]]]:
    """Rows of a tiny case of crews: per crew a boss (with an account and a dwelling he owns),
    its firms (all sharing one accountant's phone, each directed by the boss) and ``workers``
    workers, each employed, housed in the dwelling and paid twice into an account from which
    most goes to the boss and a little to a utility every worker pays."""
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    rows["bank_account"].append({"id": "acc-utility", "iban": "NL91ABNA0417164300"})
    n = 2
    for crew, companies in crews.items():
        boss = f"boss-{crew}"
        rows["person"].append(
            {"id": boss, "name": f"Boss {crew.upper()}", "birthDate": "1970-03-01"}
        )
        rows["bank_account"].append(
            {"id": f"acc-{boss}", "iban": f"NL00BOSS000000000{crew}", "holder": boss}
        )
        rows["address"].append(
            {
                "id": f"dwelling-{crew}",
                "full": f"Street {crew} 1",
                "full_key": f"street {crew} 1",
                "city": "Utrecht",
                "owner": boss,
            }
        )
        for company in companies:
            rows["company"].append(
                {
                    "id": company,
                    "name": f"Firm {company}",
                    "phone": "+31201234567",
                    "registrationNumber": f"KVK-{company}",
                }
            )
            rows["directorship"].append(
                {"id": f"dir-{company}", "director": boss, "organization": company}
            )
        for i in range(workers):
            worker, iban = f"w-{crew}{i}", f"NL00WORK00000000{crew}{i}"
            employer = companies[i % len(companies)]
            rows["person"].append({"id": worker, "name": f"Worker {crew}{i}"})
            rows["bank_account"].append({"id": f"acc-{worker}", "iban": iban})
            rows["employment"].append(
                {"id": f"job-{worker}", "employee": worker, "employer": employer}
            )
            rows["residence"].append(
                {"id": f"res-{worker}", "resident": worker, "address": f"dwelling-{crew}"}
            )
            for month in (1, 2):
                n += 1
                rows["wage_payment"].append(
                    {
                        "id": f"wage-{n}",
                        "employee": worker,
                        "employer": employer,
                        "iban": iban,
                        "gross": 1500.0,
                        "source_row": n,
                    }
                )
                for payee, amount in ((f"acc-{boss}", 1200.0), ("acc-utility", 60.0)):
                    n += 1
                    rows["transaction"].append(
                        {
                            "id": f"tx-{n}",
                            "payerAccount": f"acc-{worker}",
                            "beneficiaryAccount": payee,
                            "amount": amount,
                            "date": f"2026-0{month}-05",
                            "source_row": n,
                        }
                    )
    return rows


# Ad cues a lawful vacancy must not carry (housing, transport and urgency are everyday words),
# and those every hand-written deceptive ad of tests/ads carries.
DECEPTIVE = {
    "fee",
    "loan",
    "deduction",
    "travel",
    "settling",
    "no_experience",
    "no_language",
    "no_requirements",
    "no_interview",
    "secrecy",
    "visa",
    "personal_data",
}
ALL_DECEPTIVE = {
    "fee",
    "loan",
    "deduction",
    "housing",
    "travel",
    "settling",
    "no_experience",
    "no_language",
    "no_interview",
    "urgency",
    "personal_data",
    "cash_or_net",
}


class Ads:
    """A workspace of ads; ``run()`` extracts and returns per ad its text row, contacts and
    cues."""

    def __init__(self, path: Path) -> None:
        self.case = Case(path)
        self.n = 0

    def add(self, body: str, title: str = "", **row: object) -> str:
        self.n += 1
        ad = str(row.pop("id", f"ad{self.n}"))
        row.setdefault("platform", "test")
        row.setdefault("kind", "job")
        row.setdefault("country", "NL")
        self.case.add("ad", id=ad, title=title, body=body, source_row=self.n, **row)
        return ad

    def add_cases(self, cases: dict, **row: object) -> None:
        """Per language a deceptive ad, an ordinary vacancy and a tricky text, as the extraction
        tests write them: ``{lang: ((title, body, ...), (title, body, ...), tricky body)}``."""
        for lang, (deceptive, ordinary, tricky) in cases.items():
            self.add(deceptive[1], deceptive[0], id=f"{lang}-deceptive", **row)
            self.add(ordinary[1], ordinary[0], id=f"{lang}-ordinary", **row)
            self.add(tricky, "", id=f"{lang}-tricky", **row)

    def run(self, lexicon_dirs: list[Path] | None = None) -> ExtractCounts:
        con = duckdb.connect(str(self.case.ws.db_path))
        try:
            return extract(con, lexicon_dirs)
        finally:
            con.close()

    def rows(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.case.ws.db_path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def text(self, ad: str) -> dict[str, object]:
        con = duckdb.connect(str(self.case.ws.db_path), read_only=True)
        try:
            cur = con.execute("SELECT * FROM ad_text WHERE ad = ?", [ad])
            names = [d[0] for d in cur.description]
            row = cur.fetchone()
        finally:
            con.close()
        assert row is not None, ad
        return dict(zip(names, row, strict=True))

    def cues(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for ad, cue in self.rows("SELECT ad, cue FROM ad_cue"):
            out[ad].add(cue)
        return out

    def contacts(self, ad: str, kind: str | None = None) -> set[tuple]:
        rows = self.rows(f"SELECT kind, value, obfuscated, app FROM ad_contact WHERE ad = '{ad}'")
        return {r for r in rows if kind is None or r[0] == kind}
