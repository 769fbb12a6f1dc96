"""The pack as HTML (a Jinja2 template and a stylesheet shipped in ``templates/``) and as PDF
(WeasyPrint lays out that same HTML, so the two never disagree).

WeasyPrint is imported only when a PDF is asked for: it needs Pango from the system, and an
HTML pack should not fail on a machine without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from invert.errors import InvertError
from invert.report.pack import Pack

TEMPLATES = Path(__file__).parent / "templates"


def html(pack: Pack) -> str:
    """The pack as one self-contained HTML page (stylesheet inlined, no scripts)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["params"] = _params
    env.filters["money"] = _money
    css = (TEMPLATES / "evidence.css").read_text(encoding="utf-8")
    return env.get_template("evidence.html").render(
        pack=pack, css=Markup(css), svg=Markup(pack.network.svg)
    )


def pdf(page: str, target: Path) -> None:
    """Lay out ``page`` (from ``html``) as a PDF at ``target``."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or its libraries are missing
        raise InvertError(
            f"cannot write a PDF here ({exc}); install weasyprint and the Debian packages "
            "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 (make system-packages), "
            "or ask for --format html"
        ) from exc
    HTML(string=page, base_url=str(TEMPLATES)).write_pdf(target)


def _params(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else "none"


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"
