"""Ingestion benchmark: throughput and peak memory of ``invert ingest`` on bank-sized inputs.

Why: a financial investigation receives a bank's whole transaction export at once, tens of
millions of rows, and investigators work on ordinary laptops. Ingestion has to keep up there, so
it is held to three targets, end to end (hashing, copying the file into the workspace, reading or
parsing, normalising distinct values such as IBANs and names, validating, writing the canonical
tables and the quarantine):

- a mapped transaction CSV at 500,000 rows/s or more,
- a camt.053 statement file at 100,000 entries/s or more,
- a peak resident memory of at most 4 GB for either.

What: the benchmark first generates its inputs in ``bench/out/`` (gitignored) with DuckDB, so
20 million rows take about a minute instead of a Python loop per row, and deterministically
(fixed seed), so two runs measure the same data:

- ``transactions.csv``: a bank export (``;``-separated, dd-mm-yyyy dates, decimal commas) whose
  payer and beneficiary IBANs come from a pool of valid IBANs (mod-97 check digits computed in
  SQL) and whose names come from a pool of a few thousand, with ``transactions.yml``, the mapping
  that turns it into bank accounts and transactions;
- ``statements.camt053.xml``: camt.053.001.08 statements of 10,000 entries each, streamed to disk
  in batches.

About 0.1% of the records are planted mistakes (an impossible date, an amount written as a
word), so quarantine is exercised; the benchmark checks that exactly these are quarantined and
that ``read = loaded + quarantined``. Generation time is reported apart and not counted.

Each ingest runs in its own spawned process into a fresh workspace, so ``ru_maxrss`` is that
ingest's peak alone (DuckDB runs inside the process; its memory counts). The per-phase times come
from the ``progress`` messages ``ingest`` emits when it enters a phase.

Usage: ``make bench-ingest`` or ``.venv/bin/python bench/ingest.py [--csv-rows N]
[--camt-entries M] [--keep] [--profile]``. Exit status 1 when a target is missed or the counts
do not add up.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import resource
import shutil
import string
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

OUT = Path(__file__).resolve().parent / "out"
META = OUT / "inputs.json"
SEED = 20_240_917
# Bump when the generated data changes, so inputs kept with --keep are regenerated.
GENERATOR_VERSION = 1
POOL_SIZE = 200_000  # distinct bank accounts
BAD_EVERY = 1_000  # one planted mistake per this many records, on average
ENTRIES_PER_STATEMENT = 10_000
WRITE_BATCH = 50_000  # camt.053 entries fetched and written at a time
MAX_RSS_GB = 4.0
GB = 1024**3

# Name pools: 50 x 50 people and 20 x 8 companies, written as bank statements write them.
# fmt: off
FIRST_NAMES = [
    "ION", "MARIA", "ELENA", "GHEORGHE", "VASILE", "ANDREEA", "MIHAI", "IOANA", "CRISTIAN",
    "ALEXANDRU", "PIOTR", "ANNA", "KATARZYNA", "TOMASZ", "MAGDALENA", "KRZYSZTOF", "AGNIESZKA",
    "PAWEL", "IVAN", "GEORGI", "DIMITAR", "PETAR", "ELENKA", "DESISLAVA", "NIKOLAY", "JAN",
    "PIETER", "SANNE", "DAAN", "FLEUR", "THOMAS", "LOTTE", "HANS", "JUERGEN", "SABINE", "KLAUS",
    "PETRA", "STEFAN", "MARTINA", "ANDRZEJ", "EWA", "BOGDAN", "LUCIAN", "FLORIN", "DANIELA",
    "STOYAN", "MILENA", "TEODORA", "VALENTIN", "ROXANA",
]
LAST_NAMES = [
    "POPESCU", "IONESCU", "POPA", "DUMITRU", "STAN", "STOICA", "GHEORGHE", "RUSU", "MUNTEANU",
    "MARINESCU", "CONSTANTIN", "NOWAK", "KOWALSKI", "WISNIEWSKI", "WOJCIK", "KOWALCZYK",
    "KAMINSKI", "LEWANDOWSKI", "ZIELINSKI", "SZYMANSKI", "IVANOV", "GEORGIEV", "DIMITROV",
    "PETROV", "NIKOLOV", "HRISTOV", "STOYANOV", "TODOROV", "DE JONG", "JANSEN", "DE VRIES",
    "VAN DIJK", "BAKKER", "VISSER", "SMIT", "MEIJER", "MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER",
    "WEBER", "MEYER", "WAGNER", "BECKER", "HOFFMANN", "SCHULZ", "KOCH", "RICHTER", "KLEIN", "WOLF",
]
COMPANY_WORDS = [
    "GREEN HARVEST", "WESTLAND", "FLEXI HANDS", "AGRO LINE", "EURO STAFF", "FAST PEOPLE",
    "BALTIC WORK", "DANUBE LOGISTICS", "CARPATI", "VISTULA", "RHEIN PERSONAL", "POLDER", "ORANJE",
    "BLACK SEA", "TULIP", "HAVEN", "NORTH STAR", "SUNRISE", "GOLDEN FIELD", "SILVER LINE",
]
# fmt: on
COMPANY_FORMS = ["B.V.", "SRL", "SP. Z O.O.", "GMBH", "EOOD", "BV", "S.R.L.", "UG"]
# Country, share of the account pool in percent, bank codes, digits after the bank code. The
# layouts follow each country's IBAN format (NL 4!a10!n, RO 4!a16!c, DE 8!n10!n, PL 8!n16!n,
# BG 4!a4!n2!n8!c, BE 3!n7!n2!n).
COUNTRIES = [
    ("NL", 35, ["ABNA", "RABO", "INGB", "TRIO", "KNAB", "SNSB"], 10),
    ("RO", 25, ["BTRL", "RNCB", "BRDE", "INGB", "RZBR", "BACX"], 16),
    ("DE", 15, ["10010010", "37040044", "50010517", "20041133", "70150000"], 10),
    ("PL", 10, ["10201026", "11402004", "10500099", "12401037"], 16),
    ("BG", 10, ["BNBG", "STSA", "UNCR", "FINV"], 14),
    ("BE", 5, ["539", "068", "001", "310"], 9),
]

MAPPING_YAML = """\
# Mapping of the generated bank export (bench/ingest.py): accounts and transactions.
name: bench-transactions
description: Generated bank transaction export for the ingestion benchmark.
format: csv
read: {delimiter: ";", encoding: utf-8}
namespace: bank-accounts
decimal: ","
date_format: "%d-%m-%Y"
entities:
  payer:
    type: BankAccount
    keys: [iban]
    key_mode: first
    properties:
      iban: payer_iban
      holderName: payer_name
  beneficiary:
    type: BankAccount
    keys: [iban]
    key_mode: first
    properties:
      iban: beneficiary_iban
      holderName: beneficiary_name
  transaction:
    type: Transaction
    keys: [tx_id]
    properties:
      payerAccount: {entity: payer}
      beneficiaryAccount: {entity: beneficiary}
      payerName: payer_name
      beneficiaryName: beneficiary_name
      amount: amount
      currency: currency
      date: booking_date
      valueDate: value_date
      purpose: purpose
      channel: channel
      transactionNumber: tx_id
