"""Postal addresses, kept as written and given a comparable key (rigour's normaliser)."""

from __future__ import annotations

from normality import squash_spaces
from rigour.addresses import normalize_address

from invert.types import Normalised, PropertyType, register


def normalise_address(raw: str) -> Normalised:
    value = squash_spaces(raw)
    return Normalised(value or None, key=normalize_address(value) or None)


register(
    PropertyType(
        name="address",
        sql_type="VARCHAR",
        description="A postal address as written, with a comparable key in <property>_key.",
        normalise=lambda values, _o: [normalise_address(v) for v in values],
        has_key=True,
    )
)
