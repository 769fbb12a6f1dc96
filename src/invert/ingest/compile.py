"""Compile a mapping into set-based SQL over the staged file.

Three layers, all columnar:
1. ``staged_values``: each mapped property's text after its transforms (view over the file).
2. distinct-value normalisation: for every library-backed type (phone, IBAN, country, name...)
   the distinct texts are normalised once in Python and joined back as a small table.
3. ``staged_typed``: typed values, entity ids, and per row the list of problems; rows with
   problems go to quarantine, the others feed the canonical tables.

A plan reads one file, whose source id is written into every row as a constant, or a batch of
files (``Plan.batched``: many small reports of one mapping), whose staged rows carry their file's
``source_id`` beside ``source_row``; every join, numbering and grouping is then per file, so each
file gets the rows it would get alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from invert.ingest.helper import Helper
from invert.ingest.mapping import EntityMap, Mapping, PropertyMap, template_fields
from invert.model import EntityType, Model, Property
from invert.types import Normalised, PropertyType

VALUES = "staged_values"
TYPED = "staged_typed"
SEP = "chr(31)"
NORMALISED = "staged_normalised"
# Files of at most this many rows look their normalised values up in Arrow (see
# ``normalise_distinct``).
SMALL = 50_000
# From this many new distinct values on, half are normalised in a helper process (see ``Memo``).
PARALLEL = 20_000


def lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Slot:
    """One mapped property of one mapping entity, with the names of its staged columns."""

    entity: EntityMap
    etype: EntityType
    prop: Property
    pm: PropertyMap
    index: int
    norm_table: str | None = None

    @property
    def v(self) -> str:
        return f"v{self.index}"

    @property
    def t(self) -> str:
        return f"t{self.index}"

    @property
    def ptype(self) -> PropertyType:
        return self.prop.type

    @property
    def field_name(self) -> str:
        cols = self.pm.source_columns
        return ", ".join(cols) if cols else f"{self.entity.name}.{self.prop.name}"


@dataclass
class Plan:
    mapping: Mapping
    model: Model
    slots: list[Slot] = field(default_factory=list)
    key_columns: list[str] = field(default_factory=list)
    batched: bool = False

    @property
    def row_key(self) -> str:
        """The staged columns naming one row: its file row, and in a batch its source too."""
        return "source_id, source_row" if self.batched else "source_row"

    def source(self, source_id: str | None) -> str:
        """SQL for the source id of a staged row: the one file's, or the row's own in a batch."""
        if self.batched:
            return "source_id"
        assert source_id is not None
        return lit(source_id)

    @property
    def columns(self) -> list[Slot]:
        """The first slot of each shared index: what gets staged, normalised and joined."""
        seen: dict[int, Slot] = {}
        for s in self.slots:
            seen.setdefault(s.index, s)
        return list(seen.values())

    def slots_of(self, ent: EntityMap) -> list[Slot]:
        return [s for s in self.slots if s.entity is ent]

    def slot(self, ent: EntityMap, prop: str) -> Slot | None:
        return next((s for s in self.slots_of(ent) if s.prop.name == prop), None)


def plan(mapping: Mapping, model: Model, batched: bool = False) -> Plan:
    """One slot per mapped value; slots reading the same text into the same type share their
    staged columns (a payer name that is also the payer account's holder name is parsed,
    normalised and joined once)."""
    p = Plan(mapping, model, batched=batched)
    shared: dict[tuple, int] = {}
    for ent in mapping.entities.values():
        etype = model[ent.type]
        for pm in ent.properties.values():
            if not pm.entity:
                prop = etype.properties[pm.prop]
                signature = (
                    pm.column,
                    pm.columns,
                    pm.join,
                    pm.template,
                    pm.constant,
                    tuple(sorted(pm.value_map.items())),
                    pm.split,
                    pm.name_part,
                    pm.name_order,
                    pm.on_invalid,
                    prop.type.name,
                    prop.many,
                    json.dumps(pm.options, sort_keys=True),
                )
                index = shared.setdefault(signature, len(shared))
                p.slots.append(Slot(ent, etype, prop, pm, index))
        for key in ent.keys:
            if key not in ent.properties and key not in p.key_columns:
                p.key_columns.append(key)
    return p


# ---------------------------------------------------------------- layer 1: text values


def _clean(column: str, null_values: tuple[str, ...]) -> str:
    expr = f"trim(CAST({ident(column)} AS VARCHAR))"
    nulls = ", ".join(lit(v) for v in ("", *null_values))
    return f"CASE WHEN {expr} IN ({nulls}) THEN NULL ELSE {expr} END"


def _source_text(pm: PropertyMap, nulls: tuple[str, ...]) -> str:
    if pm.column is not None:
        return _clean(pm.column, nulls)
    if pm.columns:
        parts = ", ".join(_clean(c, nulls) for c in pm.columns)
        return f"nullif(concat_ws({lit(pm.join)}, {parts}), '')"
    if pm.template is not None:
        pieces: list[str] = []
        rest = pm.template
        for name in template_fields(pm.template):
            before, rest = rest.split("{" + name + "}", 1)
            if before:
                pieces.append(lit(before))
            pieces.append(f"coalesce({_clean(name, nulls)}, '')")
        if rest:
            pieces.append(lit(rest))
        joined = " || ".join(pieces) or "''"
        return f"nullif(trim(regexp_replace({joined}, '\\s+', ' ', 'g')), '')"
    return lit(pm.constant or "")


def _name_part(expr: str, part: str, order: str) -> str:
    """First or last name from a full name: 'Last, First' always; otherwise by word order."""
    comma_last, comma_first = (
        f"trim(split_part({expr}, ',', 1))",
        f"trim(split_part({expr}, ',', 2))",
    )
    head, tail = (
        f"regexp_extract({expr}, '^(\\S+)\\s+(.+)$', 1)",
        f"regexp_extract({expr}, '^(\\S+)\\s+(.+)$', 2)",
    )
    init, final = (
        f"regexp_extract({expr}, '^(.+)\\s+(\\S+)$', 1)",
        f"regexp_extract({expr}, '^(.+)\\s+(\\S+)$', 2)",
    )
    if order == "first_last":
        spaced = init if part == "first" else f"coalesce(nullif({final}, ''), {expr})"
    else:
        spaced = tail if part == "first" else f"coalesce(nullif({head}, ''), {expr})"
    by_comma = comma_first if part == "first" else comma_last
    return f"nullif(CASE WHEN contains({expr}, ',') THEN {by_comma} ELSE {spaced} END, '')"


def value_text(pm: PropertyMap, nulls: tuple[str, ...]) -> str:
    expr = _source_text(pm, nulls)
    if pm.value_map:
        whens = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in pm.value_map.items())
        expr = f"(CASE {expr} {whens} ELSE {expr} END)"
    if pm.name_part:
        expr = _name_part(expr, pm.name_part, pm.name_order)
    return expr


def create_values(con: duckdb.DuckDBPyConnection, p: Plan) -> None:
    nulls = p.mapping.null_values
    cols = [f"{value_text(s.pm, nulls)} AS {s.v}" for s in p.columns]
    cols += [f"{_clean(c, nulls)} AS {ident('k:' + c)}" for c in p.key_columns]
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {VALUES} AS SELECT {p.row_key}, "
        f"{', '.join(cols) or 'NULL AS nothing'} FROM staged_raw"
    )


# ---------------------------------------------------------------- layer 2: distinct values


class Memo:
    """Values already normalised by the files of one ingest command, per type and options: a
    worker's name in the register, the payroll and the employment file is normalised once.
    Normalisers are functions of one value, so a remembered value is what normalising it again
    would give. At most ``limit`` values are kept per type and options.

    With ``helper`` set, a list of at least ``PARALLEL`` new values is normalised half here and
    half in a helper process (``invert.ingest.helper``), started on first need and stopped by
    ``close``. If it cannot be started or fails, the values are normalised here.
    """

    def __init__(self, limit: int = 250_000, helper: bool = False) -> None:
        self.limit = limit
        self._seen: dict[tuple[str, str], dict[str, Normalised]] = {}
        self._helper = Helper() if helper else None

    def __enter__(self) -> Memo:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._helper is not None:
            self._helper.close()

    def normalise(self, slot: Slot, raw: list[str]) -> list[Normalised]:
        options = slot.pm.options
        seen = self._seen.setdefault((slot.ptype.name, json.dumps(options, sort_keys=True)), {})
        missing = [v for v in raw if v not in seen]
        found = dict(zip(missing, self._compute(slot, missing), strict=True)) if missing else {}
        room = self.limit - len(seen)
        seen.update(found if len(found) <= room else dict(list(found.items())[:room]))
        return [seen[v] if v in seen else found[v] for v in raw]

    def _compute(self, slot: Slot, values: list[str]) -> list[Normalised]:
        helper = self._helper if len(values) >= PARALLEL else None
        half = len(values) // 2
        if helper is None or not helper.start(slot.ptype.name, slot.pm.options, values[half:]):
            return _normalise(slot, values)
        here = _normalise(slot, values[:half])
        there = helper.result()
        if there is None or len(there) != len(values) - half:
            there = _normalise(slot, values[half:])
        return here + there


def _normalise(slot: Slot, raw: list[str]) -> list[Normalised]:
    return slot.ptype.normalise(raw, slot.pm.options)  # type: ignore[misc]


def normalise_distinct(
    con: duckdb.DuckDBPyConnection,
    p: Plan,
    progress: Callable[[str], None] = lambda _s: None,
    small: int | None = None,
    memo: Memo | None = None,
) -> int:
    """Normalise each distinct text once per (type, options); returns distinct values seen.

    A file of at most ``small`` rows (default ``SMALL``) has its normalised values looked up in
    Arrow and joined back as one table on ``source_row``: with one join per column instead, a
    goAML report of 20 rows and 20 normalised columns spends most of its time setting up joins.
    A larger file joins each column to the distinct values of its type, without moving its rows
    to Python. ``memo`` keeps values normalised for earlier files of the same command.
    """
    groups: dict[tuple[str, str], list[Slot]] = {}
    for s in p.columns:
        if s.ptype.normalise is not None and not s.prop.many:
            groups.setdefault((s.ptype.name, json.dumps(s.pm.options, sort_keys=True)), []).append(
                s
            )
    if not groups:
        return 0
    limit = SMALL if small is None else small
    if con.execute(f"SELECT count(*) FROM {VALUES}").fetchone()[0] <= limit:
        return _normalise_small(con, p, groups, progress, memo)
    seen = 0
    for n, ((tname, _opts), slots) in enumerate(groups.items()):
        progress(f"normalising {tname} values")
        union = " UNION ALL ".join(f"SELECT {s.v} AS v FROM {VALUES}" for s in slots)
        distinct = con.execute(
            f"SELECT DISTINCT v FROM ({union}) WHERE v IS NOT NULL"
        ).to_arrow_table()
        raw = distinct.column("v").to_pylist() if distinct.num_rows else []
        results = memo.normalise(slots[0], raw) if memo else _normalise(slots[0], raw)
        table = pa.table(
            {
                "raw": pa.array(raw, pa.string()),
                "value": pa.array([r.value for r in results], pa.string()),
                "key": pa.array([r.key for r in results], pa.string()),
                "problem": pa.array([r.problem for r in results], pa.string()),
            }
        )
        name = f"staged_norm{n}"
        con.register("staged_norm_arrow", table)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM staged_norm_arrow")
        con.unregister("staged_norm_arrow")
        indexes = {s.index for s in slots}
        for s in p.slots:
            if s.index in indexes:
                s.norm_table = name
        seen += len(raw)
    return seen


def _normalise_small(
    con: duckdb.DuckDBPyConnection,
    p: Plan,
    groups: dict[tuple[str, str], list[Slot]],
    progress: Callable[[str], None],
    memo: Memo | None,
) -> int:
    """``staged_normalised(source_row, t<i>, t<i>_key, t<i>_problem...)``: one row per staged
    row (with its ``source_id`` in a batch), built with Arrow's vectorised look-ups (no Python
    per row)."""
    wanted = [s.v for slots in groups.values() for s in slots]
    rows = con.execute(f"SELECT {p.row_key}, {', '.join(wanted)} FROM {VALUES}").to_arrow_table()
    keys = p.row_key.split(", ")
    out: dict[str, pa.Array | pa.ChunkedArray] = {k: rows.column(k) for k in keys}
    seen = 0
    for (tname, _opts), slots in groups.items():
        progress(f"normalising {tname} values")
        texts = [rows.column(s.v).cast(pa.string()) for s in slots]
        chunks = [chunk for column in texts for chunk in column.chunks]
        distinct = pc.unique(pa.chunked_array(chunks, pa.string())).drop_null()
        raw = distinct.to_pylist()
        results = memo.normalise(slots[0], raw) if memo else _normalise(slots[0], raw)
        found = {
            "": pa.array([r.value for r in results], pa.string()),
            "_key": pa.array([r.key for r in results], pa.string()),
            "_problem": pa.array([r.problem for r in results], pa.string()),
        }
        for s, text in zip(slots, texts, strict=True):
            at = pc.index_in(text, value_set=distinct)
            for suffix in _norm_suffixes(s):
                out[s.t + suffix] = pc.take(found[suffix], at)
        indexes = {s.index for s in slots}
        for s in p.slots:
            if s.index in indexes:
                s.norm_table = NORMALISED
        seen += len(raw)
    con.register("staged_norm_arrow", pa.table(out))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {NORMALISED} AS SELECT * FROM staged_norm_arrow")
    con.unregister("staged_norm_arrow")
    return seen


def _norm_suffixes(s: Slot) -> list[str]:
    """The columns a normalised slot adds: value, and key and problem where its type has them."""
    return [""] + ["_key"] * s.ptype.has_key + ["_problem"] * s.ptype.keeps_raw


# ---------------------------------------------------------------- layer 3: typed rows


def _typed(s: Slot) -> list[str]:
    """SELECT items for one slot: value, key, raw and problem columns as needed."""
    v = f"sv.{s.v}"
    if s.prop.many:
        items = (
            (
                f"list_filter(list_transform(string_split({v}, {lit(s.pm.split)}), "
                "x -> nullif(trim(x), '')), "
                "x -> x IS NOT NULL)"
            )
            if s.pm.split
            else f"[{v}]"
        )
        parse = s.ptype.parse_sql
        parsed = f"list_transform({items}, x -> {parse('x', s.pm.options)})" if parse else items
        return [
            f"CASE WHEN {v} IS NOT NULL THEN {parsed} END AS {s.t}",
            f"CASE WHEN {v} IS NOT NULL THEN len({items}) END AS {s.t}_n",
        ]
    if s.norm_table == NORMALISED:
        return [f"n.{s.t}{suffix} AS {s.t}{suffix}" for suffix in _norm_suffixes(s)]
    if s.norm_table is not None:
        j = f"j{s.index}"
        cols = [f"{j}.value AS {s.t}"]
        if s.ptype.has_key:
            cols.append(f"{j}.key AS {s.t}_key")
        if s.ptype.keeps_raw:
            cols.append(f"{j}.problem AS {s.t}_problem")
        return cols
    assert s.ptype.parse_sql is not None
    return [f"{s.ptype.parse_sql(v, s.pm.options)} AS {s.t}"]


def _joins(p: Plan) -> str:
    if any(s.norm_table == NORMALISED for s in p.columns):
        on = " AND ".join(f"n.{k} = sv.{k}" for k in p.row_key.split(", "))
        return f"LEFT JOIN {NORMALISED} n ON {on}"
    return " ".join(
        f"LEFT JOIN {s.norm_table} j{s.index} ON j{s.index}.raw = sv.{s.v}"
        for s in p.columns
        if s.norm_table is not None and not s.prop.many
    )


def _key_part(s: Slot, typed: str, raw: str) -> str:
    """A key's text: its typed value, or for an identifier kept raw its raw text."""
    if s.ptype.keeps_raw:
        return f"coalesce(CAST({typed} AS VARCHAR), {raw})"
    return f"CAST({typed} AS VARCHAR)"


