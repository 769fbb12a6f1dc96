"""Keyed pseudonyms: HMAC-SHA256 over ``label:value``, truncated, with a prefix per kind.

A pseudonym is ``PREFIX-`` and the first 16 hex digits (64 bits) of
``HMAC-SHA256(key, label + ":" + value)``, where ``value`` is the normalised value the
workspace already keeps (``name_key``, the E.164 phone, the IBAN without spaces...). The
normalisation is what makes a name written ``Marinescu Ion`` in one country and ``ION
MARINESCU`` in another give one pseudonym; the label keeps kinds apart, so a phone number never
meets an IBAN or a tax number with the same digits. Without the key, a pseudonym cannot be
recomputed from a guessed name, which a plain hash could.

The HMAC runs inside DuckDB (``install``): ``sha256`` over BLOBs with the two padded keys held
in session variables, never in a table or in the text of a query, so the key stays in memory
and one pass over the data costs two vectorised hashes per value instead of a Python call per
row. ``pseudonym`` is the same function in Python, for tests and for partners who want to
look one value up.
"""

from __future__ import annotations

import hashlib
import hmac

import duckdb

HEX_DIGITS = 16  # 64 bits: no collision to expect below billions of distinct values
BLOCK = 64  # SHA-256 block size in bytes

# Linkable values: label -> (prefix, what the value is). The same label and value give the same
# pseudonym in every package made with the same key.
VALUES: dict[str, tuple[str, str]] = {
    "name": (
        "N",
        "a person's or account holder's name key (tokens sorted, lower case, no accents)",
    ),
    "name-birth": ("NB", "a name key, '|' and the birth date (YYYY-MM-DD)"),
    "phone": ("PH", "a phone number in international form (+CC...)"),
    "email": ("E", "an e-mail address in lower case"),
    "address": ("L", "an address key (the normalised full address)"),
    "handle": ("H", "a messaging handle found in an ad"),
    "iban": ("IB", "an IBAN without spaces"),
    "account-number": ("AN", "an account number without an IBAN, letters and digits only"),
    "personal-number": ("ID", "a tax, identity-card or passport number, letters and digits only"),
    "registration": ("CR", "a company registration number, letters and digits only"),
    "vat": ("VAT", "a VAT number, letters and digits only"),
    "company-name": ("CN", "a company's name key"),
}
# Entities: label 'entity' over the workspace id; the prefix says which table the id is from.
# Workspace ids are digests of the source keys (a name and a birth date), so they are never
# shown as they are: a digest of guessable values can be reversed by guessing.
ENTITIES: dict[str, str] = {
    "person": "P",
    "company": "C",
    "bank_account": "A",
    "transaction": "T",
    "wage_payment": "W",
    "employment": "EM",
    "address": "D",
    "ad": "AD",
    "report": "R",
    "residence": "RS",
    "directorship": "DR",
    "ownership": "OW",
    "inspection": "IN",
    "outcome": "OC",
}
OTHER_ENTITY = "X"


def pseudonym(key: bytes, label: str, value: str) -> str:
    """The pseudonym of one value, as the SQL macros compute it."""
    prefix = VALUES[label][0] if label in VALUES else OTHER_ENTITY
    digest = hmac.new(key, f"{label}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:HEX_DIGITS]}"


def entity_pseudonym(key: bytes, entity_id: str) -> str:
    """The pseudonym of a workspace entity id (``person-3f9a...`` -> ``P-...``)."""
    prefix = ENTITIES.get(entity_id.split("-", 1)[0], OTHER_ENTITY)
    digest = hmac.new(key, f"entity:{entity_id}".encode(), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:HEX_DIGITS]}"


def padded_keys(key: bytes) -> tuple[bytes, bytes]:
    """The inner and outer padded keys of HMAC (RFC 2104)."""
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def install(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """Define on ``con`` the macros ``share_value(label, value)``, ``share_entity(id)`` and
    ``share_node(node)`` (a graph node: an entity id or ``kind:value``); NULL stays NULL."""
    inner, outer = padded_keys(key)
    con.execute("SET VARIABLE share_ipad = ?", [inner])
    con.execute("SET VARIABLE share_opad = ?", [outer])
    con.execute(f"""CREATE OR REPLACE TEMP MACRO share_hmac(msg) AS left(sha256(
        getvariable('share_opad') || unhex(sha256(getvariable('share_ipad') || encode(msg)))),
        {HEX_DIGITS})""")
    prefixes = " ".join(f"WHEN '{label}' THEN '{p}'" for label, (p, _) in VALUES.items())
    con.execute(f"""CREATE OR REPLACE TEMP MACRO share_value(label, v) AS
        CASE WHEN v IS NOT NULL AND v::VARCHAR <> '' THEN
            (CASE label {prefixes} ELSE '{OTHER_ENTITY}' END) || '-'
            || share_hmac(label || ':' || v::VARCHAR) END""")
    tables = " ".join(f"WHEN '{t}' THEN '{p}'" for t, p in ENTITIES.items())
    con.execute(f"""CREATE OR REPLACE TEMP MACRO share_entity(id) AS
        CASE WHEN id IS NOT NULL THEN
            (CASE split_part(id, '-', 1) {tables} ELSE '{OTHER_ENTITY}' END) || '-'
            || share_hmac('entity:' || id) END""")
    con.execute("""CREATE OR REPLACE TEMP MACRO share_node(node) AS
        CASE WHEN regexp_matches(node, '^(address|phone|email|handle):')
             THEN share_value(split_part(node, ':', 1), substr(node, strpos(node, ':') + 1))
             ELSE share_entity(node) END""")


def forget(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the padded keys from the session once the package is written."""
    con.execute("RESET VARIABLE share_ipad")
    con.execute("RESET VARIABLE share_opad")
