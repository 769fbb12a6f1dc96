"""Names spelled by ads' e-mail addresses, and the ties they give in the graph."""

from __future__ import annotations

import duckdb
import pytest

from helpers import Case, query
from invert.ads.links import contact_names, name_of
from invert.ads.tables import AD_TABLES
from invert.network import build


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("dumitru.dinu12@ziggo.nl", "dinu dumitru"),
        ("Monika_Mazur@yahoo.com", "mazur monika"),
        ("ruta-kazlauskas@one.lt", "kazlauskas ruta"),
        ("info.jobs@firm.nl", None),  # a role mailbox
        ("praca.holandia72@wp.pl", None),  # "work Holland": a role word
        ("jan@firm.nl", None),  # one part: not a full name
        ("a.b@firm.nl", None),  # initials only
    ],
)
def test_the_name_an_address_spells(address, key):
    assert name_of(address) == key


def test_an_ad_meets_the_account_its_e_mail_names_if_the_name_is_rare(tmp_path):
    case = Case(tmp_path / "case")
    case.add("ad", id="ad1", platform="fb", kind="job", title="Praca")
    case.add("ad", id="ad2", platform="fb", kind="job", title="Praca")
    case.add(
        "bank_account",
        id="acc",
        iban="NL01",
        holderName="DUMITRU DINU",
        holderName_key="dinu dumitru",
    )
    for n in range(3):  # a common name: three people hold it
        case.add("person", id=f"m{n}", name="Maria Pop", name_key="maria pop")
    con = duckdb.connect(str(case.ws.db_path))
    try:
        con.execute(f"CREATE TABLE ad_contact ({AD_TABLES['ad_contact']})")
        con.execute("""INSERT INTO ad_contact (ad, kind, value) VALUES
            ('ad1', 'email', 'dumitru.dinu12@ziggo.nl'), ('ad2', 'email', 'maria.pop@gmail.com')""")
        assert contact_names(con) == 2
    finally:
        con.close()
    build(case.ws, resolution=0.05, hub_degree=7)
    assert query(
        case.ws, "SELECT source, target, type FROM graph_edge WHERE type = 'e-mail names'"
    ) == [("ad1", "acc", "e-mail names")]
