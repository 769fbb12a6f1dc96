"""Two small cases for the share tests, built with the command line as a user would.

``nl_case``: the bundled register, payroll, bank statements and STR, resolved, analysed and
made into a network. ``ro_case``: a partner's worker list in which Ion Popescu of the Dutch
payroll appears again, written differently (``POPESCU Ion``, a national phone number), with a
wage account the Dutch case also knows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from invert.cli import app

RO_CSV = """\
cnp;nume;nascut;telefon;iban;adresa
1940302123456;POPESCU Ion;02.03.1994;0721 234 567;RO49AAAA1B31007593840000;Strada Lunga 5, Iasi
2850101123456;IONESCU Vasilica;01.01.1985;0744 111 222;RO09BCYP0000001234567890;Strada Mare 7, Iasi
"""
RO_MAPPING = """\
name: workers_ro
description: A Romanian partner's worker list.
read: {delimiter: ";", encoding: utf-8}
region: RO
date_format: "%d.%m.%Y"
entities:
  worker:
    type: Person
    keys: [cnp]
    properties:
      name: nume
      birthDate: nascut
      phone: telefon
      taxNumber: cnp
      address: adresa
  account:
    type: BankAccount
    keys: [iban]
    properties:
      iban: iban
      holder: {entity: worker}
"""


def invert(*args: object) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="package")
def nl_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    samples = Path(__file__).resolve().parents[2] / "src" / "invert" / "samples"
    case = tmp_path_factory.mktemp("nl") / "case"
    invert("init", case)
    invert("ingest", case, samples / "register.csv", "--mapping", samples / "register.yml")
    invert("ingest", case, samples / "payroll.csv", "--mapping", samples / "payroll.yml")
    invert(
        "ingest",
        case,
        samples / "statement.camt053.xml",
        samples / "statement.mt940.sta",
        samples / "str.goaml.xml",
    )
    invert("resolve", "run", case)
    invert("analyze", case)
    invert("network", "build", case)
    return case


@pytest.fixture(scope="package")
def ro_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ro")
    (root / "workers.csv").write_text(RO_CSV, encoding="utf-8")
    (root / "workers.yml").write_text(RO_MAPPING, encoding="utf-8")
    case = root / "case"
    invert("init", case)
    invert("ingest", case, root / "workers.csv", "--mapping", root / "workers.yml")
    return case
