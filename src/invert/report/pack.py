"""Everything an evidence pack says about one entity, gathered before anything is drawn, so
the HTML and the PDF show the same facts and a test can read them without parsing either.

What the records say (identity, source records, evidence rows, ties, flows) is kept apart from
what INVERT concludes from them (indicator hits, scores, communities, money patterns, profit
estimates): the template labels each part FACTS or INFERENCES from this split.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from invert import __version__
from invert.indicators.catalogue import HERE as CATALOGUE_HERE
from invert.indicators.catalogue import Indicator, RunConfig, load_catalogue, load_reference
from invert.leads.explain import Explanation, Reason, explain, last_run_config
from invert.report.money import Money, gather_money
from invert.report.network import Network, gather_network
from invert.workspace import Workspace

# Stages whose absence the limits section names, with the command that runs each.
STAGES = {
    "resolve": "invert resolve run CASE_DIR",
    "network": "invert network build CASE_DIR",
    "money": "invert money CASE_DIR flows (and: profit)",
}


@dataclass
class Cover:
    case: str
    entity_id: str
    entity_label: str
    entity_table: str
    generated_at: str
    generated_by: str
    invert_version: str
    catalogue_sha256: str
    last_analysis: str | None
    stage_runs: dict[str, str]


@dataclass
class Citation:
    key: str
    grade: str
    note: str
    text: str


@dataclass
class Finding:
    """One indicator hit as the pack shows it: the explanation plus its catalogue entry."""

    reason: Reason
    description: str
    citations: list[Citation]

    @property
    def more_evidence(self) -> int:
        return max(0, self.reason.evidence_total - len(self.reason.evidence))


@dataclass
class Pack:
    cover: Cover
    identity: dict[str, Any]
    records: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    findings: list[Finding]
    network: Network
    money: Money
    limits: list[str] = field(default_factory=list)


def gather(ws: Workspace, entity_id: str, author: str | None = None, evidence: int = 20) -> Pack:
    """The pack of ``entity_id``; raises ``InvertError`` when the workspace has no analysis or
    no such entity (with the command to run or to find ids)."""
    found = explain(ws, entity_id, evidence_limit=evidence)
    with ws.connect(read_only=True, resolved=True) as con:
        config = last_run_config(con)
        catalogue = {i.id: i for i in load_catalogue(config)}
        runs = _stage_runs(con)
        network = gather_network(con, entity_id)
        money = gather_money(con, entity_id, found.table, network.community)
    bibliography = load_reference(config).get("bibliography", {})
    findings = [_finding(r, catalogue.get(r.indicator), bibliography) for r in found.reasons]
    cover = Cover(
        case=ws.name,
        entity_id=entity_id,
        entity_label=_label(found),
        entity_table=found.table or "not in an entity table",
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        generated_by=author or _os_user(),
        invert_version=__version__,
        catalogue_sha256=catalogue_digest(config),
        last_analysis=runs.get("indicators"),
        stage_runs=runs,
    )
    return Pack(
        cover=cover,
        identity={k: v for k, v in found.identity.items() if k not in ("source_id", "source_row")},
        records=found.records,
        scores=found.scores,
        findings=findings,
        network=network,
        money=money,
        limits=_limits(runs, findings, evidence, network, money),
    )


def catalogue_digest(config: RunConfig | None = None) -> str:
    """SHA-256 over the indicator definitions, queries and reference file (name and content
    of each, in name order), so a reader can tell whether two packs used the same rules."""
    folders = [CATALOGUE_HERE, *(config.catalogues if config else [])]
    digest = hashlib.sha256()
    for folder in folders:
        files = sorted([*folder.glob("catalogue/*.yml"), *folder.glob("queries/*.sql")])
        for path in files:
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _finding(reason: Reason, ind: Indicator | None, bibliography: dict[str, str]) -> Finding:
    citations = [
        Citation(
            s.key,
            s.grade,
            s.note,
            bibliography.get(s.key, "not in the bibliography of reference.yml"),
        )
        for s in (ind.sources if ind else ())
    ]
    return Finding(reason, ind.description.strip() if ind else "", citations)


def _label(found: Explanation) -> str:
    for key in ("name", "iban", "accountNumber", "title", "full"):
        if found.identity.get(key):
            return str(found.identity[key])
    return found.entity_id


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid, as in some containers
        return os.environ.get("USER", f"uid {os.getuid()}")


def _stage_runs(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute(
        "SELECT stage, strftime(max(started_at), '%Y-%m-%d %H:%M:%S') FROM runs GROUP BY stage"
    ).fetchall()
    return {stage: f"{when} UTC" for stage, when in rows}


def _limits(
    runs: dict[str, str], findings: list[Finding], evidence: int, network: Network, money: Money
) -> list[str]:
    """What this pack cannot show, in words a reader outside the team understands."""
    limits = [
        f"The {stage} stage has not run on this workspace ({command}); what it would add is "
        "missing from this pack."
        for stage, command in STAGES.items()
        if stage not in runs
    ]
    if any(f.more_evidence for f in findings):
        limits.append(
            f"Evidence rows are listed up to {evidence} per indicator; the rest are counted. "
            "Raise the cap with --evidence."
        )
    limits.extend(network.limits + money.limits)
    limits.append(
        "Rows refused at ingestion (quarantine) and facts in files never given to INVERT are "
        "not part of this pack; an indicator that did not fire is not proof of its absence."
    )
    return limits
