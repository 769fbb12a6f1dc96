"""The indicator catalogue: indicators as data, each with exactly one SQL query.

An entry (``catalogue/<subject>.yml``) says what an indicator flags, which published sources
back it (with the evidence grade of the reference catalogue), its parameters with defaults and
its weight (a log likelihood ratio used by scoring). Its query lives in ``queries/<id>.sql``
and returns one row per hit: ``subject_id``, ``strength`` (0..1), ``value`` (the measured
fact in words) and ``evidence`` (a list of ``{tbl, id}`` rows of canonical tables). Parameters
reach the query as ``$name``. Users add indicators by pointing a run at their own folder with
the same layout, and change parameters or disable indicators in a run configuration.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from invert.errors import InvalidMapping

HERE = Path(__file__).parent
SUBJECTS = ("company", "person", "child", "account", "ad", "network")
GRADES = ("A", "B", "C")
ENTRY_KEYS = {
    "id",
    "subject",
    "title",
    "description",
    "sources",
    "parameters",
    "weight",
    "context",
    "stage",
}
# Indicators of the "network" stage run after all entity-stage ones and may read their results
# through the temp table ``behaviour(subject, subject_id, log_odds, top)`` (risk passed along
# ties) or ``new_hit`` (counts of other indicators). The "link" stage runs last and may read the
# hits of both: a poster's deceptive ads, and who they tie to.
STAGES = ("entity", "network", "link")


@dataclass(frozen=True)
class Source:
    key: str
    grade: str
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    id: str
    subject: str
    title: str
    description: str
    sources: tuple[Source, ...]
    parameters: dict[str, Any]
    weight: float
    query: str
    # Context priors (sector, nationality) are capped and reported apart from behaviour.
    context: bool = False
    stage: str = "entity"
    origin: str = ""


@dataclass
class RunConfig:
    """What a user changes for one run: disabled indicators, parameters, extra catalogues."""

    disabled: set[str] = field(default_factory=set)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    catalogues: list[Path] = field(default_factory=list)
    reference: dict[str, Any] = field(default_factory=dict)
    # Prior probability per subject kind, for scoring ([scoring] priors = {company = 0.02}).
    priors: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> RunConfig:
        if path is None:
            return cls()
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InvalidMapping(f"{path}: cannot read the run configuration ({exc})") from exc
        section = data.get("indicators", {})
        return cls(
            disabled=set(section.get("disabled", [])),
            parameters=dict(data.get("parameters", {})),
            catalogues=[Path(path).parent / p for p in section.get("catalogues", [])],
            reference=dict(data.get("reference", {})),
            priors={k: float(v) for k, v in data.get("scoring", {}).get("priors", {}).items()},
        )


def load_catalogue(config: RunConfig | None = None) -> list[Indicator]:
    """The built-in catalogue plus the run's own folders, with the run's changes applied."""
    config = config or RunConfig()
    problems: list[str] = []
    found: dict[str, Indicator] = {}
    for folder in [HERE, *config.catalogues]:
        for path in sorted((folder / "catalogue").glob("*.yml")):
            if path.name == "reference.yml":
                continue
            for entry in _entries(path, problems):
                ind = _parse(entry, path, folder, problems)
                if ind is None:
                    continue
                if ind.id in found and folder == HERE:
                    problems.append(f"{path.name}: indicator '{ind.id}' is defined twice")
                found[ind.id] = ind  # a user's entry replaces a built-in one of the same id
    for ind_id, params in config.parameters.items():
        if ind_id not in found:
            problems.append(f"run configuration: parameters for unknown indicator '{ind_id}'")
            continue
        unknown = set(params) - set(found[ind_id].parameters)
        if unknown:
            problems.append(
                f"run configuration: {ind_id} has no parameter(s) "
                f"{', '.join(sorted(unknown))} (it has: "
                f"{', '.join(found[ind_id].parameters) or 'none'})"
            )
    for ind_id in config.disabled - set(found):
        problems.append(f"run configuration: cannot disable unknown indicator '{ind_id}'")
    if problems:
        raise InvalidMapping("the indicator catalogue has problems", problems)
    out = []
    for ind in found.values():
        if ind.id in config.disabled:
            continue
        params = {**ind.parameters, **config.parameters.get(ind.id, {})}
        out.append(Indicator(**{**ind.__dict__, "parameters": params}))
    return sorted(out, key=lambda i: (STAGES.index(i.stage), i.subject, i.id))


def load_reference(config: RunConfig | None = None) -> dict[str, Any]:
    """Published reference values (minimum wages...), with the run's overrides."""
    data = yaml.safe_load((HERE / "catalogue" / "reference.yml").read_text(encoding="utf-8"))
    for key, value in (config.reference if config else {}).items():
        # a table for another country adds to the built-in ones; a list replaces its list
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


@lru_cache(maxsize=256)
def _read_yaml(path: Path, mtime_ns: int, size: int) -> Any:
    """A catalogue file parsed once per version (the web app reads the catalogue at every
    entity profile, and parsing it costs about 0.3 s); callers get a deep copy."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _entries(path: Path, problems: list[str]) -> list[dict[str, Any]]:
    try:
        stat = path.stat()
        data = copy.deepcopy(_read_yaml(path, stat.st_mtime_ns, stat.st_size))
    except yaml.YAMLError as exc:
        problems.append(f"{path.name}: not valid YAML ({exc})")
        return []
    entries = (data or {}).get("indicators")
    if not isinstance(entries, list):
        problems.append(f"{path.name}: expected 'indicators:' with a list of entries")
        return []
    return entries


def _parse(entry: Any, path: Path, folder: Path, problems: list[str]) -> Indicator | None:
    if not isinstance(entry, dict) or "id" not in entry:
        problems.append(f"{path.name}: every entry needs an 'id'")
        return None
    at = f"{path.name}: {entry['id']}"
    before = len(problems)
    for key in sorted(set(entry) - ENTRY_KEYS):
        problems.append(f"{at}: unknown field '{key}'")
    for key in ("title", "description", "sources", "weight"):
        if not entry.get(key):
            problems.append(f"{at}: '{key}' is missing")
    if entry.get("stage", "entity") not in STAGES:
        problems.append(f"{at}: stage must be one of {', '.join(STAGES)}")
    if entry.get("subject") not in SUBJECTS:
        problems.append(f"{at}: subject must be one of {', '.join(SUBJECTS)}")
    sources = []
    for src in entry.get("sources") or []:
        if not isinstance(src, dict) or "key" not in src or src.get("grade") not in GRADES:
            problems.append(f"{at}: each source needs 'key' and 'grade' (A, B or C)")
            continue
        sources.append(Source(str(src["key"]), str(src["grade"]), str(src.get("note", ""))))
    query_path = folder / "queries" / f"{entry['id']}.sql"
    if not query_path.is_file():
        problems.append(f"{at}: its query queries/{entry['id']}.sql does not exist")
    if len(problems) > before:
        return None
    return Indicator(
        id=str(entry["id"]),
        subject=str(entry["subject"]),
        title=str(entry["title"]),
        description=" ".join(str(entry["description"]).split()),
        sources=tuple(sources),
        parameters=dict(entry.get("parameters") or {}),
        weight=float(entry["weight"]),
        query=query_path.read_text(encoding="utf-8"),
        context=bool(entry.get("context")),
        stage=str(entry.get("stage", "entity")),
        origin=str(path),
    )
