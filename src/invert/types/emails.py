"""E-mail addresses: lower-cased and checked for a plausible shape in SQL."""

from __future__ import annotations

from invert.types import PropertyType, register

_SHAPE = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"

register(
    PropertyType(
        name="email",
        sql_type="VARCHAR",
        description="An e-mail address, lower-cased.",
        parse_sql=lambda e, _o: (
            f"CASE WHEN regexp_matches(lower({e}), '{_SHAPE}') THEN lower({e}) END"
        ),
        keeps_raw=True,
        expects=lambda _o: "an e-mail address such as name@example.org",
    )
)
