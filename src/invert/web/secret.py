"""The key that signs session cookies and keys pseudonyms: one per workspace, in a file beside
the database that only its owner may read.

It is not kept in ``invert.toml`` because that file is meant to be read, copied and put under
version control; a leaked key would let anyone forge a session or reverse a pseudonym by guessing.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from invert.errors import WorkspaceError

SECRET_FILE = "web.secret"


def load_or_create(folder: Path) -> bytes:
    """The workspace's web key, made on first use with mode 0600."""
    path = folder / SECRET_FILE
    if not path.exists():
        key = secrets.token_hex(32)
        # O_EXCL: two servers started at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(key)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise WorkspaceError(
            f"{path} can be read by other users (mode {mode:o}); run: chmod 600 {path}"
        )
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < 32:
        raise WorkspaceError(f"{path} holds no usable key; delete it to have a new one made")
    return key.encode("utf-8")
