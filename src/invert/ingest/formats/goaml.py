"""goAML XML reports (the UNODC format most European FIUs receive STRs in).

One row per ``<transaction>``: the report's own fields, then the two sides. Each side is
``t_from_my_client``/``t_from`` and ``t_to_my_client``/``t_to``, holding an account (with its
holder: a signatory person or an entity), a person, or an entity. Transactions are streamed, so
a report with a hundred thousand transactions does not have to fit in memory as a tree.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from invert.errors import InvalidData
from invert.ingest.formats import Parsed, rows_to_table

REPORT_FIELDS = {
    "rentity_id": "rentity_id",
    "report_code": "report_code",
    "entity_reference": "report_ref",
    "submission_date": "submission_date",
    "currency_code_local": "local_currency",
    "reason": "reason",
    "action": "action",
}
PARTY_FIELDS = [
    "account_iban",
    "account_number",
    "account_name",
    "account_institution",
    "account_swift",
    "account_currency",
    "person_first_name",
    "person_last_name",
    "person_birthdate",
    "person_ssn",
    "person_id_number",
    "person_passport",
    "person_nationality",
    "person_phone",
    "person_email",
    "person_address",
    "entity_name",
    "entity_incorporation_number",
    "entity_country",
    "country",
    "funds_code",
]
TX_FIELDS = [
    "transactionnumber",
    "internal_ref_number",
    "transaction_location",
    "transaction_description",
    "date_transaction",
    "value_date",
    "transmode_code",
    "amount_local",
]
COLUMNS = [
    *REPORT_FIELDS.values(),
    "indicators",
    *TX_FIELDS,
    *(f"from_{f}" for f in PARTY_FIELDS),
    *(f"to_{f}" for f in PARTY_FIELDS),
]


def parse(path: Path) -> Parsed:
    rows: list[dict[str, str | int | None]] = []
    report: dict[str, str | None] = {}
    root: etree._Element | None = None
    try:
        for event, elem in etree.iterparse(str(path), events=("start", "end"), huge_tree=True):
            if event == "start":
                if root is None:
                    root = elem
                continue
            tag = etree.QName(elem).localname
            if elem.getparent() is root and tag in REPORT_FIELDS:
                report[REPORT_FIELDS[tag]] = (elem.text or "").strip() or None
            elif tag == "transaction" and elem.getparent() is root:
                rows.append(_transaction(elem, report))
                elem.clear(keep_tail=False)
            elif tag == "report_indicators" and elem.getparent() is root:
                codes = [(i.text or "").strip() for i in elem.iter() if i is not elem and i.text]
                report["indicators"] = ";".join(c for c in codes if c) or None
    except etree.XMLSyntaxError as exc:
        raise InvalidData(
            f"{path.name}: broken XML at line {exc.lineno}: {exc.msg}; "
            "nothing was ingested (is the file complete?)"
        ) from exc
    if root is None or etree.QName(root).localname != "report":
        raise InvalidData(f"{path.name}: not a goAML report (the root element is not <report>)")
    for row in rows:  # fields after the transactions (indicators) belong to every row
        row.update({k: v for k, v in report.items() if row.get(k) is None})
    return Parsed(rows_to_table(COLUMNS, rows))


def _text(elem: etree._Element | None, path: str) -> str | None:
    if elem is None:
        return None
    found = elem.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _transaction(tx: etree._Element, report: dict[str, str | None]) -> dict[str, str | int | None]:
    _strip_namespaces(tx)
    row: dict[str, str | int | None] = {"source_row": tx.sourceline or 0, **report}
    for name in TX_FIELDS:
        row[name] = _text(tx, name)
    for side in ("from", "to"):
        node = tx.find(f"t_{side}_my_client")
        if node is None:
            node = tx.find(f"t_{side}")
        row.update({f"{side}_{k}": v for k, v in _party(node, side).items()})
    return row


def _party(node: etree._Element | None, side: str) -> dict[str, str | None]:
    out: dict[str, str | None] = dict.fromkeys(PARTY_FIELDS)
    if node is None:
        return out
    out["country"] = _text(node, f"{side}_country")
    out["funds_code"] = _text(node, f"{side}_funds_code")
    account = node.find(f"{side}_account")
    person = node.find(f"{side}_person")
    entity = node.find(f"{side}_entity")
    if account is not None:
        out.update(
            {
                "account_iban": _text(account, "iban"),
                "account_number": _text(account, "account"),
                "account_name": _text(account, "account_name"),
                "account_institution": _text(account, "institution_name"),
                "account_swift": _text(account, "swift"),
                "account_currency": _text(account, "currency_code"),
            }
        )
        person = account.find("signatory/t_person") if person is None else person
        entity = account.find("t_entity") if entity is None else entity
    if person is not None:
        out.update(
            {
                "person_first_name": _text(person, "first_name"),
                "person_last_name": _text(person, "last_name"),
                "person_birthdate": _text(person, "birthdate"),
                "person_ssn": _text(person, "ssn"),
                "person_id_number": _text(person, "id_number"),
                "person_passport": _text(person, "passport_number"),
                "person_nationality": _text(person, "nationality1"),
                "person_phone": _text(person, "phones/phone/tph_number"),
                "person_email": _text(person, "email"),
                "person_address": _address(person.find("addresses/address")),
            }
        )
    if entity is not None:
        out.update(
            {
                "entity_name": _text(entity, "name"),
                "entity_incorporation_number": _text(entity, "incorporation_number"),
                "entity_country": _text(entity, "incorporation_country_code"),
            }
        )
    return out


def _address(node: etree._Element | None) -> str | None:
    if node is None:
        return None
    parts = [_text(node, f) for f in ("address", "town", "zip", "country_code")]
    return ", ".join(p for p in parts if p) or None


def _strip_namespaces(elem: etree._Element) -> None:
    """goAML files come with and without a namespace; compare local names only."""
    for node in elem.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = etree.QName(node).localname
