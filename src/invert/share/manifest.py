"""``manifest.json``: what a package holds and how its pseudonyms were made, so a partner can
read it without asking and check that both sides used the same key."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from invert import __version__
from invert.share import pseudonyms
from invert.share.package import Options, Table
from invert.share.selection import Selection

FORMAT = "invert-share/1"

WITHHELD = [
    "names of persons and account holders (pseudonym 'name')",
    "birth dates (birth year kept; pseudonym 'name-birth' links name and date)",
    "phone numbers, e-mail addresses, messaging handles (pseudonyms)",
    "street addresses and postal codes (pseudonym 'address'; city and country kept)",
    "IBANs and account numbers (pseudonyms; the IBAN's country code kept)",
    "tax, identity-card and passport numbers (pseudonym 'personal-number')",
    "payment purpose texts, bank references and names as written on payments",
    "value texts of indicator hits and lead reasons",
    "workspace entity ids (pseudonym per entity; not linkable across packages)",
]


def build(
    tables: dict[Table, tuple[int, list[str]]],
    options: Options,
    selection: Selection,
    entity_pseudonym: str | None,
    fingerprint: str,
) -> dict[str, Any]:
    """The manifest of a package whose ``tables`` were written with these rows and columns."""
    return {
        "format": FORMAT,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "software": "invert",
        "invert_version": __version__,
        "pseudonyms": {
            "scheme": "HMAC-SHA256(key, label + ':' + normalised value), first "
            f"{pseudonyms.HEX_DIGITS} hex digits, prefixed by the kind",
            "key_fingerprint": fingerprint,
            "key_fingerprint_method": "first 8 hex digits of SHA-256 of the key",
            "values": {
                label: {"prefix": prefix, "value": what}
                for label, (prefix, what) in pseudonyms.VALUES.items()
            },
            "entities": {
                "label": "entity (over the workspace id; differs between workspaces)",
                "prefixes": pseudonyms.ENTITIES,
            },
        },
        "selection": {
            "list": selection.lead_list if selection.top is not None else None,
            "top": selection.top,
            "entity": entity_pseudonym,
            "hops": None if selection.everything else selection.hops,
        },
        "options": {"company_names": options.company_names},
        "tables": {
            t.name: {
                "file": f"{t.name}.parquet",
                "rows": rows,
                "columns": columns,
                "description": t.description,
            }
            for t, (rows, columns) in tables.items()
        },
        "withheld": WITHHELD,
    }
