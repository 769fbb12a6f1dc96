"""The browser libraries the pages load, served from the repository's ``node_modules``.

They are installed from the npm registry by ``make setup`` (pinned in ``package-lock.json``)
and never copied into the repository. Only the files named in ``FILES`` are served, so nothing
else under ``node_modules`` is reachable. Like the stylesheet they need no login: they hold
library code, no case data. ``INVERT_WEB_NODE_MODULES`` points elsewhere when the package is
installed outside a checkout.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

log = logging.getLogger(__name__)
router = APIRouter()

NODE_MODULES_VARIABLE = "INVERT_WEB_NODE_MODULES"
# URL name → path inside node_modules.
FILES = {
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
}
MISSING = "The browser library {name} is missing from {folder}: run make setup (npm ci)."


def node_modules() -> Path:
    configured = os.environ.get(NODE_MODULES_VARIABLE)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "node_modules"


def missing() -> list[str]:
    """The allowed files that are not installed, each as a line saying what to do."""
    folder = node_modules()
    return [
        MISSING.format(name=name, folder=folder)
        for name, rel in FILES.items()
        if not (folder / rel).is_file()
    ]


def warn_if_missing() -> None:
    for line in missing():
        log.warning(line)


@router.get("/vendor/{name}")
def vendor_file(name: str) -> FileResponse:
    if name not in FILES:
        raise HTTPException(404, f"No browser library {name}.")
    path = node_modules() / FILES[name]
    if not path.is_file():
        message = MISSING.format(name=name, folder=node_modules())
        log.error(message)
        raise HTTPException(503, message)
    return FileResponse(path, media_type="text/javascript")
