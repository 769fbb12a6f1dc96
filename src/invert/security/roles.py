"""The roles of ``roles.yml``: what each may do, whether it sees identities, which cases it opens.

The table is data so that a reviewer reads one short file, not code, to know who sees what.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from invert.errors import InvalidModel

ROLES_FILE = Path(__file__).with_name("roles.yml")


@dataclass(frozen=True)
class Role:
    name: str
    actions: frozenset[str]
    identities: bool
    all_cases: bool


@dataclass(frozen=True)
class Roles:
    """Every action (name → description) and every role, as ``roles.yml`` declares them."""

    actions: dict[str, str]
    roles: dict[str, Role]


@cache
def load(path: Path = ROLES_FILE) -> Roles:
    """Read and check the role file, reporting every problem in it at once."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    actions = {str(k): str(v) for k, v in (data.get("actions") or {}).items()}
    problems: list[str] = []
    roles: dict[str, Role] = {}
    for name, spec in (data.get("roles") or {}).items():
        spec = spec or {}
        unknown = [a for a in spec.get("actions") or [] if a not in actions]
        if unknown:
            problems.append(f"role {name}: unknown actions {', '.join(map(str, unknown))}")
        for flag in ("identities", "all_cases"):
            if not isinstance(spec.get(flag), bool):
                problems.append(f"role {name}: {flag} must be true or false")
        roles[str(name)] = Role(
            name=str(name),
            actions=frozenset(spec.get("actions") or []),
            identities=spec.get("identities") is True,
            all_cases=spec.get("all_cases") is True,
        )
    if not roles:
        problems.append("no roles declared")
    if problems:
        raise InvalidModel(f"{path}: the role table is wrong; fix it and retry", problems)
    return Roles(actions=actions, roles=roles)