"""

CAMT_HEAD = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>BENCH-{SEED}</MsgId>
      <CreDtTm>2025-01-01T00:00:00</CreDtTm>
    </GrpHdr>
"""
CAMT_TAIL = """\
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""
# Templates of the camt.053 text; {field}s are columns of the generating query.
STATEMENT_XML = """\
    <Stmt>
      <Id>{stmt_id}</Id>
      <ElctrncSeqNb>{seq}</ElctrncSeqNb>
      <CreDtTm>2025-01-01T00:00:00</CreDtTm>
      <Acct>
        <Id><IBAN>{owner_iban}</IBAN></Id>
        <Ccy>EUR</Ccy>
        <Ownr><Nm>{owner_name}</Nm></Ownr>
      </Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">0.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2024-01-01</Dt></Dt>
      </Bal>
"""
ENTRY_XML_HEAD = """\
      <Ntry>
        <NtryRef>{ref}</NtryRef>
        <Amt Ccy="{ccy}">{amount}</Amt>
        <CdtDbtInd>{direction}</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>{booked}</Dt></BookgDt>
        <ValDt><Dt>{valued}</Dt></ValDt>
        <AcctSvcrRef>{bank_ref}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{subfamily}</SubFmlyCd>\
</Fmly></Domn></BkTxCd>
"""
ENTRY_XML_DETAILS = """\
        <NtryDtls>
          <TxDtls>
            <Refs><AcctSvcrRef>{bank_ref}-1</AcctSvcrRef><EndToEndId>{end_to_end}</EndToEndId></Refs>
            <Amt Ccy="{ccy}">{amount}</Amt>
            <RltdPties>
              <Dbtr><Pty><Nm>{debtor}</Nm></Pty></Dbtr>
              <DbtrAcct><Id><IBAN>{debtor_iban}</IBAN></Id></DbtrAcct>
              <Cdtr><Pty><Nm>{creditor}</Nm></Pty></Cdtr>
              <CdtrAcct><Id><IBAN>{creditor_iban}</IBAN></Id></CdtrAcct>
            </RltdPties>
            <RmtInf><Ustrd>{purpose}</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>"""
# A cash withdrawal has no counterparty: the bank writes where it happened instead.
ENTRY_XML_ATM = """\
        <AddtlNtryInf>{purpose}</AddtlNtryInf>
      </Ntry>"""


@dataclass(frozen=True)
class Input:
    """One benchmarked input file and the target it is held to."""

    key: str
    label: str
    data: Path
    mapping: Path | None
    records: int
    min_rate: float
    generate: Callable[[duckdb.DuckDBPyConnection, Path, int], int]


@dataclass
class Measure:
    """What one ingest did and cost, as measured inside its process."""

    read: int
    loaded: int
    quarantined: int
    seconds: float
    peak_rss_bytes: int
    phases: dict[str, float] = field(default_factory=dict)
    profile: str = ""


# ---------------------------------------------------------------- data generation


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def concat_sql(template: str) -> str:
    """A SQL ``concat`` of a template's text and its ``{column}`` fields (NULL reads as '')."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            parts.append(sql_literal(literal))
        if name:
            parts.append(name)
    return f"concat({', '.join(parts)})"


