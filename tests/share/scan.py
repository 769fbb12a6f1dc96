"""The test keys, every identity of the test cases in the forms a leak could take, and a
package read as text."""

from __future__ import annotations

import json
import unicodedata
import zipfile
from pathlib import Path

import duckdb

KEY = b"a-test-key-of-forty-bytes-0123456789abcd"
OTHER_KEY = b"another-test-key-also-long-enough-0123456"

NAMES = [
    "Ion Popescu",
    "Maria Ionescu",
    "Gheorghe Dumitru",
    "Jürgen Müller",
    "Jan de Vries",
    "J. de Vries",
    "Ana Rusu",
    "Vasile Ciobanu",
    "Ion Marinescu",
    "I. MARINESCU",
    "Elena Marinescu",
    "Pieter van Dijk",
    "Sanne Bakker",
    "POPESCU Ion",
    "IONESCU Vasilica",
]
SURNAMES = [
    "Popescu",
    "Ionescu",
    "Dumitru",
    "Müller",
    "Ciobanu",
    "Marinescu",
    "van Dijk",
    "Bakker",
    "Vasilica",
]
BIRTH_DATES = [
    ("1994", "03", "02"),
    ("1999", "07", "15"),
    ("2007", "12", "30"),
    ("1988", "05", "03"),
    ("1975", "08", "21"),
    ("1978", "06", "02"),
    ("1981", "11", "20"),
    ("1965", "02", "11"),
    ("1985", "01", "01"),
]
PHONES = [
    "+40 721 234 567",
    "+40721234567",
    "40721234567",
    "0721 234 567",
    "0721234567",
    "0721 234 568",
    "0721234568",
    "+31721234568",
    "+40 744 555 010",
    "+40744555010",
    "+49 1512 3456789",
    "+4915123456789",
    "06-98765432",
    "0698765432",
    "+31698765432",
    "+373 691 23456",
    "+37369123456",
    "+40 722 000 111",
    "+40722000111",
    "+40 721 999 000",
    "+40721999000",
    "+31 174 123456",
    "+31174123456",
    "0174-654321",
    "+31174654321",
    "+31 6 12345678",
    "+31612345678",
    "0744 111 222",
    "+40744111222",
]
IBANS = [
    "NL91ABNA0417164300",
    "NL91ABNA0417164301",
    "RO49AAAA1B31007593840000",
    "NL20INGB0001234567",
    "NL02ABNA0123456789",
    "NL39RABO0300065264",
    "RO09BCYP0000001234567890",
    "0417164300",
]
ADDRESSES = [
    "Havenstraat 12",
    "Havenstraat",
    "2681 AB",
    "Teeltweg 3",
    "Teeltweg 5",
    "Teeltweg",
    "2671 MK",
    "Dorpsstraat 8",
    "Dorpsstraat",
    "2671 AA",
    "Gustav Mahlerlaan",
    "Strada Lunga",
    "Strada Mare",
    "havenstraat 12 2681 ab monster",
]
PERSONAL_NUMBERS = ["123456782", "234567891", "345678910", "1940302123456", "2850101123456"]


def plain(text: str) -> str:
    """Lower case without accents: how a careless normaliser would still leak a name."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def needles() -> set[str]:
    found: set[str] = set()
    for name in NAMES + SURNAMES:
        found.add(plain(name))
        parts = plain(name).replace(".", "").split()
        found.add(" ".join(sorted(parts)))  # the name key: tokens sorted
    for y, m, d in BIRTH_DATES:
        found |= {f"{y}-{m}-{d}", f"{d}-{m}-{y}", f"{d}.{m}.{y}", f"{y}{m}{d}", f"{d}/{m}/{y}"}
    found |= {plain(v) for v in PHONES + IBANS + ADDRESSES + PERSONAL_NUMBERS}
    found |= {plain(" ".join(i[k : k + 4] for k in range(0, len(i), 4))) for i in IBANS}
    return found


def package_text(path: Path) -> str:
    """Every value of every column of every table, the column names and the manifest."""
    if path.suffix == ".zip":
        folder = path.with_suffix("")
        with zipfile.ZipFile(path) as archive:
            archive.extractall(folder)
        path = folder
    chunks = [(path / "manifest.json").read_text(encoding="utf-8")]
    con = duckdb.connect()
    for file in sorted(path.glob("*.parquet")):
        cur = con.execute(f"SELECT * FROM read_parquet('{file}')")
        chunks.append(" ".join(d[0] for d in cur.description))
        chunks.extend(json.dumps(row, default=str, ensure_ascii=False) for row in cur.fetchall())
    return plain("\n".join(chunks))
