"""``invert simulate``: synthetic regions with planted exploitation schemes and ground truth.

The world is built table by table in a scratch DuckDB database (ordinary register, people,
jobs, payroll and money first; networks planted with the same generators; look-alikes; then
money that only networks move), written out as the source systems would export it, and the
answer key is written apart. Nothing in INVERT's detectors reads this package.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from invert.errors import InvertError
from invert.simulate import (
    ads,
    inspections,
    lookups,
    money,
    noise,
    population,
    register,
    rng,
    schemes,
    truth,
    work,
    writers,
)
from invert.simulate.config import Settings

# DuckDB's memory limit for a run (the process peaks somewhat above it).
MEMORY_LIMIT = "4GB"

# The files a run writes and the mapping that reads each (None: read natively).
SOURCES: list[tuple[str, str | None]] = [
    ("register/kvk_companies.csv", "kvk_companies.yml"),
    ("register/kvk_officers.csv", "kvk_officers.yml"),
    ("employment/uwv_employment.csv", "uwv_employment.yml"),
    ("payroll/loonadministratie_a.csv", "loonadministratie_a.yml"),
    ("payroll/payroll_provider_b.csv", "payroll_provider_b.yml"),
    ("residence/brp_residents.csv", "brp_residents.yml"),
    ("residence/dwellings.csv", "dwellings.yml"),
    ("inspections/inspections.csv", "inspections.yml"),
    ("bank/bank_transactions.csv", "bank_transactions.yml"),
    ("bank/abn_statements.camt053.xml", None),
    ("bank/rabo_statements.mt940.sta", None),
    ("ads/job_ads.jsonl", "job_ads.yml"),
]


@dataclass
class Simulation:
    out: Path
    answer_key: Path
    settings: Settings
    rows: dict[str, int] = field(default_factory=dict)
    networks: int = 0
    profit: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


def simulate(
    out: Path,
    settings: Settings,
    exercise: bool = False,
    progress: Callable[[str], None] = lambda _s: None,
) -> Simulation:
    """Build a region into ``out`` and its answer key beside it; refuses a non-empty ``out``."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise InvertError(f"{out} is not empty; choose a new folder for the simulated region")
    answer_key = out.parent / f"{out.name}-answer-key" if exercise else out / "truth"
    if exercise and answer_key.exists() and any(answer_key.iterdir()):
        raise InvertError(f"{answer_key} is not empty; remove it or choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    result = Simulation(out, answer_key, settings)
    # The scratch world is an in-memory database with a memory limit: beyond it DuckDB spills
    # tables, joins and sorts to the temp folder, so size L (20 million transactions) stays
    # within a 6 GB budget. (A database file would compress and write every table for nothing:
    # it is thrown away after the run.)
    con = duckdb.connect()
    try:
        # (No DuckDB progress bars: callers get ``progress``; a bar on a pipe nobody reads
        # until the run ends can fill it and block the run.)
        con.execute(
            f"SET threads = 2; SET preserve_insertion_order = true; "
            f"SET memory_limit = '{MEMORY_LIMIT}'; SET enable_progress_bar = false"
        )
        con.execute(f"SET temp_directory = '{out / '.simulation.tmp'}'")
        _build(con, settings, progress)
        progress("writing source files")
        result.rows = _write(con, out, settings)
        progress("writing the answer key")
        result.profit = truth.write(con, answer_key, settings.as_dict())
        result.networks = con.execute("SELECT count(*) FROM network").fetchone()[0]
        if exercise:
            _briefing(out, result)
    finally:
        con.close()
        shutil.rmtree(out / ".simulation.tmp", ignore_errors=True)
        shutil.rmtree(out / writers.TRUTH_PARTS, ignore_errors=True)
    result.seconds = time.time() - started
    return result


def _build(con: duckdb.DuckDBPyConnection, s: Settings, progress: Callable[[str], None]) -> None:
    rng.install(con, s.seed)
    rng.permutation_macro(con, s.seed)
    noise.install(con, s)
    lookups.install(con)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("homes and offices", lambda: population.dwellings(con, s)),
        ("people", lambda: population.people(con, s)),
        ("companies", lambda: register.companies(con, s)),
        ("officers", lambda: register.officers(con, s)),
        ("networks", lambda: (work.create_tables(con), schemes.plant(con, s))),
        ("employment", lambda: work.employment(con, s)),
        ("look-alikes", lambda: schemes.plant_look_alikes(con, s)),
        ("bank accounts", lambda: money.accounts(con)),
        ("payroll", lambda: work.payroll(con)),
        ("transactions", lambda: money.transactions(con, s)),
        ("network money", lambda: (schemes.plant_money(con), schemes.look_alike_money(con))),
        ("inspections", lambda: inspections.inspections(con)),
        ("job ads", lambda: ads.ads(con, s)),
    ]
    for label, step in steps:
        progress(label)
        step()


def _write(con: duckdb.DuckDBPyConnection, out: Path, s: Settings) -> dict[str, int]:
    writers.install_macros(con)
    rows: dict[str, int] = {}
    rows |= writers.register(con, out)
    rows |= writers.employment_register(con, out)
    rows |= writers.payroll(con, out)
    # Payroll is written: only the networks' payslips are read again (their profit), and the
    # names as sources spell them are not needed after the residence register. Letting go
    # of them keeps size L's transactions in memory.
    con.execute("CREATE OR REPLACE TABLE payslip AS SELECT * FROM payslip WHERE network LIKE 'N%'")
    rows |= writers.residence_register(con, out)
    con.execute("DROP TABLE name_as")
    rows |= writers.inspections(con, out)
    writers.exported_transactions(con)
    rows |= writers.bank_csv(con, out)
    rows |= writers.camt053(con, out)
    rows |= writers.mt940(con, out)
    rows |= writers.goaml(con, out, s.seed)
    rows |= writers.ads(con, out)
    writers.mappings(out, SOURCES)
    return rows


def _briefing(out: Path, sim: Simulation) -> None:
    """A scenario for trainees: what they received and what to find, without the answers."""
    files = "\n".join(f"- `{name}`: {sim.rows.get(name, 0):,} records" for name in sorted(sim.rows))
    (out / "BRIEFING.md").write_text(
        f"""# Exercise briefing

A joint investigation team has received data on a horticulture and logistics region in South
Holland after complaints about foreign workers living in crowded houses and being paid in
cash. You have:

{files}

The `mappings/` folder lets INVERT read each file (`invert ingest CASE FILE --mapping ...`);
bank statements in camt.053 and MT940 and the FIU's goAML reports are read without one.

Tasks:
1. Which companies would you inspect first, and why? Back each reason with source rows.
2. Which workers may be victims of labour exploitation? Are there children among them?
3. Who controls the money? Follow wages after they are paid.
4. Which online job ads recruit for these employers, and who posted them?
5. Estimate what the people behind it earned, for a confiscation request.

Beware: some situations look suspicious but are lawful.
""",
        encoding="utf-8",
    )