def generator() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the random-pick macros and the account and name pools.

    ``pick`` hashes the record number with the seed and a per-column salt: every value is a pure
    function of its record number, so the output does not depend on thread scheduling. The salt
    is mixed in before a second hash because DuckDB combines the hashes of several arguments by
    XOR, which would make the columns' low bits (and so ``% n``) depend on each other.
    """
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(
        "CREATE MACRO pick(i, salt, n) AS "
        f"CAST(hash(xor(hash(i, {SEED}), CAST(salt AS UBIGINT))) % n AS BIGINT)"
    )
    # ISO 7064 mod 97 over the IBAN's rearranged text, letters as 10..35; at most 30 digits here,
    # which a HUGEINT holds.
    con.execute(
        "CREATE MACRO mod97(s) AS CAST(array_to_string(list_transform(string_split(s, ''), "
        "c -> CASE WHEN c BETWEEN 'A' AND 'Z' THEN CAST(ord(c) - 55 AS VARCHAR) ELSE c END), '') "
        "AS HUGEINT) % 97"
    )
    people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    companies = [f"{w} {form}" for w in COMPANY_WORDS for form in COMPANY_FORMS]
    names = sorted(set(people + companies))
    if any(c in name for name in names for c in "&<>\"';"):
        raise ValueError("pool names must need no escaping in XML or CSV")
    countries = " UNION ALL ".join(
        f"SELECT {sql_literal(cc)} AS country, {sum(c[1] for c in COUNTRIES[:n])} AS lo, "
        f"{sum(c[1] for c in COUNTRIES[: n + 1])} AS hi, "
        f"[{', '.join(sql_literal(b) for b in banks)}] AS banks, {digits} AS digits"
        for n, (cc, _share, banks, digits) in enumerate(COUNTRIES)
    )
    con.execute(
        f"""CREATE TABLE accounts AS
        WITH a AS (
            SELECT range AS i, country,
                   banks[1 + pick(range, 2, len(banks))]
                   || lpad(CAST(pick(range, 3, CAST(10 ** digits AS UBIGINT)) AS VARCHAR),
                           digits, '0') AS bban
            FROM range({POOL_SIZE}) JOIN ({countries}) c ON pick(range, 1, 100) >= c.lo
                                                         AND pick(range, 1, 100) < c.hi)
        SELECT i, country || lpad(CAST(98 - mod97(bban || country || '00') AS VARCHAR), 2, '0')
                  || bban AS iban,
               $names[1 + pick(i, 4, {len(names)})] AS holder
        FROM a""",
        {"names": names},
    )
    # One row of two lists: a list lookup per record is much faster than a join, and keeps the
    # generated rows in record order.
    con.execute(
        "CREATE TABLE pool AS SELECT list(iban ORDER BY i) AS ibans, "
        "list(holder ORDER BY i) AS holders FROM accounts"
    )
    con.execute("CREATE MACRO iban_at(k) AS (SELECT ibans FROM pool)[k + 1]")
    con.execute("CREATE MACRO holder_at(k) AS (SELECT holders FROM pool)[k + 1]")
    _check_ibans(con)
    return con


def _check_ibans(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse to benchmark with invalid IBANs: they would be flagged, not loaded as accounts."""
    from schwifty import IBAN

    sample = con.execute("SELECT iban FROM accounts USING SAMPLE 2000 ROWS").fetchall()
    for (iban,) in sample:
        IBAN(iban)  # raises on a wrong check sum or layout


