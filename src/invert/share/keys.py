"""The secret key behind the pseudonyms: where it comes from, how long it must be, its
fingerprint.

Partners in a joint investigation team link their packages only if they pseudonymise with the
same key, so the key travels between them by a separate, secure channel and never inside a
package. The manifest carries a fingerprint instead (the first 8 hex digits of the key's
SHA-256): enough for partners to see they hold the same key, useless for recomputing
pseudonyms.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from invert.errors import ShareError

ENV_VAR = "INVERT_SHARE_KEY"
MIN_BYTES = 32  # HMAC-SHA256 is as strong as its key up to 32 bytes; shorter keys can be guessed


def load(key_file: Path | None) -> bytes:
    """The key from ``key_file`` or, without one, from the environment variable; surrounding
    whitespace (the newline an editor adds) is not part of the key."""
    if key_file is not None:
        try:
            key = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise ShareError(
                f"cannot read the key file {key_file} ({exc.strerror}); "
                f"create one with: invert share keygen {key_file}"
            ) from exc
        where = str(key_file)
    elif os.environ.get(ENV_VAR):
        key = os.environ[ENV_VAR].strip().encode("utf-8")
        where = f"${ENV_VAR}"
    else:
        raise ShareError(
            f"no pseudonymisation key: give --key-file KEY or set {ENV_VAR}; "
            "make a key with: invert share keygen KEY"
        )
    if len(key) < MIN_BYTES:
        raise ShareError(
            f"the key in {where} has {len(key)} bytes; a key needs at least {MIN_BYTES} so that "
            "pseudonyms cannot be reversed by trying names; make one with: invert share keygen KEY"
        )
    return key


def fingerprint(key: bytes) -> str:
    """What the manifest records so partners can compare keys without revealing them."""
    return hashlib.sha256(key).hexdigest()[:8]


def generate(path: Path) -> str:
    """Write a new random key (64 hex digits, 256 bits) readable by its owner only; returns its
    fingerprint. Refuses to overwrite a key: packages made with it would no longer link."""
    path = Path(path)
    if path.exists():
        raise ShareError(
            f"{path} already exists; packages made with that key link only with that key, so "
            "choose another file name or remove it yourself"
        )
    if not path.parent.is_dir():
        raise ShareError(f"the folder {path.parent} does not exist; create it or choose another")
    key = secrets.token_hex(32).encode("ascii")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    os.chmod(path, 0o600)  # the umask may have narrowed it further; never wider than this
    return fingerprint(key)
