"""A tiny case for the exports: two crews (firms, a boss, workers, their accounts and a
dwelling), an accountant's phone shared by every firm, a utility every worker pays, an ad with
the boss's phone, an ownership, a subcontract and a known account holder."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from helpers import Case
from invert.network import build

CREWS = {"a": ("A1", "A2"), "b": ("B1",)}
WORKERS = 3


@pytest.fixture
def graph_case(tmp_path: Path) -> Case:
    case = Case(tmp_path / "case")
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    rows["bank_account"].append({"id": "acc-utility", "iban": "NL91ABNA0417164300"})
    n = 2
    for crew, companies in CREWS.items():
        boss = f"boss-{crew}"
        rows["person"].append(
            {"id": boss, "name": f"Boss {crew.upper()}", "birthDate": "1970-03-01"}
        )
        rows["bank_account"].append(
            {"id": f"acc-{boss}", "iban": f"NL00BOSS000000000{crew}", "holder": boss}
        )
        rows["address"].append(
            {
                "id": f"dwelling-{crew}",
                "full": f"Street {crew} 1",
                "full_key": f"street {crew} 1",
                "city": "Utrecht",
                "owner": boss,
            }
        )
        for company in companies:
            rows["company"].append(
                {
                    "id": company,
                    "name": f"Firm {company}",
                    "phone": "+31201234567",
                    "registrationNumber": f"KVK-{company}",
                }
            )
            rows["directorship"].append(
                {"id": f"dir-{company}", "director": boss, "organization": company}
            )
        for i in range(WORKERS):
            worker, iban = f"w-{crew}{i}", f"NL00WORK00000000{crew}{i}"
            employer = companies[i % len(companies)]
            rows["person"].append({"id": worker, "name": f"Worker {crew}{i}"})
            rows["bank_account"].append({"id": f"acc-{worker}", "iban": iban})
            rows["employment"].append(
                {"id": f"job-{worker}", "employee": worker, "employer": employer}
            )
            rows["residence"].append(
                {"id": f"res-{worker}", "resident": worker, "address": f"dwelling-{crew}"}
            )
            for month in (1, 2):
                n += 1
                rows["wage_payment"].append(
                    {
                        "id": f"wage-{n}",
                        "employee": worker,
                        "employer": employer,
                        "iban": iban,
                        "gross": 1500.0,
                        "source_row": n,
                    }
                )
                for payee, amount in ((f"acc-{boss}", 1200.0), ("acc-utility", 60.0)):
                    n += 1
                    rows["transaction"].append(
                        {
                            "id": f"tx-{n}",
                            "payerAccount": f"acc-{worker}",
                            "beneficiaryAccount": payee,
                            "amount": amount,
                            "date": f"2026-0{month}-05",
                            "source_row": n,
                        }
                    )
    rows["ad"].append(
        {"id": "ad-1", "title": "Work in NL, housing included", "phone": "+31612345678"}
    )
    rows["person"].append({"id": "boss-a-2", "name": "Boss A", "phone": "+31612345678"})
    rows["ownership"].append({"id": "own-1", "owner": "boss-a", "asset": "A2"})
    rows["subcontract"].append({"id": "sub-1", "client": "A1", "supplier": "B1"})
    for table, table_rows in rows.items():
        case.add_rows(table, table_rows)
    # resolution found that the boss's second record is the same person
    case.resolve("person", **{"boss-a": "boss-a", "boss-a-2": "boss-a"})
    build(case.ws, resolution=0.05, hub_degree=7)
    return case