def planted(con: duckdb.DuckDBPyConnection, records: int) -> int:
    """How many records the generators deliberately spoil (the ``bad`` column below)."""
    rows = con.execute(
        f"SELECT count(*) FROM range({records}) WHERE pick(range, 10, {BAD_EVERY}) = 0"
    ).fetchall()
    return int(rows[0][0])


def generate_csv(con: duckdb.DuckDBPyConnection, path: Path, rows: int) -> int:
    """Write the bank export and its mapping; returns the number of planted mistakes."""
    (path.parent / "transactions.yml").write_text(MAPPING_YAML, encoding="utf-8")
    con.execute(
        f"""COPY (
        WITH r AS (
            SELECT range AS i,
                   pick(range, 10, {BAD_EVERY}) = 0 AS bad,
                   pick(range, 11, 2) AS bad_kind,
                   DATE '2022-01-01' + CAST(pick(range, 12, 1096) AS INTEGER) AS booked,
                   CAST(pick(range, 13, 3) AS INTEGER) AS lag,
                   CASE WHEN pick(range, 14, 50) = 0 THEN 100000 + pick(range, 15, 5000000)
                        ELSE 100 + pick(range, 15, 400000) END AS cents,
                   pick(range, 16, 100) AS ch,
                   pick(range, 17, 100) AS cur,
                   pick(range, 18, 8) AS why,
                   pick(range, 19, {POOL_SIZE}) AS payer,
                   -- one payment in ten goes to one of 500 hubs (employers, landlords)
                   CASE WHEN pick(range, 20, 10) = 0 THEN pick(range, 21, 500)
                        ELSE pick(range, 21, {POOL_SIZE}) END AS payee
            FROM range({rows})),
        t AS (
            SELECT *, CASE WHEN ch < 70 THEN 'wire' WHEN ch < 85 THEN 'card'
                           WHEN ch < 92 THEN 'atm' WHEN ch < 95 THEN 'cash' ELSE 'p2p' END
                      AS channel
            FROM r)
        SELECT 'TX' || lpad(CAST(i AS VARCHAR), 10, '0') AS tx_id,
               CASE WHEN bad AND bad_kind = 0 THEN '31-02-' || year(booked)
                    ELSE strftime(booked, '%d-%m-%Y') END AS booking_date,
               strftime(booked + lag, '%d-%m-%Y') AS value_date,
               CASE WHEN bad AND bad_kind = 1 THEN 'ONBEKEND'
                    ELSE replace(format('{{:,}}', cents // 100), ',', '.') || ','
                         || lpad(CAST(cents % 100 AS VARCHAR), 2, '0') END AS amount,
               CASE WHEN cur < 90 THEN 'EUR' WHEN cur < 96 THEN 'RON' ELSE 'PLN' END
                   AS currency,
               iban_at(payer) AS payer_iban,
               holder_at(payer) AS payer_name,
               CASE WHEN channel NOT IN ('atm', 'cash') THEN iban_at(payee) END
                   AS beneficiary_iban,
               CASE channel WHEN 'atm' THEN 'GELDAUTOMAAT ' || (1 + why)
                            WHEN 'cash' THEN 'KASOPNAME' ELSE holder_at(payee) END
                   AS beneficiary_name,
               CASE why WHEN 0 THEN 'SALARIS ' || strftime(booked, '%m-%Y')
                        WHEN 1 THEN 'HUUR KAMER ' || (1 + payee % 12)
                        WHEN 2 THEN 'HUISVESTING EN VERVOER'
                        WHEN 3 THEN 'FACTUUR ' || (100000 + i % 900000)
                        WHEN 4 THEN 'TRANSFER FAMILIE'
                        WHEN 5 THEN 'VOORSCHOT LOON'
                        WHEN 6 THEN 'BOETE CONTRACT'
                        ELSE 'BETALING ' || strftime(booked, '%d-%m') END AS purpose,
               channel
        FROM t
        ) TO {sql_literal(str(path))} (HEADER, DELIMITER ';')"""
    )
    return planted(con, rows)


