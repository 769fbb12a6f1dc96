"""Value types of the canonical model, behind one registry.

A property's type says how a raw source value becomes a stored value. Types that DuckDB can parse
(dates, amounts, booleans, e-mails) compile to one SQL expression, so parsing runs set-based over
all rows. Types that need a library (phones, IBANs, countries, names, addresses) are normalised in
Python over the *distinct* raw values only and joined back, because a column of twenty million
transactions holds a few thousand distinct account numbers.

Identifier types keep the original text in ``<property>_raw``: an invalid identifier is stored
raw and flagged (value NULL, raw kept, reason in ``value_flags``), never dropped. Name and address
types add a comparable ``<property>_key`` for matching.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Options = dict[str, Any]


@dataclass(frozen=True)
class Normalised:
    """The result of normalising one distinct raw value."""

    value: str | None
    key: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class PropertyType:
    """How values of one kind are parsed, checked and stored."""

    name: str
    sql_type: str
    description: str
    # SQL expression over a trimmed VARCHAR expression; NULL where the value does not parse.
    parse_sql: Callable[[str, Options], str] | None = None
    # Python normaliser over distinct raw values; used instead of parse_sql.
    normalise: Callable[[Iterable[str], Options], list[Normalised]] | None = None
    keeps_raw: bool = False
    has_key: bool = False
    options: frozenset[str] = field(default_factory=frozenset)
    # The human words used in error messages ("not a date in format ...").
    expects: Callable[[Options], str] = lambda _o: "a valid value"

    def columns(self, prop: str) -> list[tuple[str, str]]:
        """The stored columns (name, SQL type) for a property of this type."""
        cols = [(prop, self.sql_type)]
        if self.has_key:
            cols.append((f"{prop}_key", "VARCHAR"))
        if self.keeps_raw:
            cols.append((f"{prop}_raw", "VARCHAR"))
        return cols


_REGISTRY: dict[str, PropertyType] = {}


def register(ptype: PropertyType) -> PropertyType:
    _REGISTRY[ptype.name] = ptype
    return ptype


def get(name: str) -> PropertyType:
    return _REGISTRY[name]


def type_names() -> list[str]:
    return sorted(_REGISTRY)


def _load() -> None:
    # Importing the modules registers their types.
    from invert.types import (  # noqa: F401
        addresses,
        countries,
        dates,
        emails,
        identifiers,
        names,
        numbers,
        phones,
        text,
    )


_load()
