"""Evidence packs written through ``invert report``: what the HTML and the PDF must hold."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from helpers import query
from invert import __version__
from invert.indicators.catalogue import HERE, load_catalogue, load_reference
from invert.leads.explain import explain
from invert.workspace import Workspace


@pytest.fixture
def pack(cli: Callable[..., str]) -> Callable[..., list[Path]]:
    """Write a pack with ``invert report`` and return the paths it printed."""

    def write(case: Path, entity: str, out: Path, *args: str) -> list[Path]:
        printed = cli("report", case, entity, "--out", out, *args)
        return [Path(line) for line in printed.splitlines() if line.strip()]

    return write


def top_person(case: Path) -> str:
    rows = query(
        Workspace.open(case),
        "SELECT subject_id FROM score WHERE list = 'person' ORDER BY probability DESC, "
        "subject_id LIMIT 1",
    )
    return rows[0][0]


def test_html_pack_separates_facts_from_inferences_with_provenance(
    complete, samples, tmp_path, pack
):
    who = top_person(complete)
    paths = pack(complete, who, tmp_path / "out", "--format", "html", "--author", "A. Analyst")
    assert [p.name for p in paths] == [f"report-{who}.html"]
    page = paths[0].read_text(encoding="utf-8")
    ex = explain(Workspace.open(complete), who)
    assert ex.identity["name"] in page
    assert "A. Analyst" in page and f"INVERT {__version__}" in page
    assert ">FACTS<" in page and ">INFERENCES<" in page
    assert "<script" not in page
    reason = ex.reasons[0]
    assert escape(reason.title) in page
    citation = load_reference()["bibliography"][reason.sources[0].split(" (")[0]]
    assert escape(citation) in page
    digest = hashlib.sha256((samples / "payroll.csv").read_bytes()).hexdigest()
    row = reason.evidence[0].source_row
    assert re.search(rf'{digest}</td>\s*<td class="num">{row}</td>', page)
    assert "<svg" in page and "Community" in page
    assert "Profit estimate" in page and "not been run" not in page


def test_pdf_pack_is_a_real_pdf_with_the_entity_and_its_indicators(complete, tmp_path, pack):
    who = top_person(complete)
    paths = pack(complete, who, tmp_path, "--format", "pdf")
    assert [p.suffix for p in paths] == [".pdf"]
    assert paths[0].read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "install poppler-utils (make system-packages)"
    text = subprocess.run(
        [pdftotext, str(paths[0]), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    ex = explain(Workspace.open(complete), who)
    assert ex.identity["name"] in words
    assert ex.reasons[0].title in words
    assert "FACTS" in words and "INFERENCES" in words


def test_stages_not_run_are_named_instead_of_failing(analysed, tmp_path, pack):
    who = top_person(analysed)
    paths = pack(analysed, who, tmp_path)
    assert sorted(p.suffix for p in paths) == [".html", ".pdf"]
    page = paths[0].read_text(encoding="utf-8")
    assert "The network stage has not run on this workspace" in page
    assert "The money stage has not run on this workspace" in page
    assert "No profit estimate has been made" in page
    assert "<svg" not in page


def test_evidence_rows_are_capped_and_the_rest_counted(complete, tmp_path, pack):
    ws = Workspace.open(complete)
    with ws.connect(read_only=True) as con:
        subject, total = con.execute(
            "SELECT subject_id, len(evidence) FROM indicator_hit ORDER BY len(evidence) DESC "
            "LIMIT 1"
        ).fetchone()
    if total < 2:
        pytest.skip("the payroll sample has no hit with two evidence rows")
    page = pack(complete, subject, tmp_path, "--format", "html", "--evidence", "1")[0]
    assert f"and {total - 1} more row(s) not listed" in page.read_text(encoding="utf-8")


def test_unknown_entity_and_bad_options_are_clear_errors(analysed, tmp_path, cli):
    out = cli("report", analysed, "nobody-123", "--out", tmp_path, ok=False)
    assert "no entity 'nobody-123'" in out and "invert leads" in out
    out = cli("report", analysed, "x", "--format", "docx", ok=False)
    assert "unknown format 'docx'" in out
    assert not list(tmp_path.glob("report-*"))


def test_every_source_of_the_catalogue_has_its_full_reference():
    bibliography = load_reference()["bibliography"]
    keys = {s.key for ind in load_catalogue() for s in ind.sources}
    assert keys <= set(bibliography), sorted(keys - set(bibliography))
    assert all(len(text) > 20 for text in bibliography.values())
    raw = yaml.safe_load((HERE / "catalogue" / "reference.yml").read_text(encoding="utf-8"))
    assert raw["bibliography"] == bibliography
