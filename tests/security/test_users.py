"""Users on a real workspace: passwords, names, roles and the cases they may open."""

from __future__ import annotations

import string

import pytest
from argon2 import PasswordHasher

from invert.security import SecurityError
from invert.security.users import (
    add_user,
    authenticate,
    cases_of,
    disable_user,
    generate_password,
    get_user,
    grant_case,
    list_users,
    may_open,
    revoke_case,
    set_role,
)


@pytest.fixture
def con(ws):
    with ws.connect() as con:
        yield con


def test_password_round_trip_and_wrong_password(con):
    add_user(con, "Ana", "analyst", "correct horse battery staple")
    user = authenticate(con, "ana", "correct horse battery staple")
    assert user is not None and (user.name, user.role, user.disabled) == ("Ana", "analyst", False)
    assert authenticate(con, "Ana", "correct horse battery stapler") is None
    assert authenticate(con, "nobody", "correct horse battery staple") is None
    stored = con.execute('SELECT password_hash FROM "user"').fetchone()[0]
    assert stored.startswith("$argon2id$") and "staple" not in stored


def test_generated_password_is_returned_once_and_works(con):
    password = add_user(con, "bob", "viewer")
    assert authenticate(con, "bob", password).name == "bob"


def test_generated_passwords_are_long_random_and_distinct():
    passwords = [generate_password() for _ in range(300)]
    alphabet = set(string.ascii_letters + string.digits + "-_")
    assert len(set(passwords)) == len(passwords)
    assert all(len(p) >= 24 and set(p) <= alphabet for p in passwords)
    # 24 symbols of 64 each is 144 bits; over 300 draws nearly every symbol must show up.
    assert len(set("".join(passwords))) >= 60


def test_short_password_refused_with_what_to_do(con):
    with pytest.raises(SecurityError, match=r"at least 12.*give none"):
        add_user(con, "carl", "viewer", "hunter2")


def test_names_unique_whatever_their_case(con):
    add_user(con, "Dana", "viewer")
    with pytest.raises(SecurityError, match="already exists"):
        add_user(con, "DANA", "admin")
    with pytest.raises(SecurityError, match="not a usable user name"):
        add_user(con, "dana smith", "viewer")
    assert [u.name for u in list_users(con)] == ["Dana"]


def test_unknown_role_lists_the_valid_ones(con):
    with pytest.raises(SecurityError, match="admin, analyst, inspector, prosecutor, viewer"):
        add_user(con, "eve", "boss")
    add_user(con, "eve", "viewer")
    with pytest.raises(SecurityError, match="choose from admin"):
        set_role(con, "eve", "root")
    assert set_role(con, "EVE", "inspector").role == "inspector"
    with pytest.raises(SecurityError, match="no user 'mallory'"):
        set_role(con, "mallory", "admin")


def test_disabled_user_cannot_log_in_and_may_do_nothing(con):
    password = add_user(con, "fay", "admin")
    user = disable_user(con, "fay")
    assert user.disabled and authenticate(con, "fay", password) is None
    assert not may_open(con, user, "any case")


def test_old_argon2_parameters_are_upgraded_on_login(con):
    add_user(con, "gus", "viewer", "a long enough password")
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    con.execute('UPDATE "user" SET password_hash = ?', [weak.hash("a long enough password")])
    assert authenticate(con, "gus", "a long enough password") is not None
    stored = con.execute('SELECT password_hash FROM "user"').fetchone()[0]
    assert not PasswordHasher().check_needs_rehash(stored)
    assert authenticate(con, "gus", "a long enough password") is not None


def test_need_to_know_only_granted_cases_unless_the_role_opens_all(con):
    add_user(con, "ida", "inspector")
    add_user(con, "al", "analyst")
    ida, al = get_user(con, "ida"), get_user(con, "al")
    assert not may_open(con, ida, "case A") and may_open(con, al, "case A")
    grant_case(con, "IDA", "case A")
    grant_case(con, "ida", "case A")  # granting twice is harmless
    assert cases_of(con, "ida") == ["case A"]
    assert may_open(con, ida, "case A") and not may_open(con, ida, "case B")
    revoke_case(con, "ida", "case A")
    assert not may_open(con, ida, "case A")
