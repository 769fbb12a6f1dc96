"""Countries as ISO 3166 alpha-2 codes, looked up with rigour's territory names.

'Romania', 'RO', 'ROU' and 'Roumanie' all become RO.
"""

from __future__ import annotations

from rigour.territories import lookup_territory

from invert.types import Normalised, PropertyType, register


def normalise_country(raw: str) -> Normalised:
    territory = lookup_territory(raw)
    if territory is None:
        return Normalised(None, problem="not a known country name or code")
    return Normalised(territory.code.upper())


register(
    PropertyType(
        name="country",
        sql_type="VARCHAR",
        description="A country as an ISO 3166-1 alpha-2 code (upper case).",
        normalise=lambda values, _o: [normalise_country(v) for v in values],
        keeps_raw=True,
        expects=lambda _o: "a country name or ISO code",
    )
)
