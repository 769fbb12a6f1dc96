"""ISO 20022 camt.053 bank-to-customer statements, streamed with lxml.

One row per transaction: an entry with several transaction details (a batch) gives one row per
detail. The direction is resolved here: for a debit the statement's account pays the
counterparty, for a credit the counterparty pays it.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from lxml import etree

from invert.errors import InvalidData
from invert.ingest.formats import Parsed

COLUMNS = [
    "statement_id",
    "entry_ref",
    "direction",
    "amount",
    "currency",
    "booking_date",
    "value_date",
    "bank_ref",
    "end_to_end",
    "bank_code",
    "channel",
    "purpose",
    "payer_iban",
    "payer_account",
    "payer_name",
    "payer_bic",
    "beneficiary_iban",
    "beneficiary_account",
    "beneficiary_name",
    "beneficiary_bic",
]
# ISO bank transaction sub-family codes that say how money moved.
CHANNELS = {
    "CWDL": "atm",
    "CDPT": "cash",
    "CCRD": "card",
    "POSD": "card",
    "POSC": "card",
    "SMRT": "card",
    "XBCW": "atm",
    "CHQ": "cheque",
    "BCHQ": "cheque",
}


# Leaf elements an entry is read from; everything else is skipped in the single pass.
LEAVES = {
    "NtryRef",
    "Amt",
    "CdtDbtInd",
    "Dt",
    "DtTm",
    "AcctSvcrRef",
    "EndToEndId",
    "Cd",
    "SubFmlyCd",
    "Nm",
    "IBAN",
    "Id",
    "BIC",
    "BICFI",
    "Ustrd",
    "AddtlNtryInf",
}
PARTIES = {
    "Dbtr": "Dbtr",
    "Cdtr": "Cdtr",
    "DbtrAcct": "Dbtr",
    "CdtrAcct": "Cdtr",
    "DbtrAgt": "Dbtr",
    "CdtrAgt": "Cdtr",
}


def parse(path: Path) -> Parsed:
    """Stream the statements entry by entry; memory stays flat however long the file."""
    columns: dict[str, list[str | None]] = {c: [] for c in COLUMNS}
    lines: list[int] = []
    ns = ""
    statement: etree._Element | None = None
    account: dict[str, str | None] = {}
    statement_id: str | None = None
    local: dict[str, str] = {}
    try:
        for _event, ntry in etree.iterparse(
            str(path), events=("end",), tag="{*}Ntry", huge_tree=True
        ):
            stmt = ntry.getparent()
            if stmt is not statement:
                # The statement's Id and Acct come before its entries, so they are parsed by now.
                statement, ns = stmt, etree.QName(ntry).namespace or ""
                local = {
                    f"{{{ns}}}{name}" if ns else name: name
                    for name in LEAVES
                    | {
                        "TxDtls",
                        *PARTIES,
                        "Pty",
                        "Othr",
                        "FinInstnId",
                        "BookgDt",
                        "ValDt",
                        "Domn",
                        "Fmly",
                        "Prtry",
                        "Refs",
                        "Sts",
                        "Bal",
                    }
                }
                statement_id = _text(stmt, ns, "Id")
                acct = stmt.find(_q(ns, "Acct"))
                account = _account(acct, ns) if acct is not None else {}
            for row, line in _entry(ntry, local, account, statement_id):
                lines.append(line)
                for col in COLUMNS:
                    columns[col].append(row.get(col))
            ntry.clear(keep_tail=False)
            while (prev := ntry.getprevious()) is not None:
                del stmt[0]
                if prev is stmt[0]:
                    break
    except etree.XMLSyntaxError as exc:
        raise InvalidData(
            f"{path.name}: broken XML at line {exc.lineno}: {exc.msg}; "
            "nothing was ingested (is the file complete?)"
        ) from exc
    if not lines:
        ns = _root_namespace(path)
    if not ns.startswith("urn:iso:std:iso:20022:tech:xsd:camt.053"):
        raise InvalidData(f"{path.name}: not a camt.053 statement (namespace '{ns}')")
    table = pa.table(
        {
            "source_row": pa.array(lines, pa.int64()),
            **{c: pa.array(v, pa.string()) for c, v in columns.items()},
        }
    )
    return Parsed(table)


def _root_namespace(path: Path) -> str:
    for _event, root in etree.iterparse(str(path), events=("start",)):
        return etree.QName(root).namespace or ""
    return ""


def _q(ns: str, path: str) -> str:
    return "/".join(f"{{{ns}}}{part}" if part and part != "." else part for part in path.split("/"))


def _text(elem: etree._Element, ns: str, path: str) -> str | None:
    found = elem.find(_q(ns, path))
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _account(acct: etree._Element, ns: str) -> dict[str, str | None]:
    return {
        "iban": _text(acct, ns, "Id/IBAN"),
        "account": _text(acct, ns, "Id/Othr/Id"),
        "name": _text(acct, ns, "Ownr/Nm"),
        "bic": _text(acct, ns, "Svcr/FinInstnId/BIC") or _text(acct, ns, "Svcr/FinInstnId/BICFI"),
        "currency": _text(acct, ns, "Ccy"),
    }


def _entry(
    ntry: etree._Element,
    local: dict[str, str],
    account: dict[str, str | None],
    statement_id: str | None,
) -> list[tuple[dict[str, str | None], int]]:
    """One pass over an entry's elements; a batch entry gives one row per transaction detail."""
    entry: dict[str, str | None] = {}
    details: list[dict[str, str | None]] = []
    starts: list[int] = []
    purposes: list[list[str]] = [[]]
    field = entry
    for el in ntry.iterdescendants():
        name = local.get(el.tag)  # type: ignore[arg-type]
        if name is None:
            continue
        if name == "TxDtls":
            field = {}
            details.append(field)
            starts.append(el.sourceline or 0)
            purposes.append([])
            continue
        if name not in LEAVES or el.text is None:
            continue
        text = el.text.strip()
        parent = local.get(el.getparent().tag, "")  # type: ignore[union-attr, arg-type]
        if name == "Ustrd":
            purposes[-1].append(text)
        elif name == "Amt":
            field["amount"], field["currency"] = text, el.get("Ccy")
        elif name in ("Dt", "DtTm") and parent in ("BookgDt", "ValDt"):
            field.setdefault("booking_date" if parent == "BookgDt" else "value_date", text)
        elif name == "Cd" and parent in ("Domn", "Fmly", "Prtry"):
            field[f"code_{parent}"] = text
        elif name == "SubFmlyCd":
            field["code_Sub"] = text
        elif name in ("Nm", "IBAN", "Id", "BIC", "BICFI"):
            side = _party_side(el, local)
            if side and not (name == "Id" and parent != "Othr"):
                key = {"Nm": "name", "IBAN": "iban", "Id": "account"}.get(name, "bic")
                field.setdefault(f"{side}_{key}", text)
        elif name in ("NtryRef", "CdtDbtInd", "AcctSvcrRef", "EndToEndId", "AddtlNtryInf"):
            entry[name] = text if name == "AddtlNtryInf" else entry.get(name, text)
            if field is not entry:
                field[name] = text
    direction = entry.get("CdtDbtInd")
    code = "/".join(
        filter(None, [entry.get("code_Domn"), entry.get("code_Fmly"), entry.get("code_Sub")])
    ) or entry.get("code_Prtry")
    own = {
        "iban": account.get("iban"),
        "account": account.get("account"),
        "name": account.get("name"),
        "bic": account.get("bic"),
    }
    out = []
    batch = len(details) > 1
    for k, tx in enumerate(details or [entry]):
        amount_from = tx if batch and tx.get("amount") else entry
        debtor = {key: tx.get(f"Dbtr_{key}") for key in ("iban", "account", "name", "bic")}
        creditor = {key: tx.get(f"Cdtr_{key}") for key in ("iban", "account", "name", "bic")}
        payer, beneficiary = (own, creditor) if direction == "DBIT" else (debtor, own)
        purpose = " ".join(purposes[k + 1] if details else purposes[0]) or entry.get("AddtlNtryInf")
        row: dict[str, str | None] = {
            "statement_id": statement_id,
            "entry_ref": entry.get("NtryRef"),
            "direction": direction,
            "amount": amount_from.get("amount"),
            "currency": amount_from.get("currency") or account.get("currency"),
            "booking_date": entry.get("booking_date"),
            "value_date": entry.get("value_date"),
            "bank_ref": (tx.get("AcctSvcrRef") if details else None) or entry.get("AcctSvcrRef"),
            "end_to_end": tx.get("EndToEndId") if details else None,
            "bank_code": code,
            "channel": CHANNELS.get(entry.get("code_Sub") or "", "wire"),
            "purpose": purpose,
        }
        for side, party in (("payer", payer), ("beneficiary", beneficiary)):
            for key in ("iban", "account", "name", "bic"):
                row[f"{side}_{key}"] = party.get(key)
        out.append((row, starts[k] if details else (ntry.sourceline or 0)))
    return out


def _party_side(el: etree._Element, local: dict[str, str]) -> str | None:
    """Dbtr or Cdtr when a leaf sits inside a debtor or creditor block (within 4 levels)."""
    node = el.getparent()
    for _ in range(4):
        if node is None:
            return None
        name = local.get(node.tag)  # type: ignore[arg-type]
        if name in PARTIES:
            return PARTIES[name]
        if name == "TxDtls":
            return None
        node = node.getparent()
    return None