def _digest(p: Plan, ent: EntityMap, parts: list[str]) -> str:
    """The digest an entity id is made of: namespace, type and the key text of ``parts``: all
    keys, or with ``key_mode: first`` the name and value of the first non-empty key (so an IBAN
    gives one id whatever else a row says)."""
    return (
        f"md5(concat_ws({SEP}, {lit(p.mapping.namespace)}, {lit(ent.type)}, "
        f"{_key_text(ent, parts)}))"
    )


def _key_text(ent: EntityMap, parts: list[str]) -> str:
    if ent.key_mode == "first":
        by_key = dict(zip(ent.keys, parts, strict=True))
        # Each alternative is null unless all of its keys are filled: || propagates nulls.
        named = ", ".join(
            f" || {SEP} || ".join(f"{lit(k + '=')} || {by_key[k]}" for k in group)
            for group in ent.key_groups
        )
        return f"coalesce({named}, '')"
    filled = ", ".join(f"coalesce({part}, '')" for part in parts)
    return f"concat_ws({SEP}, {filled})"


def _key_present(p: Plan, ent: EntityMap) -> str:
    def filled(key: str) -> str:
        s = p.slot(ent, key)
        return f"{ident('k:' + key)} IS NOT NULL" if s is None else f"{s.v} IS NOT NULL"

    groups = ent.key_groups or tuple((k,) for k in ent.keys)
    conds = [" AND ".join(filled(k) for k in group) for group in groups]
    return "(" + " OR ".join(f"({c})" for c in conds) + ")"


