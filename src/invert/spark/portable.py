"""DuckDB SQL made portable to Spark SQL: the indicator queries are written once, in DuckDB's
dialect, and Spark runs the same text after four mechanical steps.

1. Parameters (``$name``) become literals, as DuckDB would bind them.
2. The workspace's macros (``nace``, ``rows_of``, ``inspection_says`` ...) are expanded in
   place from the very text that defined them in DuckDB, so each has one definition.
3. Columns are qualified and typed against the workspace's schema, so that what the two
   engines read differently can be rewritten: subtracting two dates is a number of days in
   DuckDB but an interval in Spark; ``len`` of a list is Spark's ``size``.
4. SQLGlot rewrites the rest of the dialect (list lambdas, struct literals, ``GROUP BY ALL``,
   semi and anti joins ...) into Spark SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify

HEADER = re.compile(
    r"CREATE\s+OR\s+REPLACE\s+TEMP\s+MACRO\s+(\w+)\s*\(([^)]*)\)\s+AS\s+(TABLE\s+)?", re.I
)


@dataclass(frozen=True)
class Macro:
    name: str
    parameters: tuple[str, ...]
    body: exp.Expression
    table: bool


def parse_macros(definitions: list[str]) -> dict[str, Macro]:
    """Macros from the ``CREATE OR REPLACE TEMP MACRO`` statements that installed them."""
    macros: dict[str, Macro] = {}
    for text in definitions:
        heads = list(HEADER.finditer(text))
        for k, head in enumerate(heads):
            end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
            body = sqlglot.parse(text[head.end() : end], read="duckdb")[0]
            params = tuple(p.strip() for p in head.group(2).split(",") if p.strip())
            name = head.group(1).lower()
            macros[name] = Macro(name, params, body, bool(head.group(3)))
    return macros


def literal(value: Any) -> exp.Expression:
    """A parameter value as the SQL literal DuckDB would bind it to."""
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, (list, tuple)):
        return exp.Array(expressions=[literal(v) for v in value])
    if value is None:
        return exp.Null()
    return exp.Literal.string(json.dumps(value))


def bind(tree: exp.Expression, parameters: dict[str, Any]) -> exp.Expression:
    """Put the parameters' values where the query says ``$name``."""

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, (exp.Parameter, exp.Placeholder)) and node.name in parameters:
            return literal(parameters[node.name])
        return node

    return tree.transform(replace)


def expand(tree: exp.Expression, macros: dict[str, Macro]) -> exp.Expression:
    """Replace every macro call by its body with the arguments put in (repeatedly, as macros
    call macros)."""
    for _ in range(10):
        changed = False

        def replace(node: exp.Expression) -> exp.Expression:
            nonlocal changed
            call = node.this if isinstance(node, exp.Table) else node
            if not isinstance(call, exp.Anonymous):
                return node
            macro = macros.get(call.name.lower())
            if macro is None or macro.table != isinstance(node, exp.Table):
                return node
            args = dict(zip(macro.parameters, call.expressions, strict=True))
            body = _substitute(macro.body.copy(), args)
            changed = True
            if macro.table:
                alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(macro.name))
                return exp.Subquery(this=body, alias=alias)
            return exp.Paren(this=body)

        tree = tree.transform(replace)
        if not changed:
            return tree
    raise ValueError("macros nest more than ten deep")


def _substitute(body: exp.Expression, args: dict[str, exp.Expression]) -> exp.Expression:
    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in args:
            return args[node.name].copy()
        return node

    return body.transform(replace)


def relations(sql: str, macros: dict[str, Macro]) -> set[str]:
    """The tables and views a query reads (after macro expansion), not its own CTEs."""
    tree = expand(sqlglot.parse_one(sql, read="duckdb"), macros)
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    return {
        t.name.lower()
        for t in tree.find_all(exp.Table)
        if t.name and t.name.lower() not in ctes and not isinstance(t.this, exp.Anonymous)
    }


