"""Users of a case workspace, their Argon2-hashed passwords, roles and the cases they may open.

The ``user`` and ``case_member`` tables are created on first use rather than listed in
``SYSTEM_TABLES``: a workspace used by one analyst on the command line never needs them, and
keeping their definitions beside the code that guards them means no other stage writes to them
by accident. Names are unique whatever their case (``Ana`` and ``ana`` are one user): the table's
key is the lower-cased name, so the database itself refuses a second one.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from invert.security import SecurityError
from invert.security.roles import Role
from invert.security.roles import load as load_roles

MIN_PASSWORD = 12
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")

TABLES = {
    "user": """
        key VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL,
        password_hash VARCHAR NOT NULL, disabled BOOLEAN NOT NULL, created_at TIMESTAMP,
        changed_at TIMESTAMP""",
    "case_member": 'case_name VARCHAR, "user" VARCHAR, PRIMARY KEY (case_name, "user")',
}

_hasher = PasswordHasher()
_create_lock = threading.Lock()


@dataclass(frozen=True)
class User:
    name: str
    role: str
    disabled: bool
    created_at: datetime


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    # One thread at a time: two threads of the web app creating a table at once would conflict.
    with _create_lock:
        for table, columns in TABLES.items():
            con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({columns})')


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _check_role(role: str) -> None:
    roles = load_roles().roles
    if role not in roles:
        raise SecurityError(f"unknown role {role!r}; choose from {', '.join(roles)}")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise SecurityError(
            f"the password has {len(password)} characters; give at least {MIN_PASSWORD}, "
            "or give none to have a strong one generated"
        )


def generate_password() -> str:
    """24 URL-safe characters from the system's secure random source: 144 bits, beyond guessing
    even offline against a stolen hash."""
    return secrets.token_urlsafe(18)


def get_user(con: duckdb.DuckDBPyConnection, name: str) -> User | None:
    ensure_tables(con)
    row = con.execute(
        'SELECT name, role, disabled, created_at FROM "user" WHERE key = ?', [name.lower()]
    ).fetchone()
    return User(*row) if row else None


def _existing(con: duckdb.DuckDBPyConnection, name: str) -> User:
    user = get_user(con, name)
    if user is None:
        raise SecurityError(f"no user {name!r}; list them with: invert users CASE_DIR list")
    return user


def list_users(con: duckdb.DuckDBPyConnection) -> list[User]:
    ensure_tables(con)
    rows = con.execute('SELECT name, role, disabled, created_at FROM "user" ORDER BY key')
    return [User(*r) for r in rows.fetchall()]


def add_user(
    con: duckdb.DuckDBPyConnection, name: str, role: str, password: str | None = None
) -> str:
    """Create a user and return the password: the given one, or a generated one the caller must
    show once, since only its hash is kept."""
    if not NAME_PATTERN.fullmatch(name):
        raise SecurityError(
            f"{name!r} is not a usable user name; use up to 64 letters, digits and . _ @ -, "
            "starting with a letter or digit"
        )
    _check_role(role)
    if password is None:
        password = generate_password()
    _check_password(password)
    ensure_tables(con)
    if get_user(con, name) is not None:
        raise SecurityError(f"a user {name!r} already exists (names ignore case); choose another")
    now = _now()
    con.execute(
        'INSERT INTO "user" VALUES (?, ?, ?, ?, false, ?, ?)',
        [name.lower(), name, role, _hasher.hash(password), now, now],
    )
    return password


@cache
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(18))


def authenticate(con: duckdb.DuckDBPyConnection, name: str, password: str) -> User | None:
    """The user if the password is theirs and they are not disabled, else None.

    An unknown name still costs one Argon2 verification, so response time does not tell which
    names exist. A hash made with older Argon2 parameters is replaced on a successful login.
    """
    ensure_tables(con)
    row = con.execute(
        'SELECT password_hash FROM "user" WHERE key = ? AND NOT disabled', [name.lower()]
    ).fetchone()
    stored = row[0] if row else _decoy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(stored):
        con.execute(
            'UPDATE "user" SET password_hash = ? WHERE key = ?',
            [_hasher.hash(password), name.lower()],
        )
    return get_user(con, name)


def set_role(con: duckdb.DuckDBPyConnection, name: str, role: str) -> User:
    _check_role(role)
    _existing(con, name)
    con.execute(
        'UPDATE "user" SET role = ?, changed_at = ? WHERE key = ?', [role, _now(), name.lower()]
    )
    return _existing(con, name)


def disable_user(con: duckdb.DuckDBPyConnection, name: str) -> User:
    """Stop a user from logging in. The row stays, so the audit log's names keep their meaning."""
    _existing(con, name)
    con.execute(
        'UPDATE "user" SET disabled = true, changed_at = ? WHERE key = ?', [_now(), name.lower()]
    )
    return _existing(con, name)


def grant_case(con: duckdb.DuckDBPyConnection, name: str, case_name: str) -> None:
    """Make a user a member of a case (need-to-know for roles that do not open every case)."""
    _existing(con, name)
    con.execute(
        "INSERT INTO case_member VALUES (?, ?) ON CONFLICT DO NOTHING", [case_name, name.lower()]
    )


def revoke_case(con: duckdb.DuckDBPyConnection, name: str, case_name: str) -> None:
    _existing(con, name)
    con.execute(
        'DELETE FROM case_member WHERE case_name = ? AND "user" = ?', [case_name, name.lower()]
    )


def cases_of(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    ensure_tables(con)
    rows = con.execute(
        'SELECT case_name FROM case_member WHERE "user" = ? ORDER BY case_name', [name.lower()]
    )
    return [r[0] for r in rows.fetchall()]


def _role(user: User) -> Role | None:
    """The user's role, or None when they are disabled or their role left roles.yml: either way
    they may do nothing."""
    return None if user.disabled else load_roles().roles.get(user.role)


def may_open(con: duckdb.DuckDBPyConnection, user: User, case_name: str) -> bool:
    """Whether the user may open the case at all: roles with ``all_cases`` open every case, the
    others only those they were granted."""
    if user.disabled:
        return False
    role = _role(user)
    if role is not None and role.all_cases:
        return True
    return role is not None and case_name in cases_of(con, user.name)


def allowed(user: User, action: str) -> bool:
    """Whether the user's role may take the action. An action missing from ``roles.yml`` is an
    error rather than a silent no, so a misspelt check in the web app fails its tests."""
    roles = load_roles()
    if action not in roles.actions:
        raise SecurityError(f"unknown action {action!r}; roles.yml has {', '.join(roles.actions)}")
    role = _role(user)
    return role is not None and action in role.actions


def sees_identities(user: User) -> bool:
    """Whether the user sees potential victims' names and identifiers in clear (else pseudonyms).
    Together with ``may_open`` this gives inspectors and prosecutors identities on their own
    cases only."""
    role = _role(user)
    return role is not None and role.identities
