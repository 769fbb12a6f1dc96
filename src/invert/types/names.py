"""Names of people and organisations, with a fingerprint for matching.

The fingerprint (from the OpenSanctions ``fingerprints`` library) is lower-case ASCII with
company-form words normalised, so 'ACME Construcții S.R.L.' and 'Acme Constructii SRL' compare
equal.
"""

from __future__ import annotations

import fingerprints
from normality import squash_spaces

from invert.types import Normalised, PropertyType, register


def normalise_name(raw: str) -> Normalised:
    value = squash_spaces(raw)
    # fingerprints returns None for results of one character: keep the lower-case value then.
    key = fingerprints.generate(value) or value.lower() or None
    return Normalised(value or None, key=key)


register(
    PropertyType(
        name="name",
        sql_type="VARCHAR",
        description="A name of a person or organisation, with a matching key in <property>_key.",
        normalise=lambda values, _o: [normalise_name(v) for v in values],
        has_key=True,
    )
)