def to_spark(
    sql: str,
    parameters: dict[str, Any],
    macros: dict[str, Macro],
    schema: dict[str, dict[str, str]],
) -> str:
    """One DuckDB query as Spark SQL; ``schema`` maps each relation it reads to its columns'
    DuckDB types."""
    tree = expand(bind(sqlglot.parse_one(sql, read="duckdb"), parameters), macros)
    tree = tree.transform(_fold_intervals)
    tree = qualify(tree, schema=schema, dialect="duckdb", quote_identifiers=False)
    tree = _whole_rows(tree)
    tree = annotate_types(tree, schema=schema, dialect="duckdb")
    tree = _bottom_up(tree, _spark_semantics)
    return tree.sql(dialect="spark", unsupported_level=ErrorLevel.RAISE)


def _bottom_up(
    tree: exp.Expression, fun: Callable[[exp.Expression], exp.Expression]
) -> exp.Expression:
    """Apply ``fun`` to every node, children before their parent, so that a rewritten node
    (a ``printf`` with its arguments cast) still has its own arguments rewritten."""
    for node in reversed(list(tree.walk(bfs=False))):
        new = fun(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree


def _whole_rows(tree: exp.Expression) -> exp.Expression:
    """DuckDB reads a bare table name as its whole row (``arg_max(charged, rent)``); Spark
    says ``struct(charged.*)``."""

    def replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.TableColumn):
            star = exp.Column(this=exp.Star(), table=exp.to_identifier(node.name))
            return exp.Struct(expressions=[star])
        return node

    return tree.transform(replace)


def _fold_intervals(node: exp.Expression) -> exp.Expression:
    """``INTERVAL ($days - 1) DAY``: Spark wants a constant, and window frames a literal."""
    if isinstance(node, exp.ToDays):
        node = exp.Interval(this=node.this, unit=exp.var("DAY"))
    if isinstance(node, exp.Interval) and not isinstance(node.this, exp.Literal):
        value = _constant(node.this)
        if value is not None:
            return exp.Interval(this=exp.Literal.string(str(value)), unit=node.unit)
    return node


def _constant(node: exp.Expression) -> Any:
    """The value of an expression without columns, as DuckDB computes it (None otherwise)."""
    if node.find(exp.Column):
        return None
    return duckdb.sql("SELECT " + node.sql(dialect="duckdb")).fetchone()[0]


def _is(node: exp.Expression, *types: exp.DataType.Type) -> bool:
    return node.type is not None and node.type.this in types


DATES = (exp.DataType.Type.DATE,)
LISTS = (exp.DataType.Type.ARRAY,)


def _spark_semantics(node: exp.Expression) -> exp.Expression:
    """Where the two engines read the same words differently, or Spark lacks a form."""
    if isinstance(node, exp.CTE):
        node.set("materialized", None)  # a planner hint Spark does not take
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1:
        return _element(node)
    if isinstance(node, exp.PercentileCont) and node.expression:
        return exp.Anonymous(this="PERCENTILE", expressions=[node.this, node.expression])
    if isinstance(node, exp.PercentileDisc) and node.expression:
        return exp.WithinGroup(
            this=exp.Anonymous(this="PERCENTILE_DISC", expressions=[node.expression]),
            expression=exp.Order(expressions=[exp.Ordered(this=node.this, nulls_first=False)]),
        )
    if isinstance(node, exp.Window):
        return _window(node)
    if isinstance(node, exp.First) and isinstance(node.this, exp.Order):
        return _first_ordered(node)
    if isinstance(node, exp.GroupConcat):
        return _distinct_concat(node)
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        # with a FILTER, the list is rewritten from the filter's node (its parent)
        return node if isinstance(node.parent, exp.Filter) else _ordered_list(node)
    filtered = isinstance(node, exp.Filter) and isinstance(node.this, exp.ArrayAgg)
    if filtered and isinstance(node.this.this, exp.Order):
        return _ordered_list(node.this, node.expression)
    if isinstance(node, exp.DateDiff) and node.args.get("date_part_boundary"):
        return _boundaries(node)
    if isinstance(node, exp.Literal) and not node.is_string and not node.is_int:
        # DuckDB divides decimals as doubles; Spark would keep a decimal of fixed scale
        return exp.cast(node.copy(), "DOUBLE")
    if isinstance(node, exp.Anonymous) and node.name.lower() in ("printf", "format_string"):
        return _printf(node)
    if isinstance(node, (exp.ArgMin, exp.ArgMax)):
        if isinstance(node.expression, exp.Tuple):  # a row as the key: ties broken in order
            node.set("expression", exp.Struct(expressions=node.expression.expressions))
        if node.args.get("count"):
            return _arg_top(node)
    if isinstance(node, exp.Sub) and _is(node.left, *DATES) and _is(node.right, *DATES):
        return exp.DateDiff(this=node.left, expression=node.right, unit=exp.var("DAY"))
    if isinstance(node, exp.Length) and _is(node.this, *LISTS):
        return exp.ArraySize(this=node.this)
    if isinstance(node, (exp.RegexpLike, exp.RegexpExtract, exp.RegexpILike)):
        return _regex_flags(node)
    if isinstance(node, exp.RegexpReplace):
        return _regex_replacement(node)
    return node


