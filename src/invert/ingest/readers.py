"""Stage a source file as a temporary DuckDB table of text columns plus ``source_row``.

``source_row`` is the number a person finds the record under: the spreadsheet row for CSV and
Excel (header = row 1, a quoted multi-line value is one row), the line for JSON Lines, the
1-based row for Parquet. Records that cannot be split into the header's columns are returned
as rejects with their text, so they reach quarantine instead of vanishing.
"""

from __future__ import annotations

import codecs
import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from invert.errors import InvalidData
from invert.ingest.mapping import EXTENSIONS, FORMATS, Mapping

# Encodings DuckDB reads itself; others are transcoded to UTF-8 first.
NATIVE_ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-16": "utf-16",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
}
REJECTS = "staged_rejects"
RAW = "staged_raw"
# A CSV file's rows as read; ``staged_raw`` is then a view numbering them.
CSV_ROWS = "staged_csv_rows"


@dataclass
class Staged:
    """A staged file: ``staged_raw(source_row, <columns>)`` and ``staged_rejects``."""

    columns: list[str]
    records: int  # data records found in the file, accepted or rejected
    # SQL over staged_raw giving the row's original values as JSON, kept in quarantine.
    raw_sql: str = ""


def file_format(path: Path, mapping: Mapping, forced: str | None = None) -> str:
    """The tabular format to read: as forced on the command line, else the mapping's, else by
    the file extension."""
    if forced:
        if forced not in FORMATS:
            raise InvalidData(
                f"{path.name}: unknown format '{forced}' "
                f"(known: {', '.join(FORMATS)}, camt053, mt940, goaml, html_ads)"
            )
        return forced
    if mapping.format:
        return mapping.format
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidData(
            f"{path.name}: cannot tell the format from the extension "
            f"'{path.suffix}'; set 'format:' in the mapping"
        )
    return fmt


