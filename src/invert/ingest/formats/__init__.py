"""Formats INVERT reads without a mapping file: bank statements (ISO 20022 camt.053, SWIFT
MT940), FIU reports (goAML XML) and saved web pages of online ads (HTML, alone or zipped).

Each parser streams its file into flat rows (one per transaction, with the line it starts on as
``source_row``) and ships a mapping in this folder that turns those rows into canonical
entities, so native formats pass through the same validation, normalisation and quarantine as
any mapped file. Bank accounts share the id namespace ``bank-accounts``: one IBAN is one account
id whichever statement or report names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyarrow as pa

from invert.ingest.mapping import Mapping, load_mapping

HERE = Path(__file__).parent
# A reject: (source_row, field, reason, raw text).
Reject = tuple[int, str | None, str, str]


@dataclass
class Parsed:
    table: pa.Table
    rejects: list[Reject] = field(default_factory=list)


@dataclass(frozen=True)
class NativeFormat:
    name: str
    parse: Callable[[Path], Parsed]

    def mapping(self) -> Mapping:
        return _bundled_mapping(self.name)


@cache
def _bundled_mapping(name: str) -> Mapping:
    """A bundled mapping is read once per process: a folder of goAML reports shares it."""
    return load_mapping(HERE / f"{name}.yml")


def rows_to_table(columns: list[str], rows: list[dict[str, str | int | None]]) -> pa.Table:
    data = {"source_row": pa.array([r["source_row"] for r in rows], pa.int64())}
    for col in columns:
        data[col] = pa.array(
            [None if r.get(col) is None else str(r[col]) for r in rows], pa.string()
        )
    return pa.table(data)


def detect_native(path: Path) -> str | None:
    """Recognise a native format from the first bytes of the file."""
    from invert.ingest.formats.html_ads import is_page_archive

    with open(path, "rb") as fh:
        head = fh.read(4096).decode("utf-8", errors="replace")
    lowered = head.lstrip("\ufeff \r\n").lower()
    if lowered.startswith(("<!doctype html", "<html")) or is_page_archive(path):
        return "html_ads"
    if "camt.053" in head:
        return "camt053"
    if "<report" in head and ("<rentity_id" in head or "<report_code" in head or "goAML" in head):
        return "goaml"
    stripped = head.lstrip("\ufeff \r\n{1:")
    if ":20:" in head[:400] and (":25:" in head or ":61:" in head) and not stripped.startswith("<"):
        return "mt940"
    return None


def _registry() -> dict[str, NativeFormat]:
    from invert.ingest.formats import camt053, goaml, html_ads, mt940

    return {
        "camt053": NativeFormat("camt053", camt053.parse),
        "mt940": NativeFormat("mt940", mt940.parse),
        "goaml": NativeFormat("goaml", goaml.parse),
        "html_ads": NativeFormat("html_ads", html_ads.parse),
    }


NATIVE = _registry()
