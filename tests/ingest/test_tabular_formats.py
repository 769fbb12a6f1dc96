"""Excel, Parquet and JSON Lines through mapping files, on files written by the real libraries."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from helpers import query, snapshot
from invert.errors import InvalidData, InvalidMapping
from invert.ingest.load import ingest

INSPECTION_MAPPING = """
name: inspections
region: IT
entities:
  site:
    type: Company
    keys: [vat]
    properties:
      name: company
      vatCode: vat
  visit:
    type: Inspection
    keys: [case_no]
    properties:
      employer: {entity: site}
      date: visited
      summary: findings
      workersObserved: workers
"""


def _workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "Ispezioni"
    sheet.append(["Inspectorate export 2024"])  # a title line above the header
    sheet.append(["case_no", "company", "vat", "visited", "workers", "findings"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_xlsx_with_dates_numbers_and_a_title_row(ws, tmp_path):
    mapping = tmp_path / "inspections.yml"
    mapping.write_text(INSPECTION_MAPPING + "read: {sheet: Ispezioni, skip_rows: 1}\n")
    path = tmp_path / "ispezioni.xlsx"
    _workbook(
        path,
        [
            [
                "ISP-1",
                "Agricola Sole srl",
                "IT01234567890",
                dt.datetime(2024, 7, 3),
                14,
                "14 braccianti senza contratto",
            ],
            [None, None, None, None, None, None],
            [
                "ISP-2",
                "Campi Verdi sas",
                "IT09876543210",
                dt.date(2024, 8, 12),
                "quattordici",
                None,
            ],
            [
                "ISP-3",
                "Agricola Sole srl",
                "IT01234567890",
                "2024-09-01",
                9.0,
                "alloggio sovraffollato",
            ],
        ],
    )
    r = ingest(ws, path, mapping)
    assert (r.read, r.loaded, r.quarantined) == (3, 2, 1)
    assert query(ws, "SELECT date, workersObserved, source_row FROM inspection ORDER BY date") == [
        (dt.date(2024, 7, 3), 14, 3),
        (dt.date(2024, 9, 1), 9, 6),
    ]
    # Excel row numbers, as the user sees them in the spreadsheet.
    assert query(ws, "SELECT source_row, field FROM quarantine") == [(5, "workers")]
    assert query(ws, "SELECT count(*) FROM company") == [(1,)]


def test_xlsx_missing_sheet_is_named(ws, tmp_path):
    mapping = tmp_path / "inspections.yml"
    mapping.write_text(INSPECTION_MAPPING + "read: {sheet: Controlli}\n")
    path = tmp_path / "ispezioni.xlsx"
    _workbook(path, [])
    with pytest.raises(
        InvalidData, match=r"ispezioni\.xlsx: no sheet named 'Controlli'.*Ispezioni"
    ):
        ingest(ws, path, mapping)


def test_parquet_rows_keep_their_file_order_numbers(ws, tmp_path):
    mapping = tmp_path / "inspections.yml"
    mapping.write_text(INSPECTION_MAPPING)
    path = tmp_path / "inspections.parquet"
    pq.write_table(
        pa.table(
            {
                "case_no": ["A", "B", "C"],
                "company": ["X srl", "Y srl", "X srl"],
                "vat": ["IT1", "IT2", "IT1"],
                "visited": ["2024-01-02", "2024-13-02", "2024-03-04"],
                "workers": [3, 4, 5],
                "findings": [None, "ok", "no contracts"],
            }
        ),
        path,
    )
    r = ingest(ws, path, mapping)
    assert (r.read, r.loaded, r.quarantined) == (3, 2, 1)
    assert query(ws, "SELECT source_row, field FROM quarantine") == [(2, "visited")]
    assert query(ws, "SELECT workersObserved FROM inspection ORDER BY source_row") == [(3,), (5,)]


def test_jsonl_nested_fields_and_broken_lines(ws, tmp_path):
    mapping = tmp_path / "ads.yml"
    mapping.write_text("""
