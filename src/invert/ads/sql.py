"""SQL text built from lexicon patterns: DuckDB compiles a regular expression once per query
only when it is a constant, so patterns are written into the query (a pattern taken from a
joined table would be compiled again for every row, about a hundred times slower)."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def quote(text: str) -> str:
    """A SQL string literal (DuckDB reads backslashes literally)."""
    return "'" + text.replace("'", "''") + "'"


def alt(patterns: Iterable[str]) -> str | None:
    """One alternation of patterns, or None when there are none."""
    ps = [p for p in dict.fromkeys(patterns) if p]
    if not ps:
        return None
    return ps[0] if len(ps) == 1 else "|".join(f"(?:{p})" for p in ps)


def by_language(
    langs: Iterable[str],
    expr: Callable[[str], str | None],
    default: str = "en",
    column: str = "language",
    otherwise: str = "NULL",
) -> str:
    """CASE over the ad's language: ``expr(lang)`` for each lexicon language, the default's
    expression for any other language."""
    parts = []
    for lang in sorted(set(langs)):
        e = expr(lang)
        if lang != default and e is not None:
            parts.append(f"WHEN {quote(lang)} THEN {e}")
    fallback = expr(default) or otherwise
    if not parts:
        return fallback
    return f"CASE {column} " + " ".join(parts) + f" ELSE {fallback} END"
