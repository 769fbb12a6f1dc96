"""Consonant skeletons: the blocking key under which spelling variants of one name meet."""

from __future__ import annotations

import duckdb
import pytest

from invert.resolve import skeleton


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("tkachenko", "tkatschenko"),  # German transliteration
        ("kravchenko", "krawczenko"),  # Polish transliteration
        ("polishchuk", "polischuk"),
        ("khristov", "hristov"),
        ("serhiy", "sergei"),  # Ukrainian h, Russian g
        ("yordanov", "iordanov"),
        ("tsvetelina", "cvetelina"),
        ("meyer", "meijer"),
        ("ptear", "peter"),  # swapped letters
        ("oleksandr", "aleksandr"),
    ],
)
def test_spelling_variants_share_a_skeleton(one: str, other: str) -> None:
    assert skeleton.skeleton(one) == skeleton.skeleton(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("popescu", "ionescu"), ("kowalski", "nowak"), ("peter", "pieterse"), ("ana", "ema")],
)
def test_different_names_keep_different_skeletons(one: str, other: str) -> None:
    assert skeleton.skeleton(one) != skeleton.skeleton(other)


def test_a_word_of_vowels_is_its_own_skeleton() -> None:
    assert skeleton.skeleton("ia") == "ia"


def test_install_maps_each_distinct_word_once() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE w AS SELECT * FROM (VALUES ('meyer'), ('meijer'), ('meyer'), (NULL))")
    skeleton.install(con, "SELECT * FROM w")
    rows = con.execute("SELECT word, skeleton FROM word_skeleton ORDER BY word").fetchall()
    assert rows == [("meijer", "mr"), ("meyer", "mr")]