name: ads
entities:
  ad:
    type: Ad
    keys: [url]
    properties:
      url: url
      title: title
      body: text
      platform: {constant: jobs.example}
      postedAt: posted
      phone: contact.phone
      offeredWage: {column: pay.amount}
""")
    lines = [
        {
            "url": "https://jobs.example/1",
            "title": "Culegători căpșuni Spania",
            "text": "Cazare gratuită",
            "posted": "2024-03-01T08:00:00",
            "contact": {"phone": "+40 744 555 010"},
            "pay": {"amount": 1800},
        },
        "this is not JSON",
        {
            "url": "https://jobs.example/2",
            "title": "Pakowacz",
            "text": "Praca od zaraz",
            "posted": "2024-03-02T09:30:00",
            "contact": {"phone": None},
            "pay": {"amount": 12.5},
        },
    ]
    path = tmp_path / "ads.jsonl"
    path.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) if isinstance(x, dict) else x for x in lines)
        + "\n"
    )
    r = ingest(ws, path, mapping)
    assert (r.read, r.loaded, r.quarantined) == (3, 2, 1)
    rows = query(ws, "SELECT title, phone, offeredWage, source_row FROM ad ORDER BY 4")
    assert rows == [
        ("Culegători căpșuni Spania", "+40744555010", Decimal("1800.00"), 1),
        ("Pakowacz", None, Decimal("12.50"), 3),
    ]
    row, _field, reason, raw = query(ws, "SELECT source_row, field, reason, raw FROM quarantine")[0]
    assert row == 2 and "JSON" in reason and json.loads(raw) == "this is not JSON"


def test_mapping_problems_are_all_reported_before_reading(ws, tmp_path, samples):
    mapping = tmp_path / "bad.yml"
    mapping.write_text("""
name: bad
delimeter: ";"
entities:
  worker:
    type: Persn
    keys: [id]
  job:
    type: Employment
    keys: [id]
    properties:
      employee: {entity: nobody}
      wage: {column: pay, decimal: ";"}
      hours: weekly_hours
""")
    before = snapshot(ws)
    with pytest.raises(InvalidMapping) as exc:
        ingest(ws, samples / "payroll.csv", mapping)
    problems = "\n".join(exc.value.problems)
    assert "bad.yml" in exc.value.message
    for expected in (
        "unknown field 'delimeter'",
        "unknown entity type 'Persn'",
        "Employment has no property 'hours'",
        "requires property 'employer'",
        "refers to entity 'nobody'",
        "decimal must be",
    ):
        assert expected in problems, expected
    assert snapshot(ws) == before


def test_repeated_payments_stay_distinct_and_ids_ignore_row_order(ws, tmp_path):
    """Two equal card payments on one day are two facts; their ids do not depend on order."""
    mapping = tmp_path / "card.yml"
    mapping.write_text("""
name: card
decimal: ","
entities:
  account:
    type: BankAccount
    keys: [iban]
    properties: {iban: iban, holderName: holder}
  payment:
    type: Transaction
    keys: [iban, day, amount]
    properties:
      payerAccount: {entity: account}
      payerName: holder
      amount: amount
      date: day
      channel: {constant: card}
""")
    rows = [
        "NL91ABNA0417164300;I. Marinescu;2024-11-05;12,50",
        "NL91ABNA0417164300;I. Marinescu;2024-11-05;12,50",
        "NL91ABNA0417164300;I. Marinescu;2024-11-06;12,50",
    ]
    ids = []
    for k, order in enumerate([rows, list(reversed(rows))]):
        path = tmp_path / f"card{k}.csv"
        path.write_text("iban;holder;day;amount\n" + "\n".join(order) + "\n")
        ingest(ws, path, mapping, name="card")
        ids.append(sorted(r[0] for r in query(ws, 'SELECT id FROM "transaction"')))
        assert query(ws, "SELECT count(*) FROM bank_account") == [(1,)]
    assert len(set(ids[0])) == 3 and ids[0] == ids[1]