def generate_camt(con: duckdb.DuckDBPyConnection, path: Path, entries: int) -> int:
    """Stream camt.053 statements to disk in batches; returns the number of planted mistakes.

    DuckDB builds each entry's XML text in parallel; Python only joins and writes batches.
    """
    entry_sql = concat_sql(ENTRY_XML_HEAD)
    query = f"""
        WITH r AS (
            SELECT range AS i,
                   range // {ENTRIES_PER_STATEMENT} AS seq,
                   range % {ENTRIES_PER_STATEMENT} = 0 AS opens,
                   pick(range // {ENTRIES_PER_STATEMENT}, 30, {POOL_SIZE}) AS owner,
                   pick(range, 31, {POOL_SIZE}) AS other,
                   pick(range, 10, {BAD_EVERY}) = 0 AS bad,
                   CASE WHEN pick(range, 32, 100) < 45 THEN 'CRDT' ELSE 'DBIT' END AS direction,
                   pick(range, 33, 100) AS kind,
                   -- dates rise through each statement, as on a real one
                   DATE '2024-01-01' + CAST((range % {ENTRIES_PER_STATEMENT}) * 366
                                            // {ENTRIES_PER_STATEMENT} AS INTEGER) AS day,
                   CAST(pick(range, 34, 3) AS INTEGER) AS lag,
                   CASE WHEN pick(range, 35, 50) = 0 THEN 100000 + pick(range, 36, 5000000)
                        ELSE 100 + pick(range, 36, 400000) END AS cents
            FROM range({entries})),
        e AS (
            SELECT *,
                   'STMT-' || iban_at(owner) || '-' || lpad(CAST(seq AS VARCHAR), 5, '0')
                       AS stmt_id,
                   iban_at(owner) AS owner_iban,
                   holder_at(owner) AS owner_name,
                   direction = 'DBIT' AND kind < 8 AS atm,
                   direction = 'DBIT' AND kind BETWEEN 8 AND 19 AS card,
                   lpad(CAST(i AS VARCHAR), 8, '0') AS ref,
                   'EUR' AS ccy,
                   CAST(cents // 100 AS VARCHAR) || '.'
                       || lpad(CAST(cents % 100 AS VARCHAR), 2, '0') AS amount,
                   CASE WHEN bad THEN '2024-02-30' ELSE CAST(day AS VARCHAR) END AS booked,
                   CAST(day + lag AS VARCHAR) AS valued,
                   'BNK-' || strftime(day, '%Y%m%d') || '-' || lpad(CAST(i AS VARCHAR), 8, '0')
                       AS bank_ref,
                   'E2E-' || lpad(CAST(i AS VARCHAR), 10, '0') AS end_to_end
            FROM r),
        x AS (
            SELECT *,
                   CASE WHEN atm OR card THEN 'CCRD' WHEN direction = 'CRDT' THEN 'RCDT'
                        ELSE 'ICDT' END AS family,
                   CASE WHEN atm THEN 'CWDL' WHEN card THEN 'POSD' ELSE 'ESCT' END
                       AS subfamily,
                   CASE WHEN direction = 'CRDT' THEN holder_at(other) ELSE owner_name END
                       AS debtor,
                   CASE WHEN direction = 'CRDT' THEN iban_at(other) ELSE owner_iban END
                       AS debtor_iban,
                   CASE WHEN direction = 'CRDT' THEN owner_name ELSE holder_at(other) END
                       AS creditor,
                   CASE WHEN direction = 'CRDT' THEN owner_iban ELSE iban_at(other) END
                       AS creditor_iban,
                   CASE WHEN atm THEN 'GELDAUTOMAAT ' || (1 + kind)
                        WHEN direction = 'CRDT' THEN 'SALARIS ' || strftime(day, '%m-%Y')
                        ELSE 'BETALING ' || ref END AS purpose
            FROM e)
        SELECT CASE WHEN opens AND i > 0 THEN '    </Stmt>' || chr(10) ELSE '' END
               || CASE WHEN opens THEN {concat_sql(STATEMENT_XML)} ELSE '' END
               || {entry_sql}
               || CASE WHEN atm THEN {concat_sql(ENTRY_XML_ATM)}
                       ELSE {concat_sql(ENTRY_XML_DETAILS)} END
        FROM x"""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(CAMT_HEAD)
        reader = con.execute(query).to_arrow_reader(WRITE_BATCH)
        for batch in reader:
            fh.write("\n".join(batch.column(0).to_pylist()))
            fh.write("\n")
        fh.write(CAMT_TAIL)
    return planted(con, entries)


