"""Plain text types: short strings, long text, references to other entities, URLs, languages."""

from __future__ import annotations

from invert.types import Options, PropertyType, register


def _string(expr: str, options: Options) -> str:
    cleaned = f"regexp_replace({expr}, '\\s+', ' ', 'g')"
    case = options.get("case")
    if case == "upper":
        return f"upper({cleaned})"
    if case == "lower":
        return f"lower({cleaned})"
    return cleaned


register(
    PropertyType(
        name="string",
        sql_type="VARCHAR",
        description="A short text; runs of white space collapse to one space.",
        parse_sql=_string,
        options=frozenset({"case"}),
    )
)
register(
    PropertyType(
        name="text",
        sql_type="VARCHAR",
        description="Free text kept as written (an ad body, a narrative, a finding).",
        parse_sql=lambda expr, _o: expr,
    )
)
register(
    PropertyType(
        name="entity",
        sql_type="VARCHAR",
        description="The id of another entity of the workspace.",
        parse_sql=lambda expr, _o: expr,
    )
)
register(
    PropertyType(
        name="url",
        sql_type="VARCHAR",
        description="A web address.",
        parse_sql=lambda expr, _o: (
            f"CASE WHEN regexp_matches({expr}, '^[a-zA-Z][a-zA-Z0-9+.-]*://\\S+$') THEN {expr} END"
        ),
        keeps_raw=True,
        expects=lambda _o: "a URL such as https://example.org/ad/1",
    )
)
register(
    PropertyType(
        name="language",
        sql_type="VARCHAR",
        description="A language as an ISO 639 code (two or three letters).",
        parse_sql=lambda expr, _o: (
            f"CASE WHEN regexp_full_match(lower({expr}), '[a-z]{{2,3}}') THEN lower({expr}) END"
        ),
        expects=lambda _o: "an ISO 639 language code such as 'ro' or 'hu'",
    )
)
register(
    PropertyType(
        name="currency",
        sql_type="VARCHAR",
        description="A currency as an ISO 4217 code.",
        parse_sql=lambda expr, _o: (
            f"CASE WHEN regexp_full_match(upper({expr}), '[A-Z]{{3}}') THEN upper({expr}) END"
        ),
        expects=lambda _o: "a three-letter ISO 4217 currency code such as EUR",
    )
)
