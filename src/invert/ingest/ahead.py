"""Read the next files ahead while the current one is written.

Hashing a file and parsing a bank statement or goAML report is Python work on one core, while
writing a file's rows is DuckDB work that releases the interpreter: ``ingest_many`` hashes and
parses the next group of files in a worker thread while it writes the current one, so a 460,000
entry camt.053 statement is parsed while the bank CSV before it is being validated and written.

Reading ahead changes nothing that is stored. A file's hash and parsed rows depend on the file
alone, and are used at the point where the file's own ingest would have computed them: a file
found unchanged is not parsed, and a parse error is raised only when the file's turn comes,
after the files before it are stored, exactly as without reading ahead.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from invert.ingest.formats import NATIVE, Parsed


@dataclass
class ReadAhead:
    """A file hashed, and for a native format parsed (or failed to parse), before its turn."""

    sha256: str
    size: int
    parsed: Parsed | None = None
    error: Exception | None = None

    def result(self) -> Parsed:
        """The parsed rows, or the error parsing raised, raised now."""
        if self.error is not None:
            raise self.error
        assert self.parsed is not None
        return self.parsed


def read(path: Path, native: str | None) -> ReadAhead | None:
    """Hash (and parse) one file; None for a file that is not there (its ingest says so)."""
    from invert.ingest.load import file_sha256

    if not path.is_file():
        return None
    sha, size = file_sha256(path)
    if native is None:
        return ReadAhead(sha, size)
    try:
        return ReadAhead(sha, size, NATIVE[native].parse(path))
    except Exception as exc:  # raised in the file's turn, see ReadAhead.result
        return ReadAhead(sha, size, error=exc)


def read_group(paths: list[Path], native: str | None) -> list[ReadAhead | None]:
    """The files of one group in order; after a file that fails to parse nothing more is read
    (its error stops the ingest before their turn)."""
    out: list[ReadAhead | None] = []
    for path in paths:
        ahead = read(path, native)
        out.append(ahead)
        if ahead is not None and ahead.error is not None:
            break
    return out + [None] * (len(paths) - len(out))


@contextmanager
def reader() -> Iterator[ThreadPoolExecutor]:
    """One worker thread reading ahead. On leaving, work not started is cancelled and the
    worker is not waited for (a file it is parsing is finished and dropped)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="invert-read-ahead")
    try:
        yield pool
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def submit(
    pool: ThreadPoolExecutor, paths: list[Path], native: str | None
) -> Future[list[ReadAhead | None]]:
    return pool.submit(read_group, paths, native)