def _regex_flags(node: exp.Expression) -> exp.Expression:
    """DuckDB's regex option 'i' is Java's inline ``(?i)``."""
    flag = node.args.get("flag") or node.args.get("parameters")
    ignore_case = isinstance(node, exp.RegexpILike) or (
        isinstance(flag, exp.Literal) and "i" in flag.name
    )
    if not ignore_case:
        return node
    pattern = node.expression
    pattern = (
        exp.Literal.string("(?i)" + pattern.name)
        if isinstance(pattern, exp.Literal)
        else exp.DPipe(this=exp.Literal.string("(?i)"), expression=pattern)
    )
    if isinstance(node, exp.RegexpExtract):
        return exp.RegexpExtract(this=node.this, expression=pattern, group=node.args.get("group"))
    return exp.RegexpLike(this=node.this, expression=pattern)


def _slice(items: exp.Expression, part: exp.Slice) -> exp.Expression:
    """DuckDB's ``list[a:b]`` (1-based, both ends included) as Spark's ``slice(list, a, n)``."""
    start = part.this or exp.Literal.number(1)
    if part.expression is None:
        length: exp.Expression = exp.ArraySize(this=items.copy())
    else:
        length = exp.Add(
            this=exp.Sub(this=part.expression, expression=start.copy()),
            expression=exp.Literal.number(1),
        )
    return exp.Anonymous(this="SLICE", expressions=[items, start, length])


def _window(node: exp.Window) -> exp.Expression:
    """Spark has no DISTINCT nor FILTER in window aggregates: count the distinct values of a
    collected set, and aggregate a CASE instead of filtering."""
    agg = node.this
    if isinstance(agg, exp.Filter):
        condition = agg.expression.this
        inner = agg.this
        arg = inner.this
        value = exp.Literal.number(1) if isinstance(arg, exp.Star) else arg
        inner = inner.copy()
        inner.set("this", exp.Case(ifs=[exp.If(this=condition, true=value)]))
        node.set("this", inner)
        agg = inner
    if isinstance(agg, exp.Count) and isinstance(agg.this, exp.Distinct):
        values = agg.this.expressions
        if len(values) == 1:
            node.set("this", exp.ArrayUniqueAgg(this=values[0]))
            return exp.ArraySize(this=node.copy())
    return node


def _arg_top(node: exp.Expression) -> exp.Expression:
    """``arg_min(x, key, n)``: the x of the n smallest keys (largest for arg_max), as a list."""
    pair = exp.Struct(
        expressions=[
            exp.PropertyEQ(this=exp.to_identifier("k"), expression=node.expression),
            exp.PropertyEQ(this=exp.to_identifier("v"), expression=node.this),
        ]
    )
    kept = exp.Filter(
        this=exp.ArrayAgg(this=pair),
        expression=exp.Where(
            this=exp.Not(this=exp.Is(this=node.expression.copy(), expression=exp.Null()))
        ),
    )
    ordered = exp.Anonymous(
        this="SORT_ARRAY", expressions=[kept, exp.Boolean(this=isinstance(node, exp.ArgMin))]
    )
    first = exp.Anonymous(
        this="SLICE", expressions=[ordered, exp.Literal.number(1), node.args["count"]]
    )
    x = exp.to_identifier("p")
    return exp.Transform(
        this=first,
        expression=exp.Lambda(
            this=exp.Dot(this=exp.column("p"), expression=exp.to_identifier("v")), expressions=[x]
        ),
    )


