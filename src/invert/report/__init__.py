"""Evidence packs for prosecutors (``invert report``): one HTML page and one PDF per company,
person, account or network member, that keep what the case files say (FACTS, each with file,
SHA-256 and row) apart from what INVERT concludes from them (INFERENCES, each with the rule,
its parameters and its published sources).
"""

from __future__ import annotations

from pathlib import Path

from invert.report import render
from invert.report.pack import gather
from invert.workspace import Workspace

FORMATS = ("html", "pdf", "both")


def write_pack(
    ws: Workspace,
    entity_id: str,
    out_dir: Path,
    fmt: str = "both",
    author: str | None = None,
    evidence: int = 20,
) -> list[Path]:
    """Write ``report-<entity>.html`` and/or ``.pdf`` into ``out_dir``; returns the paths."""
    pack = gather(ws, entity_id, author=author, evidence=evidence)
    page = render.html(pack)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = "report-" + "".join(c if c.isalnum() or c in "-_." else "_" for c in entity_id)
    written = []
    if fmt in ("html", "both"):
        target = out_dir / f"{stem}.html"
        target.write_text(page, encoding="utf-8")
        written.append(target)
    if fmt in ("pdf", "both"):
        target = out_dir / f"{stem}.pdf"
        render.pdf(page, target)
        written.append(target)
    return written
