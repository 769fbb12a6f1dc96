"""Dates and timestamps, parsed by DuckDB with the formats a mapping declares.

ISO 8601 is always accepted as well, because spreadsheet and Parquet cells arrive as ISO text.
Dates outside 1900–2100 are refused: they are typing errors, not facts.
"""

from __future__ import annotations

from invert.types import Options, PropertyType, register

ISO_DATE = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
ISO_DATETIME = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d"]


def formats(options: Options, iso: list[str]) -> list[str]:
    declared = options.get("format") or []
    if isinstance(declared, str):
        declared = [declared]
    return list(dict.fromkeys([*declared, *iso]))


def _sql_list(items: list[str]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in items) + "]"


def _plausible(parsed: str) -> str:
    return f"CASE WHEN year({parsed}) BETWEEN 1900 AND 2100 THEN {parsed} END"


def _date(expr: str, options: Options) -> str:
    return _plausible(f"try_strptime({expr}, {_sql_list(formats(options, ISO_DATE))})::DATE")


def _datetime(expr: str, options: Options) -> str:
    return _plausible(f"try_strptime({expr}, {_sql_list(formats(options, ISO_DATETIME))})")


register(
    PropertyType(
        name="date",
        sql_type="DATE",
        description="A calendar date.",
        parse_sql=_date,
        options=frozenset({"format"}),
        expects=lambda o: (
            "a date between 1900 and 2100 in format " + " or ".join(formats(o, ISO_DATE[:1]))
        ),
    )
)
register(
    PropertyType(
        name="datetime",
        sql_type="TIMESTAMP",
        description="A date with a time of day.",
        parse_sql=_datetime,
        options=frozenset({"format"}),
        expects=lambda o: "a timestamp in format " + " or ".join(formats(o, ISO_DATETIME[:1])),
    )
)