def id_column(ent: EntityMap) -> str:
    return ident("id:" + ent.name)


def _problems(p: Plan) -> tuple[list[str], list[str], list[str]]:
    """(condition, message, field) in SQL: a row with any true condition goes to quarantine."""
    conds: list[str] = []
    msgs: list[str] = []
    fields: list[str] = []
    users: dict[int, list[str]] = {}
    for s in p.slots:
        users.setdefault(s.index, []).append(f"{id_column(s.entity)} IS NOT NULL")
    for s in p.columns:
        present = "(" + " OR ".join(dict.fromkeys(users[s.index])) + ")"
        expects = lit(f" is not {s.ptype.expects(s.pm.options)}")
        if s.prop.many:
            bad = f"{s.t}_n > len(list_filter({s.t}, x -> x IS NOT NULL))"
        elif s.ptype.keeps_raw and s.pm.on_invalid == "keep":
            continue
        else:
            bad = f"{s.v} IS NOT NULL AND {s.t} IS NULL"
        conds.append(f"{present} AND {bad}")
        msgs.append(f"{lit(s.field_name + ': ')} || to_json({s.v}) || {expects}")
        fields.append(s.field_name)
    for ent in p.mapping.entities.values():
        etype = p.model[ent.type]
        present = f"{id_column(ent)} IS NOT NULL"
        for prop in etype.required:
            pm = ent.properties[prop]
            if pm.entity:
                targets = [p.mapping.entities[r] for r in pm.entity]
                cols = ", ".join(k for t in targets for k in t.keys)
                absent = " AND ".join(f"{id_column(t)} IS NULL" for t in targets)
                conds.append(f"{present} AND {absent}")
                msgs.append(
                    lit(
                        f"{ent.name}.{prop}: required {etype.properties[prop].label.lower()} "
                        f"is missing (no value in {cols})"
                    )
                )
                fields.append(cols)
            else:
                s = p.slot(ent, prop)
                assert s is not None
                conds.append(f"{present} AND {s.v} IS NULL")
                msgs.append(lit(f"{s.field_name}: required {ent.type} {prop} is empty"))
                fields.append(s.field_name)
    no_entity = " AND ".join(f"{id_column(e)} IS NULL" for e in p.mapping.entities.values())
    keys = sorted(
        {
            c
            for e in p.mapping.entities.values()
            for k in e.keys
            for c in (e.properties[k].source_columns if k in e.properties else [k])
        }
    )
    conds.append(no_entity)
    msgs.append(lit(f"no entity can be identified: key columns {', '.join(keys)} are all empty"))
    fields.append(", ".join(keys))
    return conds, msgs, fields


