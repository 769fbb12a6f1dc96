"""The role table: every role against every action, written out here on purpose, so that a change
to roles.yml is a change a reviewer sees twice."""

from __future__ import annotations

from datetime import datetime

import pytest

from invert.security import SecurityError
from invert.security.roles import load
from invert.security.users import User, allowed, sees_identities

ACTIONS = [
    "view_leads",
    "view_person",
    "view_company",
    "view_network",
    "view_money",
    "search",
    "edit_case",
    "record_outcome",
    "export_report",
    "share_package",
    "manage_users",
    "view_audit",
]

# One column per action above, in that order: 1 = allowed.
EXPECTED = {
    "admin": "1 1 1 1 1 1 1 1 1 1 1 1",
    "analyst": "1 1 1 1 1 1 1 1 1 0 0 0",
    "inspector": "1 1 1 1 1 1 0 1 1 0 0 0",
    "prosecutor": "1 1 1 1 1 1 0 1 1 1 0 0",
    "viewer": "1 1 1 1 1 0 0 0 0 0 0 0",
}
IDENTITIES = {
    "admin": True,
    "analyst": True,
    "inspector": True,
    "prosecutor": True,
    "viewer": False,
}
ALL_CASES = {
    "admin": True,
    "analyst": True,
    "inspector": False,
    "prosecutor": False,
    "viewer": False,
}


def _user(role: str, disabled: bool = False) -> User:
    return User(name="u", role=role, disabled=disabled, created_at=datetime(2025, 1, 1))


def test_roles_file_declares_exactly_these_roles_and_actions():
    roles = load()
    assert list(roles.actions) == ACTIONS
    assert list(roles.roles) == list(EXPECTED)
    assert all(roles.actions.values()), "every action needs a description"


@pytest.mark.parametrize("role", EXPECTED)
def test_role_matrix(role):
    expected = dict(zip(ACTIONS, (flag == "1" for flag in EXPECTED[role].split()), strict=True))
    user = _user(role)
    assert {a: allowed(user, a) for a in ACTIONS} == expected
    assert sees_identities(user) is IDENTITIES[role]
    assert load().roles[role].all_cases is ALL_CASES[role]


def test_a_disabled_user_may_do_nothing_and_sees_no_identities():
    user = _user("admin", disabled=True)
    assert not any(allowed(user, a) for a in ACTIONS)
    assert not sees_identities(user)


def test_unknown_action_is_an_error_not_a_silent_no():
    with pytest.raises(SecurityError, match="unknown action 'veiw_person'"):
        allowed(_user("admin"), "veiw_person")