def prepare(inputs: list[Input], keep: bool) -> dict[str, int]:
    """Generate the inputs that are missing or stale; returns the planted mistakes per input.

    With --keep, an input is reused when its record count, seed and generator version match and
    its file still has the size recorded when it was written.
    """
    meta = _read_meta()
    con: duckdb.DuckDBPyConnection | None = None
    for inp in inputs:
        wanted = {"records": inp.records, "seed": SEED, "version": GENERATOR_VERSION}
        known = meta.get(inp.key, {})
        fresh = (
            keep
            and inp.data.exists()
            and (inp.mapping is None or inp.mapping.exists())
            and {k: known.get(k) for k in wanted} == wanted
            and known.get("bytes") == inp.data.stat().st_size
        )
        if fresh:
            print(f"{inp.label}: reusing {inp.data.name} ({_size(inp.data)})")
            continue
        started = time.perf_counter()
        con = con or generator()
        bad = inp.generate(con, inp.data, inp.records)
        meta[inp.key] = {**wanted, "planted": bad, "bytes": inp.data.stat().st_size}
        META.write_text(json.dumps(meta, indent=2))
        print(
            f"{inp.label}: generated {inp.records:,} records ({_size(inp.data)}) "
            f"in {time.perf_counter() - started:.1f} s (not counted)"
        )
    if con is not None:
        con.close()
    return {inp.key: meta[inp.key]["planted"] for inp in inputs}


def discard(inputs: list[Input]) -> None:
    """Delete the generated data, workspaces and logs of these inputs (a run without --keep)."""
    meta = _read_meta()
    for inp in inputs:
        shutil.rmtree(OUT / f"workspace-{inp.key}", ignore_errors=True)
        for path in (inp.data, inp.mapping, OUT / f"ingest-{inp.key}.log"):
            if path is not None:
                path.unlink(missing_ok=True)
        meta.pop(inp.key, None)
    if meta:
        META.write_text(json.dumps(meta, indent=2))
    else:
        META.unlink(missing_ok=True)


def _read_meta() -> dict[str, dict[str, int]]:
    return json.loads(META.read_text()) if META.exists() else {}


def _size(path: Path) -> str:
    return f"{path.stat().st_size / GB:.2f} GB"


# ---------------------------------------------------------------- measurement


def run_ingest(data: Path, mapping: Path | None, workspace: Path, profile: Path | None) -> Measure:
    """Ingest one file into a new workspace; runs in a spawned process of its own."""
    from invert.ingest.load import ingest
    from invert.workspace import Workspace

    ws = Workspace.init(workspace)
    marks: list[tuple[str, float]] = []
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    marks.append(("loading mapping", started))
    if profiler:
        profiler.enable()
    result = ingest(
        ws, data, mapping, progress=lambda msg: marks.append((msg, time.perf_counter()))
    )
    if profiler:
        profiler.disable()
    ended = time.perf_counter()
    phases: dict[str, float] = {}
    for (name, start), (_next, end) in zip(marks, [*marks[1:], ("", ended)], strict=True):
        phases[name] = phases.get(name, 0.0) + end - start
    text = ""
    if profiler is not None and profile is not None:
        profiler.dump_stats(profile)
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(25)
        text = buffer.getvalue()
    # ru_maxrss is in KiB on Linux. DuckDB works in this process's threads; the children term
    # covers any helper process a reader might start.
    rss_kib = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    return Measure(
        read=result.read,
        loaded=result.loaded,
        quarantined=result.quarantined,
        seconds=ended - started,
        peak_rss_bytes=rss_kib * 1024,
        phases=phases,
        profile=text,
    )


