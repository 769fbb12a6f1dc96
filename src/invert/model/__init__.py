"""The canonical model: one YAML file per entity type, loaded and checked by ``Model``.

Property names follow FollowTheMoney where it has them (``ftm:`` says which schema a type mirrors)
and extend it where it has nothing (wage, hours, site, contract type on Employment...). A type
whose rows are relationships declares an ``edge:`` block saying which two references become the
ends of a graph edge; a reference property on a node type may declare its own ``edge:`` label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from invert import types
from invert.errors import InvalidModel
from invert.types import PropertyType

SCHEMA_DIR = Path(__file__).parent / "schema"
# Columns every canonical table carries besides the model's properties.
PROVENANCE = [("source_id", "VARCHAR"), ("source_row", "BIGINT")]
LIST_TYPES = {"string", "text", "identifier", "language"}


@dataclass(frozen=True)
class Property:
    name: str
    label: str
    type: PropertyType
    description: str = ""
    range: tuple[str, ...] = ()
    required: bool = False
    many: bool = False
    edge: str | None = None

    @property
    def columns(self) -> list[tuple[str, str]]:
        cols = self.type.columns(self.name)
        if self.many:
            return [(name, f"{sql}[]") for name, sql in cols]
        return cols


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    directed: bool = True


@dataclass(frozen=True)
class EntityType:
    name: str
    label: str
    plural: str
    description: str
    table: str
    properties: dict[str, Property]
    ftm: str | None = None
    edge: Edge | None = None
    # "merge": rows with the same id from one source are one entity (a person seen on many
    # payroll lines). "each_row": every source row is its own fact (two equal card payments on
    # one day are two payments), so the id also counts repeated keys.
    records: str = "merge"

    @property
    def columns(self) -> list[tuple[str, str]]:
        cols = [("id", "VARCHAR")]
        for prop in self.properties.values():
            cols.extend(prop.columns)
        return cols + PROVENANCE

    @property
    def required(self) -> list[str]:
        return [p.name for p in self.properties.values() if p.required]


def table_name(type_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type_name).lower()


_TYPE_KEYS = {"label", "plural", "description", "ftm", "records", "properties", "edge"}
_PROP_KEYS = {"label", "type", "description", "range", "required", "many", "edge"}


class Model:
    """All entity types, checked together so that references and edges are consistent."""

    def __init__(self, types_: dict[str, EntityType]) -> None:
        self.types = types_

    def __getitem__(self, name: str) -> EntityType:
        return self.types[name]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.types.values())

    @classmethod
    def load(cls, directory: Path = SCHEMA_DIR) -> Model:
        raw: dict[str, tuple[Path, dict[str, Any]]] = {}
        problems: list[str] = []
        for path in sorted(directory.glob("*.yml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                problems.append(f"{path.name}: not valid YAML ({exc})")
                continue
            if not isinstance(data, dict):
                problems.append(f"{path.name}: expected a mapping of type fields")
                continue
            raw[path.stem] = (path, data)
        known = set(raw)
        parsed: dict[str, EntityType] = {}
        for name, (path, data) in raw.items():
            parsed_type = _parse_type(name, path, data, known, problems)
            if parsed_type is not None:
                parsed[name] = parsed_type
        if problems:
            raise InvalidModel(f"The canonical model in {directory} is invalid", problems)
        return cls(parsed)


def _parse_type(
    name: str, path: Path, data: dict[str, Any], known: set[str], problems: list[str]
) -> EntityType | None:
    where = path.name
    before = len(problems)
    for key in sorted(set(data) - _TYPE_KEYS):
        problems.append(
            f"{where}: unknown field '{key}' (allowed: {', '.join(sorted(_TYPE_KEYS))})"
        )
    for key in ("label", "description", "properties"):
        if not data.get(key):
            problems.append(f"{where}: '{key}' is missing")
    records = data.get("records", "merge")
    if records not in ("merge", "each_row"):
        problems.append(f"{where}: records must be 'merge' or 'each_row', not '{records}'")
    props: dict[str, Property] = {}
    for pname, pdata in (data.get("properties") or {}).items():
        prop = _parse_property(f"{where}: property '{pname}'", pname, pdata, known, problems)
        if prop is not None:
            props[pname] = prop
    edge = None
    if "edge" in data:
        spec = data["edge"] or {}
        for end in ("source", "target"):
            ref = props.get(spec.get(end, ""))
            if ref is None or ref.type.name != "entity":
                problems.append(f"{where}: edge {end} must name a reference property of {name}")
        if not spec.get("label"):
            problems.append(f"{where}: edge needs a label")
        edge = Edge(
            spec.get("source", ""),
            spec.get("target", ""),
            spec.get("label", ""),
            bool(spec.get("directed", True)),
        )
    if len(problems) > before:
        return None
    return EntityType(
        name=name,
        label=data["label"],
        plural=data.get("plural", data["label"] + "s"),
        description=data["description"].strip(),
        table=table_name(name),
        properties=props,
        ftm=data.get("ftm"),
        edge=edge,
        records=records,
    )


def _parse_property(
    where: str, name: str, data: Any, known: set[str], problems: list[str]
) -> Property | None:
    if not isinstance(data, dict):
        problems.append(f"{where}: expected a mapping with label and type")
        return None
    before = len(problems)
    for key in sorted(set(data) - _PROP_KEYS):
        problems.append(f"{where}: unknown field '{key}'")
    if not data.get("label"):
        problems.append(f"{where}: 'label' is missing")
    type_name = data.get("type", "string")
    if type_name not in types.type_names():
        problems.append(
            f"{where}: unknown type '{type_name}' (known: {', '.join(types.type_names())})"
        )
        return None
    ranges = data.get("range") or []
    ranges = [ranges] if isinstance(ranges, str) else list(ranges)
    if type_name == "entity" and not ranges:
        problems.append(f"{where}: a reference needs a 'range' naming the type(s) it points to")
    for target in ranges:
        if target not in known:
            problems.append(f"{where}: range names unknown type '{target}'")
    many = bool(data.get("many", False))
    if many and type_name not in LIST_TYPES:
        problems.append(f"{where}: only {', '.join(sorted(LIST_TYPES))} properties can be lists")
    if len(problems) > before:
        return None
    return Property(
        name=name,
        label=data["label"],
        type=types.get(type_name),
        description=str(data.get("description", "")).strip(),
        range=tuple(ranges),
        required=bool(data.get("required", False)),
        many=many,
        edge=data.get("edge"),
    )


@cache
def default_model() -> Model:
    """The model shipped with INVERT."""
    return Model.load()