def stage(con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping, fmt: str) -> Staged:
    """Read a tabular file into ``staged_raw`` (one row per record, with its file row number)
    and unreadable records into ``staged_rejects``."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {REJECTS} "
        "(source_row BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR)"
    )
    if fmt in ("csv", "tsv"):
        return _stage_csv(con, path, mapping, "\t" if fmt == "tsv" else None)
    if fmt == "xlsx":
        return _stage_table(con, read_xlsx(path, mapping), path, mapping)
    if fmt == "parquet":
        return _stage_parquet(con, path, mapping)
    return _stage_jsonl(con, path, mapping)


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quoted(col: str) -> str:
    return '"' + col.replace('"', '""') + '"'


def _utf8_path(path: Path, encoding: str, workdir: Path) -> tuple[Path, str]:
    """Return a path DuckDB can read and the encoding to tell it, transcoding if needed."""
    enc = encoding.lower()
    if enc in NATIVE_ENCODINGS:
        native = NATIVE_ENCODINGS[enc]
        if native == "utf-8":
            _check_utf8(path)
        return path, native
    try:
        codecs.lookup(enc)
    except LookupError as exc:
        raise InvalidData(
            f"{path.name}: unknown encoding '{encoding}' in the mapping's read "
            "options (try utf-8, latin-1, cp1250, cp1252, iso-8859-2)"
        ) from exc
    target = workdir / (path.stem + ".utf8" + path.suffix)
    with (
        open(path, encoding=enc, errors="strict", newline="") as src,
        open(target, "w", encoding="utf-8", newline="") as dst,
    ):
        try:
            shutil.copyfileobj(src, dst, 1 << 22)
        except UnicodeDecodeError as exc:
            raise InvalidData(f"{path.name}: byte {exc.start} is not valid {encoding}") from exc
    return target, "utf-8"


def _check_utf8(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sample's end
            raise InvalidData(
                f"{path.name}: not UTF-8 (byte 0x{head[exc.start]:02x} at offset {exc.start}); "
                "set 'read: {encoding: latin-1}' (or cp1250, cp1252...) in the mapping"
            ) from exc


def _stage_csv(
    con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping, delimiter: str | None
) -> Staged:
    opts = mapping.read
    header = bool(opts.get("header", True))
    skip = int(opts.get("skip_rows", 0))
    with tempfile.TemporaryDirectory(prefix="invert-") as tmp:
        readable, encoding = _utf8_path(path, str(opts.get("encoding", "utf-8")), Path(tmp))
        args = [
            "all_varchar = true",
            f"header = {str(header).lower()}",
            f"skip = {skip}",
            f"encoding = {_sql_str(encoding)}",
        ]
        delimiter = opts.get("delimiter", delimiter) or _header_delimiter(readable, skip)
        if delimiter:
            args.append(f"delim = {_sql_str(delimiter)}")
        if "quote" in opts:
            args.append(f"quote = {_sql_str(str(opts['quote']))}")
        if opts.get("columns"):
            names = ", ".join(_sql_str(str(c)) for c in opts["columns"])
            args.append(f"names = [{names}]")
        source = f"read_csv({_sql_str(str(readable))}, {', '.join(args)}"
        try:
            columns = [
                r[0]
                for r in con.execute(
                    f"DESCRIBE SELECT * FROM {source}, ignore_errors = true)"
                ).fetchall()
            ]
        except duckdb.Error as exc:
            raise InvalidData(f"{path.name}: cannot read as CSV ({_first_line(exc)})") from exc
        mapping.check_columns(columns, path.name)
        first = skip + (2 if header else 1)
        con.execute(
            "DROP TABLE IF EXISTS staged_csv_rejects; DROP TABLE IF EXISTS staged_csv_scans"
        )
        read = (
            f"{source}, ignore_errors = true, store_rejects = true, "
            "rejects_table = 'staged_csv_rejects', rejects_scan = 'staged_csv_scans')"
        )
        try:
            if "rowid" in {c.lower() for c in columns}:
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {RAW} AS "
                    f"SELECT row_number() OVER () + {first - 1} AS source_row, * FROM {read}"
                )
            else:
                # Read in parallel, in file order; the rows are numbered by their place in the
                # table (from the first record's line on), so a file without rejected or blank
                # records needs no second pass to number them.
                con.execute(f"CREATE OR REPLACE TEMP TABLE {CSV_ROWS} AS SELECT * FROM {read}")
                con.execute(
                    f"CREATE OR REPLACE TEMP VIEW {RAW} AS "
                    f"SELECT rowid + {first} AS source_row, * FROM {CSV_ROWS}"
                )
        except duckdb.Error as exc:
            raise InvalidData(f"{path.name}: cannot read as CSV ({_first_line(exc)})") from exc
        con.execute(
            f"INSERT INTO {REJECTS} SELECT line, any_value(column_name), "
            "string_agg(DISTINCT error_type || ': ' || error_message, '; '), any_value(csv_line) "
            "FROM staged_csv_rejects GROUP BY line"
        )
        blanks = _blank_lines(con, readable, first) if _has_inner_blank_line(readable) else []
        _renumber(con, first, blanks)
    records = con.execute(
        f"SELECT (SELECT count(*) FROM {RAW}) + (SELECT count(*) FROM {REJECTS})"
    ).fetchone()[0]
    return Staged(mapping.columns, records, _json_of(columns))


def _header_delimiter(path: Path, skip: int) -> str | None:
    """The separator that splits the first record most often.

    DuckDB's sniffer samples many rows and can be misled by one malformed row; the header line
    of an export is the most reliable witness of its separator.
    """
    with open(path, encoding="utf-8", errors="replace") as fh:
        for _ in range(skip):
            fh.readline()
        line = fh.readline()
    counts = {d: line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else None


def _json_of(columns: list[str]) -> str:
    pairs = ", ".join(f"{_sql_str(c)}, {_quoted(c)}" for c in columns)
    return f"json_object({pairs})"


def _has_inner_blank_line(path: Path, chunk: int = 1 << 24) -> bool:
    """A fast byte scan: does an empty line stand between two records? The file is read into
    one reused buffer and searched in place (mapping it into memory instead would count the
    whole file in the process's resident memory)."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        end = size  # the file without its closing line breaks
        while end:
            fh.seek(max(0, end - 2))
            tail = fh.read(end - max(0, end - 2))
            stripped = len(tail.rstrip(b"\r\n"))
            end -= len(tail) - stripped
            if stripped:
                break
        fh.seek(0)
        buffer = bytearray(chunk + 2)
        view = memoryview(buffer)
        kept = done = 0  # bytes carried over from the previous chunk; bytes read so far
        while done < end:
            n = fh.readinto(view[kept : kept + min(chunk, end - done)])
            if not n:
                break
            done += n
            last = kept + n
            if buffer.find(b"\n\n", 0, last) != -1 or buffer.find(b"\n\r\n", 0, last) != -1:
                return True
            kept = min(2, last)
            buffer[:kept] = buffer[last - kept : last]
    return False


def _blank_lines(con: duckdb.DuckDBPyConnection, path: Path, first: int) -> list[int]:
    rows = con.execute(
        "SELECT n FROM (SELECT row_number() OVER () AS n, line "
        f"FROM read_csv({_sql_str(str(path))}, "
        "columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', header = false, "
        "auto_detect = false)) WHERE line IS NULL AND n >= ?",
        [first],
    ).fetchall()
    return [r[0] for r in rows]


def _renumber(con: duckdb.DuckDBPyConnection, first: int, blanks: list[int]) -> None:
    """Turn the accepted rows' numbers (their ordinal counted from the first record's line)
    into record numbers, stepping over rejected and blank records (which the CSV reader numbers
    but does not return)."""
    con.execute("CREATE OR REPLACE TEMP TABLE staged_skipped (n BIGINT)")
    con.execute(f"INSERT INTO staged_skipped SELECT source_row FROM {REJECTS}")
    if blanks:
        con.executemany("INSERT INTO staged_skipped VALUES (?)", [[b] for b in blanks])
    if con.execute("SELECT count(*) FROM staged_skipped").fetchone()[0] == 0:
        return
    # The accepted ordinal k sits at the k-th record number that was not skipped.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE staged_renumbered AS
        WITH s AS (SELECT DISTINCT n FROM staged_skipped WHERE n >= {first}),
        gaps AS (SELECT n - {first} - (row_number() OVER (ORDER BY n) - 1) AS before, n FROM s),
        steps AS (SELECT before, max(cum) AS shift
                  FROM (SELECT before, row_number() OVER (ORDER BY n) AS cum FROM gaps)
                  GROUP BY before)
        SELECT r.* REPLACE (r.source_row + coalesce(st.shift, 0) AS source_row)
        FROM {RAW} r ASOF LEFT JOIN steps st ON r.source_row - {first} >= st.before
        ORDER BY r.source_row"""
    )
    drop_raw(con)
    con.execute(f"ALTER TABLE staged_renumbered RENAME TO {RAW}")


def drop_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Drop ``staged_raw`` (a table, or a view over a CSV file's rows) and what it reads."""
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables "
        "WHERE table_catalog = 'temp' AND table_name = ?",
        [RAW],
    ).fetchone()
    if kind is not None:
        con.execute(f"DROP {'VIEW' if kind[0] == 'VIEW' else 'TABLE'} {RAW}")
    con.execute(f"DROP TABLE IF EXISTS {CSV_ROWS}")