def _first_ordered(node: exp.First) -> exp.Expression:
    """``first(x ORDER BY a, b)``: the x with the smallest (a, b), Spark's ``min_by``."""
    order = node.this
    if any(o.args.get("desc") for o in order.expressions):
        return node
    key = exp.Struct(expressions=[o.this for o in order.expressions])
    return exp.Anonymous(this="MIN_BY", expressions=[order.this, key])


FORMAT_SPEC = re.compile(r"%(?:%|[-+ 0#,]*\d*(?:\.\d+)?([a-zA-Z]))")


def _printf(node: exp.Anonymous) -> exp.Expression:
    """Java's formatter takes no decimal for ``%f``, no decimal or double for ``%d``, prints a
    date given to ``%s`` as a day number and keeps the zeros ``%g`` drops in C: give each
    argument what its place asks for, as DuckDB reads it."""
    template, *args = node.expressions
    if not isinstance(template, exp.Literal):
        text = _constant(template)  # a template written over several lines with ||
        if not isinstance(text, str):
            return node
        template = exp.Literal.string(text)
    pieces: list[str] = []
    typed: list[exp.Expression] = []
    at = 0
    remaining = iter(args)
    for spec in FORMAT_SPEC.finditer(template.name):
        pieces.append(template.name[at : spec.start()])
        at = spec.end()
        kind = (spec.group(1) or "").lower()
        arg = next(remaining, None) if kind else None
        if arg is None:
            pieces.append(spec.group(0))
            continue
        if kind == "g":
            pieces.append("%s")
            typed.append(_shortest(arg))
            continue
        pieces.append(spec.group(0))
        if kind == "d":
            arg = exp.cast(arg, "BIGINT")
        elif kind == "f":
            arg = _rounded(arg, spec.group(0))
        elif kind == "e":
            arg = exp.cast(arg, "DOUBLE")
        elif kind == "s":  # a date as text, not a day number
            arg = exp.cast(arg, "STRING")
        typed.append(arg)
    pieces.append(template.name[at:])
    typed.extend(remaining)
    return exp.Anonymous(this="PRINTF", expressions=[exp.Literal.string("".join(pieces)), *typed])


def _rounded(arg: exp.Expression, spec: str) -> exp.Expression:
    """C prints the binary value, rounding an exact half to even (3840.5 as 3840; 16.025,
    stored as 16.02499..., as 16.02); Java rounds the shortest decimal half up (3841, 16.03).
    Rounding half to even first gives C's digits in nearly every case."""
    digits = re.search(r"\.(\d+)", spec)
    places = exp.Literal.number(int(digits.group(1)) if digits else 6)
    return exp.Anonymous(this="BROUND", expressions=[exp.cast(arg, "DOUBLE"), places])


def _shortest(arg: exp.Expression) -> exp.Expression:
    """C's ``%g``: six significant digits without trailing zeros (Java's keeps them)."""
    text = exp.Anonymous(
        this="FORMAT_STRING", expressions=[exp.Literal.string("%.6g"), exp.cast(arg, "DOUBLE")]
    )
    trimmed = exp.RegexpReplace(
        this=text,
        expression=exp.Literal.string(r"(\.[0-9]*[1-9])0+$"),
        replacement=exp.Literal.string("$1"),
    )
    return exp.RegexpReplace(
        this=trimmed, expression=exp.Literal.string(r"\.0+$"), replacement=exp.Literal.string("")
    )


def _element(node: exp.Bracket) -> exp.Expression:
    """``list[i]`` and ``list[a:b]``. DuckDB counts from 1, and so does Spark's
    ``element_at``; SQLGlot has already turned a constant index into its own count from 0,
    but leaves any other index as written."""
    index = node.expressions[0]
    if isinstance(index, exp.Slice):
        return _slice(node.this, index)
    if index.is_string:  # a struct's field by name
        return node
    if index.is_int:
        index = exp.Literal.number(int(index.name) + 1)
    return exp.Anonymous(this="ELEMENT_AT", expressions=[node.this, exp.cast(index, "INT")])


