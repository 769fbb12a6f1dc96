"""Amounts, numbers, integers and booleans, parsed by DuckDB.

Amounts accept a declared decimal separator (``decimal: ","`` for most of Europe), any thousands
separator the other way round, spaces, and a trailing or leading minus as bank exports write it.
"""

from __future__ import annotations

import re

from invert.types import Options, PropertyType, register

TRUE_WORDS = ["true", "yes", "y", "1", "ja", "da", "igen", "tak", "oui", "si", "sì", "x"]
FALSE_WORDS = ["false", "no", "n", "0", "nein", "nu", "nem", "nie", "non", "nee", "ne"]


def _numeric_text(expr: str, options: Options) -> str:
    """Rewrite a localised number as SQL-readable text: '1.234,50-' -> '-1234.50'.

    The thousands separator is only accepted in groups of three digits, so that '1234.5' read
    with ``decimal: ","`` is refused instead of silently becoming 12345.
    """
    decimal = options.get("decimal", ".")
    other = "," if decimal == "." else "."
    d, t = re.escape(decimal), re.escape(other)
    shape = f"[+-]?([0-9]{{1,3}}({t}[0-9]{{3}})+|[0-9]*)({d}[0-9]*)?-?"
    text = f"regexp_replace({expr}, '[\\s\u00a0\u202f''€$£]', '', 'g')"
    plain = f"replace(replace({text}, '{other}', ''), '{decimal}', '.')"
    # A trailing minus ("12.50-") is how several bank exports write debits.
    signed = f"CASE WHEN ends_with({plain}, '-') THEN '-' || rtrim({plain}, '-') ELSE {plain} END"
    valid = f"regexp_full_match({text}, '{shape}') AND regexp_matches({text}, '[0-9]')"
    return f"CASE WHEN {valid} THEN {signed} END"


def _decimal_expects(options: Options) -> str:
    return f"a number with '{options.get('decimal', '.')}' as decimal separator"


register(
    PropertyType(
        name="amount",
        sql_type="DECIMAL(18,2)",
        description="A money amount with two decimals (the currency is a separate property).",
        parse_sql=lambda e, o: f"TRY_CAST({_numeric_text(e, o)} AS DECIMAL(18,2))",
        options=frozenset({"decimal"}),
        expects=_decimal_expects,
    )
)
register(
    PropertyType(
        name="number",
        sql_type="DOUBLE",
        description="A measured quantity (hours, square metres, a share in percent).",
        parse_sql=lambda e, o: f"TRY_CAST({_numeric_text(e, o)} AS DOUBLE)",
        options=frozenset({"decimal"}),
        expects=_decimal_expects,
    )
)
register(
    PropertyType(
        name="integer",
        sql_type="BIGINT",
        description="A whole number (a count of rooms, workers, occupants).",
        parse_sql=lambda e, o: f"TRY_CAST({_numeric_text(e, o)} AS BIGINT)",
        options=frozenset({"decimal"}),
        expects=lambda _o: "a whole number",
    )
)


def _words(options: Options, key: str, default: list[str]) -> str:
    words = [str(w).lower() for w in options.get(key, default)]
    return ", ".join("'" + w.replace("'", "''") + "'" for w in words)


register(
    PropertyType(
        name="boolean",
        sql_type="BOOLEAN",
        description="Yes or no; common words in several EU languages are understood.",
        parse_sql=lambda e, o: (
            f"CASE WHEN lower({e}) IN ({_words(o, 'true', TRUE_WORDS)}) THEN true "
            f"WHEN lower({e}) IN ({_words(o, 'false', FALSE_WORDS)}) THEN false END"
        ),
        options=frozenset({"true", "false"}),
        expects=lambda o: (
            "yes or no ("
            + ", ".join(o.get("true", TRUE_WORDS)[:3])
            + " / "
            + ", ".join(o.get("false", FALSE_WORDS)[:3])
            + ")"
        ),
    )
)
