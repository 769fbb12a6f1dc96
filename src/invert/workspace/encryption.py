"""Encryption at rest: a workspace database that cannot be read without its key.

DuckDB encrypts a database file (AES-GCM, pages and write-ahead log) when it is attached with
an ``ENCRYPTION_KEY``; spill files of such a database are encrypted too once
``temp_file_encryption`` is on. Writing an encrypted file needs the cryptography of DuckDB's
httpfs extension, which cannot be downloaded at run time on a closed network, so it is loaded
from the ``duckdb-extension-httpfs`` package, whose version matches DuckDB's exactly.

The key is never stored in the workspace. It comes from the environment, as the secret itself
(``INVERT_WORKSPACE_KEY``) or as the path of a file holding it (``INVERT_WORKSPACE_KEY_FILE``),
so that a key manager or a mounted secret can supply it. The workspace's ``invert.toml`` only
says that the database is encrypted, so that a missing key is reported as such rather than as a
damaged file.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import duckdb

from invert.errors import WorkspaceError

KEY_VARIABLE = "INVERT_WORKSPACE_KEY"
KEY_FILE_VARIABLE = "INVERT_WORKSPACE_KEY_FILE"
MIN_KEY_LENGTH = 32  # characters: a passphrase shorter than this is guessable offline
CATALOG = "workspace"  # the name the encrypted database is attached under


def key_from_environment() -> str | None:
    """The workspace key the environment supplies, or None."""
    if os.environ.get(KEY_VARIABLE):
        return os.environ[KEY_VARIABLE]
    path = os.environ.get(KEY_FILE_VARIABLE)
    if not path:
        return None
    try:
        key = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise WorkspaceError(f"cannot read the workspace key file {path} ({exc})") from exc
    if not key:
        raise WorkspaceError(f"the workspace key file {path} is empty")
    return key


def require_key(purpose: str) -> str:
    """The key, or an error that says how to supply one."""
    key = key_from_environment()
    if key is None:
        raise WorkspaceError(
            f"{purpose} needs the workspace key: set {KEY_VARIABLE} to the key, or "
            f"{KEY_FILE_VARIABLE} to a file holding it"
        )
    if len(key) < MIN_KEY_LENGTH:
        raise WorkspaceError(
            f"the workspace key has {len(key)} characters; use at least {MIN_KEY_LENGTH} "
            '(for example: python -c "import secrets; print(secrets.token_urlsafe(32))")'
        )
    return key


def connect(db_path: Path, key: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the encrypted workspace file."""
    con = duckdb.connect()
    try:
        extension = resources.files("duckdb_extension_httpfs") / "extensions"
        path = next(Path(str(extension)).glob(f"v{duckdb.__version__}/httpfs.duckdb_extension"))
    except (ModuleNotFoundError, StopIteration) as exc:
        con.close()
        raise WorkspaceError(
            f"encrypted workspaces need the package duckdb-extension-httpfs=={duckdb.__version__}"
            "; install the project's requirements again (make setup)"
        ) from exc
    con.execute(f"LOAD '{path}'")
    options = "ENCRYPTION_KEY $key" + (", READ_ONLY" if read_only else "")
    try:
        con.execute(f"ATTACH '{db_path}' AS {CATALOG} ({options})", {"key": key})
    except duckdb.Error as exc:
        con.close()
        if "wrong encryption key" in str(exc).lower():
            raise WorkspaceError(
                f"{db_path}: wrong workspace key ({KEY_VARIABLE} / {KEY_FILE_VARIABLE})"
            ) from exc
        raise WorkspaceError(f"cannot open the encrypted workspace {db_path}: {exc}") from exc
    con.execute(f"USE {CATALOG}")
    con.execute("SET temp_file_encryption = true")
    return con
