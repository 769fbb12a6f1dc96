"""Mapping files: which source columns feed which entities and properties, declared in YAML.

A mapping is checked as a whole before any row is read: unknown entity types and properties,
transforms that do not fit a property's type, references to undeclared entities and columns
missing from the file are all reported at once, each naming where it is in the mapping.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from invert.errors import InvalidMapping
from invert.model import Model, default_model

FORMATS = ("csv", "tsv", "xlsx", "parquet", "jsonl")
EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
READ_OPTIONS = {"delimiter", "encoding", "header", "skip_rows", "quote", "sheet", "columns"}
MAPPING_KEYS = {
    "name",
    "description",
    "format",
    "read",
    "region",
    "decimal",
    "date_format",
    "namespace",
    "null_values",
    "entities",
}
ENTITY_KEYS = {"type", "keys", "key_mode", "properties"}
KEY_MODES = ("all", "first")
SOURCE_KEYS = ("column", "columns", "template", "constant", "entity")
TRANSFORM_KEYS = {"join", "map", "split", "name_part", "name_order", "on_invalid"}
NAME_PARTS = ("first", "last")
NAME_ORDERS = ("first_last", "last_first")


@dataclass(frozen=True)
class PropertyMap:
    """How one property gets its value: a source (column, template, constant, entity) plus
    transforms (value map, list split, name part) and type options (date format, decimal...)."""

    prop: str
    column: str | None = None
    columns: tuple[str, ...] = ()
    join: str = " "
    template: str | None = None
    constant: str | None = None
    entity: tuple[str, ...] = ()
    value_map: dict[str, str] = field(default_factory=dict)
    split: str | None = None
    name_part: str | None = None
    name_order: str = "first_last"
    on_invalid: str = "keep"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def source_columns(self) -> list[str]:
        cols = [self.column] if self.column else list(self.columns)
        if self.template:
            cols.extend(template_fields(self.template))
        return cols


@dataclass(frozen=True)
class EntityMap:
    name: str
    type: str
    keys: tuple[str, ...]
    properties: dict[str, PropertyMap]
    key_mode: str = "all"
    # With key_mode "first": the alternatives in order, each one key or several keys that
    # identify only together (a citizen number, else a name with a birth date, else a name).
    key_groups: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Mapping:
    name: str
    path: str
    sha256: str
    format: str | None
    read: dict[str, Any]
    namespace: str
    null_values: tuple[str, ...]
    entities: dict[str, EntityMap]
    description: str = ""

    @property
    def columns(self) -> list[str]:
        """Every source column the mapping reads, in first-use order."""
        seen: dict[str, None] = {}
        for ent in self.entities.values():
            for key in ent.keys:
                if key not in ent.properties:
                    seen[key] = None
            for pm in ent.properties.values():
                for col in pm.source_columns:
                    seen[col] = None
        return list(seen)

    def check_columns(self, available: list[str], where: str) -> None:
        """Refuse to read a file that lacks columns the mapping needs, naming all of them."""
        missing = [c for c in self.columns if c not in available]
        if missing:
            shown = ", ".join(repr(c) for c in available[:40])
            raise InvalidMapping(
                f"{where}: the file lacks columns that mapping '{self.name}' reads",
                [*(f"column {c!r} is missing" for c in missing), f"the file has: {shown}"],
            )


def template_fields(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def load_mapping(path: Path, model: Model | None = None) -> Mapping:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidMapping(f"cannot read mapping {path}: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidMapping(f"{path}: not valid YAML ({exc})") from exc
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return parse_mapping(data, str(path), sha, model or default_model())


def parse_mapping(data: Any, where: str, sha256: str, model: Model) -> Mapping:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InvalidMapping(f"{where}: a mapping must be a YAML mapping with an 'entities' block")
    for key in sorted(set(data) - MAPPING_KEYS):
        problems.append(f"unknown field '{key}' (allowed: {', '.join(sorted(MAPPING_KEYS))})")
    fmt = data.get("format")
    if fmt is not None and fmt not in FORMATS:
        problems.append(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
    read = data.get("read") or {}
    for key in sorted(set(read) - READ_OPTIONS):
        problems.append(
            f"read: unknown option '{key}' (allowed: {', '.join(sorted(READ_OPTIONS))})"
        )
    defaults = {k: data[k] for k in ("region", "decimal", "date_format") if k in data}
    if defaults.get("decimal", ".") not in (".", ","):
        problems.append("decimal must be '.' or ','")
    entities_data = data.get("entities")
    if not isinstance(entities_data, dict) or not entities_data:
        problems.append("'entities' is missing or empty: declare at least one entity")
        entities_data = {}
    entities: dict[str, EntityMap] = {}
    for ename, edata in entities_data.items():
        ent = _parse_entity(ename, edata, model, defaults, problems)
        if ent is not None:
            entities[ename] = ent
    _check_references(entities, model, problems)
    if problems:
        raise InvalidMapping(f"{where}: the mapping has {len(problems)} problem(s)", problems)
    name = str(data.get("name") or Path(where).stem)
    return Mapping(
        name=name,
        path=where,
        sha256=sha256,
        format=fmt,
        read=dict(read),
        namespace=str(data.get("namespace") or name),
        null_values=tuple(str(v) for v in data.get("null_values", [])),
        entities=entities,
        description=str(data.get("description", "")),
    )


def _parse_entity(
    ename: str, edata: Any, model: Model, defaults: dict[str, Any], problems: list[str]
) -> EntityMap | None:
    at = f"entities.{ename}"
    if not isinstance(edata, dict):
        problems.append(f"{at}: expected a mapping with type, keys and properties")
        return None
    for key in sorted(set(edata) - ENTITY_KEYS):
        problems.append(f"{at}: unknown field '{key}' (allowed: {', '.join(sorted(ENTITY_KEYS))})")
    tname = edata.get("type")
    if tname not in model.types:
        problems.append(
            f"{at}: unknown entity type '{tname}' (known: {', '.join(sorted(model.types))})"
        )
        return None
    etype = model[tname]
    raw_keys = edata.get("keys") or []
    raw_keys = [raw_keys] if isinstance(raw_keys, str) else list(raw_keys)
    groups = tuple(
        tuple(str(k) for k in item) if isinstance(item, list) else (str(item),) for item in raw_keys
    )
    keys = list(dict.fromkeys(k for group in groups for k in group))
    if not keys and etype.records == "merge":
        problems.append(f"{at}: 'keys' is missing: name the column(s) that identify one {tname}")
    props: dict[str, PropertyMap] = {}
    for pname, spec in (edata.get("properties") or {}).items():
        if pname not in etype.properties:
            problems.append(
                f"{at}.{pname}: {tname} has no property '{pname}' "
                f"(it has: {', '.join(etype.properties)})"
            )
            continue
        pm = _parse_property(
            f"{at}.{pname}", pname, spec, etype.properties[pname], defaults, problems
        )
        if pm is not None:
            props[pname] = pm
    missing = [p for p in etype.required if p not in (edata.get("properties") or {})]
    for prop in missing:
        problems.append(f"{at}: {tname} requires property '{prop}'; map it")
    key_mode = edata.get("key_mode", "all")
    if key_mode not in KEY_MODES:
        problems.append(
            f"{at}: key_mode must be 'all' (the keys together identify it) or "
            "'first' (the first non-empty key does)"
        )
    if key_mode != "first" and any(len(g) > 1 for g in groups):
        problems.append(
            f"{at}: a list inside 'keys' (keys that identify only together) needs "
            "key_mode: first; with key_mode all, list the keys flat"
        )
    if not keys:  # each_row types without natural keys: every mapped value is part of the key
        keys = list(props)
    return EntityMap(
        ename,
        tname,
        tuple(keys),
        props,
        key_mode,
        groups if key_mode == "first" else (),
    )


def _parse_property(
    at: str, pname: str, spec: Any, prop: Any, defaults: dict[str, Any], problems: list[str]
) -> PropertyMap | None:
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, dict):
        problems.append(f"{at}: expected a column name or a mapping such as {{column: NAME}}")
        return None
    ptype = prop.type
    sources = [k for k in SOURCE_KEYS if k in spec]
    if len(sources) != 1:
        problems.append(
            f"{at}: give exactly one of {', '.join(SOURCE_KEYS)} (found: {sources or 'none'})"
        )
        return None
    allowed = set(SOURCE_KEYS) | TRANSFORM_KEYS | set(ptype.options)
    for key in sorted(set(spec) - allowed):
        hint = f" ({ptype.name} takes: {', '.join(sorted(ptype.options))})" if ptype.options else ""
        problems.append(f"{at}: option '{key}' does not apply to a {ptype.name} property{hint}")
    if "entity" in spec and ptype.name != "entity":
        problems.append(
            f"{at}: 'entity:' only fits reference properties; {pname} is a {ptype.name}"
        )
    if ptype.name == "entity" and "entity" not in spec:
        problems.append(
            f"{at}: a reference takes 'entity: <name of another entity in this mapping>'"
        )
    if "split" in spec and not prop.many:
        problems.append(f"{at}: 'split' only fits list properties; {pname} holds one value")
    if spec.get("name_part") not in (None, *NAME_PARTS):
        problems.append(f"{at}: name_part must be one of {', '.join(NAME_PARTS)}")
    if spec.get("name_order", "first_last") not in NAME_ORDERS:
        problems.append(f"{at}: name_order must be one of {', '.join(NAME_ORDERS)}")
    if spec.get("on_invalid", "keep") not in ("keep", "quarantine"):
        problems.append(f"{at}: on_invalid must be 'keep' (store raw and flag) or 'quarantine'")
    if "on_invalid" in spec and not ptype.keeps_raw:
        problems.append(
            f"{at}: on_invalid only applies to identifiers ({ptype.name} values "
            "that do not parse always go to quarantine)"
        )
    value_map = spec.get("map") or {}
    if not isinstance(value_map, dict):
        problems.append(f"{at}: map must be a mapping of source value to stored value")
        value_map = {}
    columns = spec.get("columns") or []
    if "columns" in spec and (not isinstance(columns, list) or not columns):
        problems.append(f"{at}: columns must be a non-empty list of column names")
        columns = []
    options = {k: defaults[k] for k in _DEFAULT_FOR.get(ptype.name, ()) if k in defaults}
    options = {_OPTION_NAME.get(k, k): v for k, v in options.items()}
    options.update({k: spec[k] for k in ptype.options if k in spec})
    if options.get("decimal", ".") not in (".", ","):
        problems.append(f"{at}: decimal must be '.' or ','")
    return PropertyMap(
        prop=pname,
        column=spec.get("column"),
        columns=tuple(str(c) for c in columns),
        join=str(spec.get("join", " ")),
        template=spec.get("template"),
        constant=None if spec.get("constant") is None else str(spec["constant"]),
        entity=_entity_refs(spec.get("entity"), at, problems),
        value_map={str(k): str(v) for k, v in value_map.items()},
        split=spec.get("split"),
        name_part=spec.get("name_part"),
        name_order=spec.get("name_order", "first_last"),
        on_invalid=spec.get("on_invalid", "keep"),
        options=options,
    )


def _entity_refs(value: Any, at: str, problems: list[str]) -> tuple[str, ...]:
    """One entity name, or a list whose first identified entity wins (payer person or company)."""
    if value is None:
        return ()
    refs = [value] if isinstance(value, str) else value
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs):
        problems.append(f"{at}: entity must name one entity of this mapping or a list of them")
        return ()
    return tuple(refs)


# Mapping-wide defaults and the property types they apply to.
_DEFAULT_FOR = {
    "phone": ("region",),
    "amount": ("decimal",),
    "number": ("decimal",),
    "integer": ("decimal",),
    "date": ("date_format",),
}
_OPTION_NAME = {"date_format": "format"}


def _check_references(entities: dict[str, EntityMap], model: Model, problems: list[str]) -> None:
    for ent in entities.values():
        etype = model[ent.type]
        for pm in ent.properties.values():
            at = f"entities.{ent.name}.{pm.prop}"
            for ref in pm.entity:
                target = entities.get(ref)
                if target is None:
                    problems.append(
                        f"{at}: refers to entity '{ref}', which the mapping does not declare"
                    )
                    continue
                allowed = etype.properties[pm.prop].range
                if target.type not in allowed:
                    problems.append(
                        f"{at}: must point to {' or '.join(allowed)}, "
                        f"but '{ref}' is a {target.type}"
                    )
                if model[target.type].records == "each_row":
                    problems.append(
                        f"{at}: cannot point to '{ref}': a {target.type} is one "
                        "row's fact, not an entity others refer to"
                    )
                if ref == ent.name:
                    problems.append(f"{at}: an entity cannot refer to itself")
