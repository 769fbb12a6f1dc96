"""Property types: examples from real exports, and the idempotence property.

Idempotence matters because a normalised value is fed back through the same normaliser when a
source is re-ingested or two workspaces are merged: it must come out unchanged.
"""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invert import types

LIBRARY_TYPES = ["phone", "iban", "bic", "country", "name", "address"]


def normalise(tname: str, value: str, **options) -> types.Normalised:
    ptype = types.get(tname)
    if ptype.normalise is None:  # parsed in SQL
        with duckdb.connect() as con:
            parsed = con.execute(
                f"SELECT {ptype.parse_sql('x', options)} FROM "
                "(SELECT trim(CAST(? AS VARCHAR)) AS x)",
                [value],
            ).fetchone()[0]
        return types.Normalised(parsed)
    return ptype.normalise([value], options)[0]


@pytest.mark.parametrize(
    ("tname", "raw", "options", "value"),
    [
        ("phone", "0721 234 567", {"region": "RO"}, "+40721234567"),
        ("phone", "0040-721-234-567", {"region": "NL"}, "+40721234567"),
        ("phone", "(06) 1234 5678", {"region": "NL"}, "+31612345678"),
        ("phone", "12", {"region": "NL"}, None),
        ("iban", "nl91 abna 0417 1643 00", {}, "NL91ABNA0417164300"),
        ("iban", "NL91ABNA0417164301", {}, None),
        ("bic", "abnanl2a", {}, "ABNANL2A"),
        ("country", "Roumanie", {}, "RO"),
        ("country", "Deutschland", {}, "DE"),
        ("country", "Narnia", {}, None),
        ("email", " Ion.Popescu@Example.COM ", {}, "ion.popescu@example.com"),
        ("email", "ion.popescu(at)example.com", {}, None),
    ],
)
def test_examples(tname, raw, options, value):
    assert normalise(tname, raw, **options).value == value


def test_invalid_identifiers_say_why():
    assert (
        "checksum" in (normalise("iban", "NL91ABNA0417164301").problem or "").lower()
        or "invalid" in (normalise("iban", "NL91ABNA0417164301").problem or "").lower()
    )
    assert normalise("phone", "12", region="NL").problem


def test_name_fingerprints_match_across_spelling():
    a = normalise("name", "ACME Construcții S.R.L.")
    b = normalise("name", "Acme  Constructii SRL")
    assert a.key == b.key and a.value == "ACME Construcții S.R.L."
    assert normalise("name", "POPESCU Ion").key == normalise("name", "Ion Popescu").key


text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40)
phone_like = st.from_regex(r"\+?[0-9 ()\-]{4,18}", fullmatch=True)
iban_like = st.from_regex(r"[A-Z]{2}[0-9]{2}[A-Z0-9 ]{10,26}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(
    tname=st.sampled_from(LIBRARY_TYPES),
    raw=st.one_of(text, phone_like, iban_like),
    region=st.sampled_from(["NL", "RO", "IT"]),
)
def test_library_normalisers_are_idempotent(tname, raw, region):
    first = normalise(tname, raw, region=region)
    if first.value is None:
        return
    second = normalise(tname, first.value, region=region)
    assert second.value == first.value
    assert second.key == first.key


# Types parsed in SQL: parse(cast(parse(x))) == parse(x).
SQL_CASES = {
    "date": (
        st.from_regex(r"[0-3][0-9]-[01][0-9]-(19|20)[0-9]{2}", fullmatch=True),
        {"format": "%d-%m-%Y"},
    ),
    "amount": (
        st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{3}){0,2},[0-9]{2}", fullmatch=True),
        {"decimal": ","},
    ),
    "number": (st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,3})?", fullmatch=True), {}),
    "integer": (st.from_regex(r"[0-9]{1,9}", fullmatch=True), {}),
    "boolean": (st.sampled_from(["ja", "nee", "yes", "NO", "da", "nu", "1", "0", "vero"]), {}),
    "string": (text, {}),
    "identifier": (text, {}),
    "currency": (st.sampled_from(["eur", "RON ", "€", "usd", "x"]), {}),
    "email": (
        st.from_regex(r"[A-Za-z0-9._%+-]{1,10}@[A-Za-z0-9-]{1,10}\.[A-Za-z]{2,4}", fullmatch=True),
        {},
    ),
}


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


@settings(max_examples=60, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("tname", sorted(SQL_CASES))
def test_sql_parsers_are_idempotent(con, tname, data):
    strategy, options = SQL_CASES[tname]
    raw = data.draw(strategy)
    ptype = types.get(tname)
    assert ptype.parse_sql is not None
    query = "SELECT {} FROM (SELECT trim(CAST(? AS VARCHAR)) AS x)"
    first = con.execute(query.format(ptype.parse_sql("x", options)), [raw]).fetchone()[0]
    if first is None:
        return
    # Stored values are written back in canonical form, so parse them without source options.
    again = con.execute(query.format(ptype.parse_sql("x", {})), [str(first)]).fetchone()[0]
    assert again == first
