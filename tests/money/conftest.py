"""Tiny hand-made workspaces for the money tests: accounts and payments written row by row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from helpers import Case

DAY0 = dt.date(2024, 3, 1)


class Book(Case):
    """A workspace with helpers for accounts (``acct``) and payments (``pay``)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.n = 0

    def acct(self, name: str, country: str = "NL", holder: str | None = None) -> str:
        iban = f"{country}00TEST{abs(hash(name)) % 10**10:010d}"
        return self.add("bank_account", id=name, iban=iban, holder=holder, country=country)

    def pay(
        self,
        payer: str | None,
        beneficiary: str | None,
        day: int,
        amount: float,
        channel: str = "wire",
        purpose: str = "",
        country: str | None = None,
        source: str = "bank.csv",
        id: str | None = None,
    ) -> str:
        self.n += 1
        return self.add(
            "transaction",
            id=id or f"t{self.n}",
            payerAccount=payer,
            beneficiaryAccount=beneficiary,
            date=DAY0 + dt.timedelta(days=day),
            amount=amount,
            channel=channel,
            purpose=purpose,
            country=country,
            source_id=source,
            source_row=self.n,
        )

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.ws.connect(resolved=True, follow_analysis=False) as con:
            yield con


@pytest.fixture
def book(tmp_path: Path) -> Book:
    return Book(tmp_path / "case")