def _distinct_concat(node: exp.GroupConcat) -> exp.Expression:
    """``string_agg(DISTINCT x, sep ORDER BY x)`` as the sorted set of x joined: the same
    text, and it avoids Spark 4.0 failing on ``listagg(DISTINCT ...)`` next to another
    distinct aggregate."""
    body = node.this
    order = body if isinstance(body, exp.Order) else None
    values = order.this if order else body
    if not isinstance(values, exp.Distinct) or len(values.expressions) != 1:
        return node
    value = values.expressions[0]
    if order and (len(order.expressions) != 1 or order.expressions[0].this != value):
        return node
    ordered = exp.Anonymous(this="ARRAY_SORT", expressions=[exp.ArrayUniqueAgg(this=value.copy())])
    if order and order.expressions[0].args.get("desc"):
        ordered = exp.Anonymous(this="REVERSE", expressions=[ordered])
    joined = exp.Anonymous(
        this="ARRAY_JOIN",
        expressions=[ordered, node.args.get("separator") or exp.Literal.string(",")],
    )
    return exp.Nullif(this=joined, expression=exp.Literal.string(""))


def _regex_replacement(node: exp.RegexpReplace) -> exp.Expression:
    """Groups in a replacement are ``\\1`` in DuckDB and ``$1`` in Java. (Without the 'g'
    option DuckDB replaces the first match only and Spark every match; the catalogue uses
    that form only with anchored patterns, where the two agree.)"""
    replacement = node.args.get("replacement")
    if isinstance(replacement, exp.Literal) and "\\" in replacement.name:
        text = replacement.name.replace("$", "\\$")
        text = re.sub(r"\\(\d)", r"$\1", text)
        node.set("replacement", exp.Literal.string(text))
    return node


def _ordered_list(node: exp.ArrayAgg, where: exp.Where | None = None) -> exp.Expression:
    """``list(x ORDER BY k1, k2) [FILTER (WHERE ...)]``: Spark collects in no order, so
    collect (k1, k2, x) and sort; ``list(DISTINCT x ORDER BY x)`` is the sorted set."""

    def collect(agg: exp.Expression) -> exp.Expression:
        return exp.Filter(this=agg, expression=where.copy()) if where else agg

    order = node.this
    values = order.this
    keys = order.expressions
    descending = {bool(k.args.get("desc")) for k in keys}
    if len(descending) != 1:
        return node
    if isinstance(values, exp.Distinct):
        if len(values.expressions) != 1 or [k.this for k in keys] != values.expressions:
            return node
        ordered = exp.Anonymous(
            this="ARRAY_SORT",
            expressions=[collect(exp.ArrayUniqueAgg(this=values.expressions[0]))],
        )
        return (
            exp.Anonymous(this="REVERSE", expressions=[ordered]) if True in descending else ordered
        )
    pairs = exp.Struct(
        expressions=[
            *(
                exp.PropertyEQ(this=exp.to_identifier(f"k{n}"), expression=k.this)
                for n, k in enumerate(keys)
            ),
            exp.PropertyEQ(this=exp.to_identifier("v"), expression=values),
        ]
    )
    ordered = exp.Anonymous(
        this="SORT_ARRAY",
        expressions=[collect(exp.ArrayAgg(this=pairs)), exp.Boolean(this=True not in descending)],
    )
    return exp.Transform(
        this=ordered,
        expression=exp.Lambda(
            this=exp.Dot(this=exp.column("p"), expression=exp.to_identifier("v")),
            expressions=[exp.to_identifier("p")],
        ),
    )


def _boundaries(node: exp.DateDiff) -> exp.Expression:
    """DuckDB's ``date_diff('month', a, b)`` counts month boundaries crossed; Spark's counts
    whole months. Count boundaries: (year(b) - year(a)) * 12 + month(b) - month(a)."""
    unit = node.text("unit").upper()
    end, start = node.this, node.expression
    years = exp.Paren(
        this=exp.Sub(this=exp.Year(this=end.copy()), expression=exp.Year(this=start.copy()))
    )
    if unit == "YEAR":
        return exp.Paren(this=years)
    if unit == "MONTH":
        months = exp.Sub(this=exp.Month(this=end.copy()), expression=exp.Month(this=start.copy()))
        return exp.Paren(
            this=exp.Add(
                this=exp.Mul(this=years, expression=exp.Literal.number(12)), expression=months
            )
        )
    return node