def _stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping) -> Staged:
    source = f"read_parquet({_sql_str(str(path))}, file_row_number = true)"
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    except duckdb.Error as exc:
        raise InvalidData(f"{path.name}: cannot read as Parquet ({_first_line(exc)})") from exc
    columns = [c for c in columns if c != "file_row_number"]
    mapping.check_columns(columns, path.name)
    cols = ", ".join(f"CAST({_quoted(c)} AS VARCHAR) AS {_quoted(c)}" for c in columns)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {RAW} AS "
        f"SELECT file_row_number + 1 AS source_row, {cols} FROM {source}"
    )
    return Staged(
        mapping.columns, con.execute(f"SELECT count(*) FROM {RAW}").fetchone()[0], _json_of(columns)
    )


def _stage_jsonl(con: duckdb.DuckDBPyConnection, path: Path, mapping: Mapping) -> Staged:
    """JSON Lines are read line by line, so a broken line is quarantined with its number.
    A mapping's column 'contact.phone' reads the nested field contact → phone."""
    _check_utf8(path)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE staged_lines AS "
        "SELECT row_number() OVER () AS source_row, line "
        f"FROM read_csv({_sql_str(str(path))}, columns = {{'line': 'VARCHAR'}}, delim = chr(31), "
        "quote = '', escape = '', header = false, auto_detect = false)"
    )
    con.execute("DELETE FROM staged_lines WHERE line IS NULL OR trim(line) = ''")
    con.execute(
        f"INSERT INTO {REJECTS} SELECT source_row, NULL, 'not a valid JSON object', line "
        "FROM staged_lines "
        "WHERE NOT coalesce(CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' END, false)"
    )
    con.execute(
        "DELETE FROM staged_lines WHERE source_row IN (SELECT source_row FROM staged_rejects)"
    )
    present = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unnest(json_keys(line)) "
            "FROM (SELECT line FROM staged_lines LIMIT 1000)"
        ).fetchall()
    }
    mapping.check_columns(
        sorted(present | {c for c in mapping.columns if c.split(".")[0] in present}), path.name
    )
    cols = ", ".join(
        f"json_extract_string(line, {_sql_str(_json_path(c))}) AS {_quoted(c)}"
        for c in mapping.columns
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {RAW} AS SELECT source_row, line AS _line, {cols} "
        "FROM staged_lines"
    )
    records = con.execute(
        f"SELECT (SELECT count(*) FROM {RAW}) + (SELECT count(*) FROM {REJECTS})"
    ).fetchone()[0]
    return Staged(mapping.columns, records, "_line::JSON")


