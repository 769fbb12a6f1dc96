"""From scored pairs to entities: records without a birth date do not chain two people."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from invert.resolve.clusters import components


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute("CREATE TABLE resolve_input_person (unique_id VARCHAR, birth DATE)")
    c.execute("""CREATE TABLE match_pair (kind VARCHAR, id_l VARCHAR, id_r VARCHAR,
                 match_probability DOUBLE)""")
    c.execute("""CREATE TABLE resolve_judgement (kind VARCHAR, id_a VARCHAR, id_b VARCHAR,
                 decision VARCHAR, judged_at TIMESTAMP)""")
    yield c
    c.close()


def _entities(c, people: dict[str, str | None], pairs: list[tuple[str, str, float]]) -> set:
    c.executemany(
        "INSERT INTO resolve_input_person VALUES (?, ?)",
        [(k, dt.date.fromisoformat(v) if v else None) for k, v in people.items()],
    )
    c.executemany("INSERT INTO match_pair VALUES ('person', ?, ?, ?)", pairs)
    table = components(c, "person", 0.9).to_pylist()
    groups: dict[int, set[str]] = {}
    for row in table:
        groups.setdefault(row["cluster"], set()).add(row["record_id"])
    return {frozenset(g) for g in groups.values()}


def test_a_record_without_birth_date_does_not_join_two_people(con):
    # a (2007) and c (2003) share a name; b, with no birth date, matches both; a-b is stronger.
    entities = _entities(
        con,
        {"a": "2007-12-02", "b": None, "c": "2003-06-22"},
        [("a", "b", 0.99), ("b", "c", 0.95)],
    )
    assert entities == {frozenset({"a", "b"}), frozenset({"c"})}


def test_one_typo_or_a_day_month_swap_is_still_one_person(con):
    entities = _entities(
        con,
        {
            "a": "1985-03-14",
            "b": "1958-03-14",
            "c": "1985-03-14",
            "e": "1990-05-07",
            "f": "1990-07-05",
        },
        [("a", "b", 0.99), ("b", "c", 0.99), ("e", "f", 0.99)],
    )
    assert frozenset({"a", "b", "c"}) in entities  # the year mistyped: one part differs
    assert frozenset({"e", "f"}) in entities  # day and month swapped


def test_an_analysts_same_wins_over_the_birth_dates(con):
    con.execute("INSERT INTO resolve_judgement VALUES ('person', 'a', 'c', 'same', now())")
    entities = _entities(con, {"a": "2007-12-02", "c": "2003-06-22"}, [("a", "c", 0.5)])
    assert entities == {frozenset({"a", "c"})}
