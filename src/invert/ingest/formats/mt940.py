"""SWIFT MT940 customer statements.

The ``:61:`` statement line is read with the ``mt-940`` library's own pattern; the free-form
``:86:`` information is parsed here, because every bank structures it differently: German-style
``?NN`` sub-fields (?20–?29 purpose, ?31 account, ?32–?33 name) and slash-keyed codes
(/NAME/, /IBAN/, /BIC/, /REMI/, /EREF/, /CNTP/) are understood; anything else is purpose text.
A statement line that does not parse is rejected with its line number; the rest still loads.
"""

from __future__ import annotations

import re
from pathlib import Path

from mt940.tags import Statement

from invert.errors import InvalidData
from invert.ingest.formats import Parsed, Reject, rows_to_table

COLUMNS = [
    "statement_ref",
    "statement_account",
    "direction",
    "amount",
    "currency",
    "booking_date",
    "value_date",
    "bank_ref",
    "customer_ref",
    "bank_code",
    "channel",
    "purpose",
    "end_to_end",
    "payer_iban",
    "payer_account",
    "payer_name",
    "payer_bic",
    "beneficiary_iban",
    "beneficiary_account",
    "beneficiary_name",
    "beneficiary_bic",
]
TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
SUBFIELD = re.compile(r"\?(\d{2})")
SLASH_CODES = re.compile(r"/(NAME|IBAN|BIC|REMI|EREF|ORDP|BENM|CNTP|MARF|CSID|PURP|ADDR)/")
CHANNELS = {
    "NCHK": "cheque",
    "NCHG": "wire",
    "NTRF": "wire",
    "NCOM": "wire",
    "NDDT": "wire",
    "NSTO": "wire",
    "NMSC": "wire",
    "NCMI": "cash",
    "NCLR": "cash",
}
STATEMENT_LINE = Statement().re


def parse(path: Path) -> Parsed:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    tags = list(_tags(text.splitlines()))
    if not any(t == "20" for t, _v, _n in tags):
        raise InvalidData(f"{path.name}: no ':20:' statement header; not an MT940 statement")
    rows: list[dict[str, str | int | None]] = []
    rejects: list[Reject] = []
    account = currency = reference = None
    entry: dict[str, str | int | None] | None = None
    for tag, value, line in tags:
        if tag == "20":
            reference, account, entry = value.strip(), None, None
        elif tag == "25":
            account = value.strip()
        elif tag in ("60F", "60M") and len(value) >= 10:
            currency = value[7:10]
        elif tag == "61":
            entry = _statement_line(value, line, account, currency, reference, rejects)
            if entry is not None:
                rows.append(entry)
        elif tag == "86" and entry is not None:
            _details(entry, value)
            entry = None
    return Parsed(rows_to_table(COLUMNS, rows), rejects)


def _tags(lines: list[str]):  # type: ignore[no-untyped-def]
    """Yield (tag, value, line number); continuation lines join their tag's value."""
    current: list = []
    for number, line in enumerate(lines, start=1):
        match = TAG.match(line)
        if match:
            if current:
                yield current[0], "\n".join(current[1]), current[2]
            current = [match.group(1), [match.group(2)], number]
        elif line.strip() == "-" or line.startswith("{"):
            if current:
                yield current[0], "\n".join(current[1]), current[2]
            current = []
        elif current:
            current[1].append(line)
    if current:
        yield current[0], "\n".join(current[1]), current[2]


def _statement_line(
    value: str,
    line: int,
    account: str | None,
    currency: str | None,
    reference: str | None,
    rejects: list[Reject],
) -> dict[str, str | int | None] | None:
    match = STATEMENT_LINE.match(value)
    if match is None:
        rejects.append(
            (
                line,
                ":61:",
                "statement line does not follow the MT940 :61: layout "
                "(YYMMDD[MMDD]D/C amount type reference)",
                value,
            )
        )
        return None
    g = match.groupdict()
    debit = g["status"] in ("D", "RC")
    year = f"20{g['year']}"
    own_iban, own_account = (
        (account, None) if account and IBAN_SHAPE.match(account) else (None, account)
    )
    entry_date = None
    if (g.get("entry_month") or "").strip() and (g.get("entry_day") or "").strip():
        entry_date = f"{_entry_year(int(year), g['month'], g['entry_month'])}-"
        entry_date += f"{g['entry_month']}-{g['entry_day']}"
    row: dict[str, str | int | None] = {
        "source_row": line,
        "statement_ref": reference,
        "statement_account": account,
        "direction": "DBIT" if debit else "CRDT",
        "amount": g["amount"],
        "currency": currency,
        "value_date": f"{year}-{g['month']}-{g['day']}",
        "booking_date": entry_date or f"{year}-{g['month']}-{g['day']}",
        "bank_ref": (g.get("bank_reference") or "").strip() or None,
        "customer_ref": (g.get("customer_reference") or "").strip() or None,
        "bank_code": g.get("id"),
        "channel": CHANNELS.get((g.get("id") or "").upper(), "wire"),
    }
    side = "payer" if debit else "beneficiary"
    row[f"{side}_iban"], row[f"{side}_account"] = own_iban, own_account
    return row


def _entry_year(value_year: int, value_month: str, entry_month: str) -> int:
    """The booking (entry) date has no year: a value date of 31 December booked on 2 January
    was booked in the next year, and one of 2 January booked on 31 December in the previous."""
    gap = int(entry_month) - int(value_month)
    return value_year + (1 if gap < -6 else -1 if gap > 6 else 0)


def _details(entry: dict[str, str | int | None], value: str) -> None:
    """Parse :86: information into purpose and counterparty of the entry."""
    flat = value.replace("\n", "")
    party: dict[str, str | None] = {}
    purpose: list[str] = []
    if SUBFIELD.search(flat):
        parts = SUBFIELD.split(flat)
        for code, text in zip(parts[1::2], parts[2::2], strict=False):
            n = int(code)
            if 20 <= n <= 29 or 60 <= n <= 63:
                purpose.append(text)
            elif n == 30:
                party["bic"] = text or None
            elif n == 31:
                party["iban" if IBAN_SHAPE.match(text) else "account"] = text or None
            elif n in (32, 33):
                party["name"] = ((party.get("name") or "") + text) or None
    elif SLASH_CODES.search(flat):
        parts = SLASH_CODES.split(flat)
        for code, text in zip(parts[1::2], parts[2::2], strict=False):
            text = text.strip().strip("/")
            if code in ("NAME", "ORDP", "BENM"):
                party["name"] = text or None
            elif code == "IBAN":
                party["iban"] = text or None
            elif code == "BIC":
                party["bic"] = text or None
            elif code == "REMI":
                purpose.append(text)
            elif code == "EREF":
                entry["end_to_end"] = text or None
            elif code == "CNTP":  # account/BIC/name/city
                bits = [*text.split("/"), "", "", ""][:3]
                party["iban" if IBAN_SHAPE.match(bits[0]) else "account"] = bits[0] or None
                party["bic"], party["name"] = bits[1] or None, bits[2] or None
    else:
        purpose.append(flat)
    entry["purpose"] = " ".join(p.strip() for p in purpose if p.strip()) or None
    side = "beneficiary" if entry["direction"] == "DBIT" else "payer"
    for key in ("iban", "account", "name", "bic"):
        entry[f"{side}_{key}"] = party.get(key)
