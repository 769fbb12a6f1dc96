"""A folder of sources described by a ``sources.yml`` manifest: which files, which mappings.

Lets a whole delivery (a simulated region, or the files a bank and an inspectorate sent) be
ingested with one command, in the order the manifest lists them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from invert.errors import InvalidMapping

MANIFEST = "sources.yml"


def expand(folder: Path) -> list[tuple[Path, Path | None]]:
    """(file, mapping or None) for each source the folder's manifest lists."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise InvalidMapping(
            f"{folder} is a folder without a {MANIFEST}; give files, or write "
            f"a {MANIFEST} listing them (see the README)"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InvalidMapping(f"{path}: not valid YAML ({exc})") from exc
    problems: list[str] = []
    out: list[tuple[Path, Path | None]] = []
    for n, entry in enumerate(data.get("sources") or [], start=1):
        if not isinstance(entry, dict) or ("file" in entry) == ("glob" in entry):
            problems.append(f"sources[{n}]: give 'file' or 'glob', and optionally 'mapping'")
            continue
        mapping = Path(folder) / entry["mapping"] if entry.get("mapping") else None
        if mapping is not None and not mapping.is_file():
            problems.append(f"sources[{n}]: mapping {entry['mapping']} does not exist")
        if "file" in entry:
            file = Path(folder) / entry["file"]
            if not file.is_file():
                problems.append(f"sources[{n}]: file {entry['file']} does not exist")
            out.append((file, mapping))
        else:
            out.extend((p, mapping) for p in sorted(Path(folder).glob(entry["glob"])))
    if not out and not problems:
        problems.append("'sources' is empty")
    if problems:
        raise InvalidMapping(f"{path}: the manifest has {len(problems)} problem(s)", problems)
    return out