def _json_path(column: str) -> str:
    return "$" + "".join('."' + part.replace('"', '\\"') + '"' for part in column.split("."))


def read_xlsx(path: Path, mapping: Mapping) -> pa.Table:
    """Read one sheet with openpyxl in streaming mode; cells become text as a person reads them."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise InvalidData(f"{path.name}: cannot open as an Excel workbook ({exc})") from exc
    sheet_name = mapping.read.get("sheet")
    if sheet_name is not None and sheet_name not in book.sheetnames:
        raise InvalidData(
            f"{path.name}: no sheet named '{sheet_name}' (sheets: {', '.join(book.sheetnames)})"
        )
    sheet = book[sheet_name] if sheet_name else book.worksheets[0]
    skip = int(mapping.read.get("skip_rows", 0))
    rows = sheet.iter_rows(values_only=True)
    for _ in range(skip):
        next(rows, None)
    header_row = skip + 1
    header = [
        str(c).strip() if c is not None else f"column{i}" for i, c in enumerate(next(rows, ()))
    ]
    mapping.check_columns(header, f"{path.name} (sheet {sheet.title})")
    numbers: list[int] = []
    values: list[list[str | None]] = [[] for _ in header]
    for offset, row in enumerate(rows, start=header_row + 1):
        if not any(v is not None and str(v).strip() for v in row):
            continue
        numbers.append(offset)
        for idx, slot in enumerate(values):
            slot.append(_cell_text(row[idx]) if idx < len(row) else None)
    book.close()
    arrays = {"source_row": pa.array(numbers, pa.int64())}
    for name, column in zip(header, values, strict=True):
        arrays.setdefault(name, pa.array(column, pa.string()))
    return pa.table(arrays)


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _stage_table(
    con: duckdb.DuckDBPyConnection, table: pa.Table, path: Path, mapping: Mapping
) -> Staged:
    con.register("staged_arrow", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {RAW} AS SELECT * FROM staged_arrow")
    con.unregister("staged_arrow")
    columns = [c for c in table.column_names if c != "source_row"]
    return Staged(mapping.columns, table.num_rows, _json_of(columns))


def stage_arrow(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    path: Path,
    mapping: Mapping,
    rejects: list[tuple[int, str | None, str, str]],
) -> Staged:
    """Stage rows a native parser produced (camt.053, MT940, goAML) with its own rejects."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {REJECTS} "
        "(source_row BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR)"
    )
    if rejects:
        con.executemany(f"INSERT INTO {REJECTS} VALUES (?, ?, ?, ?)", [list(r) for r in rejects])
    mapping.check_columns(table.column_names, path.name)
    staged = _stage_table(con, table, path, mapping)
    return Staged(staged.columns, staged.records + len(rejects), staged.raw_sql)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