def _kept(s: Slot) -> list[str]:
    """The columns of a slot that outlive validation: typed value, key, problem, and the raw
    text of identifiers (stored beside an invalid value)."""
    cols = [s.t]
    if s.prop.many:
        return cols
    if s.norm_table is not None and s.ptype.has_key:
        cols.append(f"{s.t}_key")
    if s.norm_table is not None and s.ptype.keeps_raw:
        cols.append(f"{s.t}_problem")
    if s.ptype.keeps_raw:
        cols.append(s.v)
    return cols


def digest_column(ent: EntityMap) -> str:
    return ident("d:" + ent.name)


def create_typed(con: duckdb.DuckDBPyConnection, p: Plan) -> None:
    """``staged_typed``: per source row the typed values, entity ids and problems.

    An each-row fact (a payment) whose keys repeat on another row gets its occurrence number
    in its id, so two equal card payments on one day stay two payments. Only repeated keys
    are numbered: a window over every row would cost more than the rest of validation.
    """
    items = ["sv.*"]
    for s in p.columns:
        items += _typed(s)
    ids = []
    each_row = []
    by_value = _ids_by_value(con, p)
    items += [f"{column} AS {ident('iv:' + name)}" for name, column in by_value.items()]
    for ent in p.mapping.entities.values():
        etype = p.model[ent.type]
        if etype.records == "each_row":
            each_row.append(ent)
        if ent.name in by_value:
            continue
        parts = []
        for key in ent.keys:
            slot = p.slot(ent, key)
            parts.append(ident("k:" + key) if slot is None else _key_part(slot, slot.t, slot.v))
        digest = _digest(p, ent, parts)
        present = _key_present(p, ent)
        ids.append(f"CASE WHEN {present} THEN {digest} END AS {digest_column(ent)}")
    conds, msgs, names = _problems(p)
    # Most rows have no problem: one test of all conditions spares them building the messages.
    any_problem = "(" + " OR ".join(f"({c})" for c in conds) + ")"
    problems = ", ".join(f"CASE WHEN {c} THEN {m} END" for c, m in zip(conds, msgs, strict=True))
    fields = ", ".join(
        f"CASE WHEN {c} THEN {lit(f)} END" for c, f in zip(conds, names, strict=True)
    )
    id_items = ", ".join(
        (
            f"CASE WHEN {_key_present(p, e)} THEN {ident('iv:' + e.name)} END"
            if e.name in by_value
            else f"CASE WHEN {digest_column(e)} IS NOT NULL THEN "
            f"{lit(p.model[e.type].table + '-')} || left({digest_column(e)}, 24) END"
        )
        + f" AS {id_column(e)}"
        for e in p.mapping.entities.values()
    )
    kept = ", ".join(c for s in p.columns for c in _kept(s))
    digests = ", ".join(digest_column(e) for e in each_row)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {TYPED} AS
        WITH t AS (SELECT {", ".join(items)} FROM {VALUES} sv {_joins(p)}),
             d AS (SELECT *{"".join(", " + i for i in ids)} FROM t),
             i AS (SELECT *, {id_items} FROM d)
        SELECT {p.row_key}, {kept + ", " if kept else ""}{digests + ", " if digests else ""}
               {", ".join(id_column(e) for e in p.mapping.entities.values())},
               CASE WHEN {any_problem} THEN concat_ws('; ', {problems}) ELSE '' END AS problems,
               CASE WHEN {any_problem} THEN coalesce({fields}) END AS problem_field
        FROM i"""
    )
    for ent in each_row:
        _number_repeats(con, p, ent)


def _ids_by_value(con: duckdb.DuckDBPyConnection, p: Plan) -> dict[str, str]:
    """Ids of the entities keyed by one normalised value alone (a bank account by its IBAN),
    computed once per distinct value in that value's normalised table instead of once per row:
    {entity name: the joined column holding its id}. Two entities with the same id of the same
    values (the payer and the beneficiary account) share one column. Each-row facts keep their
    per-row digest, which numbers their repeats."""
    out: dict[str, str] = {}
    columns: dict[tuple[str, str], str] = {}
    for ent in p.mapping.entities.values():
        s = p.slot(ent, ent.keys[0]) if len(ent.keys) == 1 else None
        if s is None or s.prop.many or s.norm_table in (None, NORMALISED):
            continue
        if p.model[ent.type].records == "each_row":
            continue
        assert s.norm_table is not None
        digest = _digest(p, ent, [_key_part(s, "value", "raw")])
        id_sql = f"{lit(p.model[ent.type].table + '-')} || left({digest}, 24)"
        column = columns.setdefault((s.norm_table, id_sql), f"id{len(columns)}")
        out[ent.name] = f"j{s.index}.{column}"
    for (table, id_sql), column in columns.items():
        con.execute(f"ALTER TABLE {table} ADD COLUMN {column} VARCHAR")
        con.execute(f"UPDATE {table} SET {column} = {id_sql}")
    return out


def _number_repeats(con: duckdb.DuckDBPyConnection, p: Plan, ent: EntityMap) -> None:
    d = digest_column(ent)
    prefix = lit(p.model[ent.type].table + "-")
    # In a batch, keys repeat (and are numbered) within one file only.
    group = f"source_id, {d}" if p.batched else d
    same = " AND ".join(f"r.{k} = {TYPED}.{k}" for k in p.row_key.split(", "))
    # Repeats are found by a 64-bit hash of the digest (cheaper to group than the text), then
    # numbered per digest: a hash shared by two different digests leaves each numbered 1.
    con.execute(f"""
        UPDATE {TYPED} SET {id_column(ent)} = {prefix} || left(md5({TYPED}.{d} || '#' || r.n), 24)
        FROM (SELECT {p.row_key}, row_number() OVER (PARTITION BY {group} ORDER BY source_row) AS n
              FROM {TYPED}
              WHERE {d} IS NOT NULL
                AND hash({group}) IN (SELECT hash({group}) FROM {TYPED} WHERE {d} IS NOT NULL
                                      GROUP BY ALL HAVING count(*) > 1)) r
        WHERE {same} AND r.n > 1
    """)


# ---------------------------------------------------------------- canonical rows


def _entity_values(p: Plan, ent: EntityMap) -> dict[str, str]:
    """Canonical column -> SQL expression over ``staged_typed`` for one mapping entity."""
    etype = p.model[ent.type]
    values: dict[str, str] = {"id": id_column(ent)}
    for prop in etype.properties.values():
        pm = ent.properties.get(prop.name)
        if pm is None:
            continue
        if pm.entity:
            refs = [id_column(p.mapping.entities[r]) for r in pm.entity]
            values[prop.name] = refs[0] if len(refs) == 1 else f"coalesce({', '.join(refs)})"
            continue
        s = p.slot(ent, prop.name)
        assert s is not None
        values[prop.name] = s.t
        if prop.type.has_key:
            values[f"{prop.name}_key"] = f"{s.t}_key" if not prop.many else "NULL"
        if prop.type.keeps_raw:
            values[f"{prop.name}_raw"] = s.v if not prop.many else f"[{s.v}]"
    return values


def type_select(p: Plan, etype: EntityType, source_id: str | None) -> tuple[str, str] | None:
    """(column list, SELECT) writing every mapping entity of one type into its table.

    Two mapping entities of one type (the payer and the beneficiary account of a statement)
    can name the same entity; their rows are merged so the table holds it once per source.
    ``source_id`` is the one file's (None in a batch, whose rows carry their own).
    """
    ents = [e for e in p.mapping.entities.values() if e.type == etype.name]
    if not ents:
        return None
    per_entity = [_entity_values(p, e) for e in ents]
    cols = [c for c, _ in etype.columns if any(c in v for v in per_entity)]
    parts = []
    for ent, values in zip(ents, per_entity, strict=True):
        items = ", ".join(f"{values.get(c, 'NULL')} AS {ident(c)}" for c in cols)
        parts.append(
            f"SELECT {items}, {p.row_key} FROM {TYPED} "
            f"WHERE problems = '' AND {id_column(ent)} IS NOT NULL"
        )
    union = " UNION ALL ".join(parts)
    col_sql = ", ".join(ident(c) for c in [*cols, "source_id", "source_row"])
    if etype.records == "each_row":
        return (
            col_sql,
            f"SELECT {', '.join(ident(c) for c in cols)}, {p.source(source_id)}, source_row "
            f"FROM ({union})",
        )
    # One row per entity: each property takes its first non-empty value in file order, and
    # source_row points at the first row that names the entity.
    firsts = "".join(
        f"arg_min({ident(c)}, source_row) FILTER (WHERE {ident(c)} IS NOT NULL), " for c in cols[1:]
    )
    group = "id, source_id" if p.batched else "id"
    return col_sql, (
        f"SELECT id, {firsts}{p.source(source_id)}, min(source_row) FROM ({union}) GROUP BY {group}"
    )


def flag_selects(p: Plan, source_id: str | None) -> list[str]:
    """SELECTs of identifiers kept raw because they did not validate (for ``value_flags``)."""
    out = []
    for s in p.slots:
        if not s.ptype.keeps_raw or s.pm.on_invalid != "keep" or s.prop.many:
            continue
        problem = f"{s.t}_problem" if s.norm_table else lit(f"not {s.ptype.expects(s.pm.options)}")
        out.append(
            f"SELECT {p.source(source_id)}, source_row, {lit(s.etype.table)}, "
            f"{id_column(s.entity)}, {lit(s.prop.name)}, {s.v}, {problem} FROM {TYPED} "
            f"WHERE problems = '' AND {id_column(s.entity)} IS NOT NULL AND {s.v} IS NOT NULL "
            f"AND {s.t} IS NULL"
        )
    return out
