"""ISO 20022 camt.053 bank-to-customer statements, streamed with lxml.

One row per transaction: an entry with several transaction details (a batch) gives one row per
detail. The direction is resolved here: for a debit the statement's account pays the
counterparty, for a credit the counterparty pays it.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from invert.errors import InvalidData
from invert.ingest.formats import Parsed, rows_to_table

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


def parse(path: Path) -> Parsed:
    rows: list[dict[str, str | int | None]] = []
    ns = ""
    statement: etree._Element | None = None
    account: dict[str, str | None] = {}
    statement_id: str | None = None
    try:
        for _event, ntry in etree.iterparse(
            str(path), events=("end",), tag="{*}Ntry", huge_tree=True
        ):
            stmt = ntry.getparent()
            if stmt is not statement:
                # The statement's Id and Acct come before its entries, so they are parsed by now.
                statement, ns = stmt, etree.QName(ntry).namespace or ""
                statement_id = _text(stmt, ns, "Id")
                acct = stmt.find(_q(ns, "Acct"))
                account = _account(acct, ns) if acct is not None else {}
            rows.extend(_entry(ntry, ns, account, statement_id))
            ntry.clear(keep_tail=False)
            while (
                ntry.getprevious() is not None
                and etree.QName(ntry.getprevious()).localname == "Ntry"
            ):
                del stmt[stmt.index(ntry.getprevious())]
    except etree.XMLSyntaxError as exc:
        raise InvalidData(
            f"{path.name}: broken XML at line {exc.lineno}: {exc.msg}; "
            "nothing was ingested (is the file complete?)"
        ) from exc
    if not rows:
        ns = _root_namespace(path)
    if not ns.startswith("urn:iso:std:iso:20022:tech:xsd:camt.053"):
        raise InvalidData(f"{path.name}: not a camt.053 statement (namespace '{ns}')")
    return Parsed(rows_to_table(COLUMNS, rows))


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


def _party(tx: etree._Element, ns: str, role: str) -> dict[str, str | None]:
    """Debtor or creditor of one transaction (camt.053 versions 2 to 10 nest names differently)."""
    return {
        "name": _text(tx, ns, f"RltdPties/{role}/Nm") or _text(tx, ns, f"RltdPties/{role}/Pty/Nm"),
        "iban": _text(tx, ns, f"RltdPties/{role}Acct/Id/IBAN"),
        "account": _text(tx, ns, f"RltdPties/{role}Acct/Id/Othr/Id"),
        "bic": _text(tx, ns, f"RltdAgts/{role}Agt/FinInstnId/BIC")
        or _text(tx, ns, f"RltdAgts/{role}Agt/FinInstnId/BICFI"),
    }


def _entry(
    ntry: etree._Element, ns: str, account: dict[str, str | None], statement_id: str | None
) -> list[dict[str, str | int | None]]:
    amt = ntry.find(_q(ns, "Amt"))
    direction = _text(ntry, ns, "CdtDbtInd")
    details = ntry.findall(_q(ns, "NtryDtls/TxDtls")) or [None]
    rows = []
    for tx in details:
        scope = tx if tx is not None else ntry
        tx_amt = tx.find(_q(ns, "Amt")) if tx is not None else None
        amount = tx_amt if tx_amt is not None and len(details) > 1 else amt
        family = _text(ntry, ns, "BkTxCd/Domn/Fmly/SubFmlyCd")
        code = "/".join(
            filter(
                None,
                [_text(ntry, ns, "BkTxCd/Domn/Cd"), _text(ntry, ns, "BkTxCd/Domn/Fmly/Cd"), family],
            )
        ) or _text(ntry, ns, "BkTxCd/Prtry/Cd")
        debtor, creditor = _party(scope, ns, "Dbtr"), _party(scope, ns, "Cdtr")
        own = {
            "iban": account.get("iban"),
            "account": account.get("account"),
            "name": account.get("name"),
            "bic": account.get("bic"),
        }
        payer, beneficiary = (own, creditor) if direction == "DBIT" else (debtor, own)
        purpose = " ".join(t.text.strip() for t in scope.iter(f"{{{ns}}}Ustrd") if t.text) or _text(
            ntry, ns, "AddtlNtryInf"
        )
        row: dict[str, str | int | None] = {
            "source_row": (tx.sourceline if tx is not None else ntry.sourceline) or 0,
            "statement_id": statement_id,
            "entry_ref": _text(ntry, ns, "NtryRef"),
            "direction": direction,
            "amount": amount.text.strip() if amount is not None and amount.text else None,
            "currency": amount.get("Ccy") if amount is not None else account.get("currency"),
            "booking_date": _text(ntry, ns, "BookgDt/Dt") or _text(ntry, ns, "BookgDt/DtTm"),
            "value_date": _text(ntry, ns, "ValDt/Dt") or _text(ntry, ns, "ValDt/DtTm"),
            "bank_ref": (_text(scope, ns, "Refs/AcctSvcrRef") if tx is not None else None)
            or _text(ntry, ns, "AcctSvcrRef"),
            "end_to_end": _text(scope, ns, "Refs/EndToEndId") if tx is not None else None,
            "bank_code": code,
            "channel": CHANNELS.get(family or "", "wire"),
            "purpose": purpose,
        }
        for side, party in (("payer", payer), ("beneficiary", beneficiary)):
            for key in ("iban", "account", "name", "bic"):
                row[f"{side}_{key}"] = party.get(key)
        rows.append(row)
    return rows