def _send_output_to(log: Path) -> None:
    """Point the worker's stdout and stderr at a log file: DuckDB draws a progress bar for
    every long query, which would bury the report."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def measure(inp: Input, profile: bool) -> Measure:
    workspace = OUT / f"workspace-{inp.key}"
    shutil.rmtree(workspace, ignore_errors=True)
    prof = OUT / f"profile-{inp.key}.prof" if profile else None
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_send_output_to,
        initargs=(OUT / f"ingest-{inp.key}.log",),
    ) as pool:
        return pool.submit(run_ingest, inp.data, inp.mapping, workspace, prof).result()


def verdict(inp: Input, m: Measure, planted: int) -> list[str]:
    """The reasons this input fails; empty when it passes."""
    problems = []
    if m.read != m.loaded + m.quarantined:
        problems.append(f"read {m.read} ≠ loaded {m.loaded} + quarantined {m.quarantined}")
    if m.read != inp.records:
        problems.append(f"read {m.read} records, generated {inp.records}")
    if m.quarantined != planted:
        problems.append(f"quarantined {m.quarantined}, planted {planted} mistakes")
    if m.read / m.seconds < inp.min_rate:
        problems.append(f"below {inp.min_rate:,.0f} records/s")
    if m.peak_rss_bytes / GB > MAX_RSS_GB:
        problems.append(f"peak RSS above {MAX_RSS_GB:g} GB")
    return problems


def report(results: list[tuple[Input, Measure, list[str]]]) -> None:
    header = (
        f"{'input':<18} {'records':>12} {'seconds':>8} {'records/s':>11} {'peak RSS GB':>11}  "
        f"{'target':<28} result"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for inp, m, problems in results:
        target = f">= {inp.min_rate / 1000:,.0f}k/s, <= {MAX_RSS_GB:g} GB"
        print(
            f"{inp.label:<18} {m.read:>12,} {m.seconds:>8.1f} {m.read / m.seconds:>11,.0f} "
            f"{m.peak_rss_bytes / GB:>11.2f}  {target:<28} {'FAIL' if problems else 'PASS'}"
        )
    for inp, m, problems in results:
        print(
            f"\n{inp.label}: loaded {m.loaded:,}, quarantined {m.quarantined:,}"
            + (f"; FAIL: {'; '.join(problems)}" if problems else "")
        )
        for name, seconds in m.phases.items():
            print(f"  {name:<28} {seconds:>8.2f} s  {100 * seconds / m.seconds:>5.1f} %")
        if m.profile:
            print(m.profile)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Ingestion benchmark: throughput and peak memory of invert ingest."
    )
    parser.add_argument(
        "--csv-rows", type=int, default=20_000_000, help="transaction CSV rows (0 skips it)"
    )
    parser.add_argument(
        "--camt-entries", type=int, default=1_000_000, help="camt.053 entries (0 skips it)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the generated data (and workspaces); reuse data of the same size next run",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run each ingest under cProfile (slower), print its top functions, save .prof files",
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    candidates = [
        Input(
            "csv",
            "transactions CSV",
            OUT / "transactions.csv",
            OUT / "transactions.yml",
            args.csv_rows,
            500_000,
            generate_csv,
        ),
        Input(
            "camt053",
            "camt.053",
            OUT / "statements.camt053.xml",
            None,
            args.camt_entries,
            100_000,
            generate_camt,
        ),
    ]
    inputs = [inp for inp in candidates if inp.records > 0]
    planted_by_key = prepare(inputs, args.keep)
    results = []
    for inp in inputs:
        print(f"{inp.label}: ingesting {inp.records:,} records...", flush=True)
        m = measure(inp, args.profile)
        results.append((inp, m, verdict(inp, m, planted_by_key[inp.key])))
    report(results)
    if not args.keep:
        discard(inputs)
    return 1 if any(problems for _inp, _m, problems in results) else 0


if __name__ == "__main__":
    sys.exit(main())
