"""Consonant skeletons of name words: a coarse key under which spelling variants agree.

Blocking decides which pairs of records are compared at all, so its keys must agree for the
variants the model is meant to forgive, yet stay selective enough that a million records do not
make billions of pairs. Exact name words fail on the variants case files are full of:

* transliteration of one Cyrillic name by different clerks: Lysenko / Lisenko, Tkachenko /
  Tkatschenko / Krawczenko, Khristov / Hristov, Serhiy / Sergei, Yordanov / Iordanov;
* spelling of one Latin name: Meyer / Meijer;
* typing errors that swap letters: Ptear / Peter, Yoradnov / Yordanov.

The skeleton folds the consonant digraphs that transliteration systems write differently
(``shch``, ``tsch``, ``cz``, ``kh``, ``w`` …) onto one letter, drops the vowels and the
semivowels ``j`` and ``y`` (where those systems disagree most), and collapses doubled letters.
Phonetic codes made for English (Soundex, Metaphone) keep the first letter or read ``ts`` and
``c`` apart, and so split exactly these variants.

Skeletons are computed once per distinct word (there are few distinct words even among
millions of records) and joined back in SQL.
"""

from __future__ import annotations

import re

import duckdb
import pyarrow as pa

# Longest first: "shch" must be folded before "sch" and "sh" see it.
FOLDS: tuple[tuple[str, str], ...] = (
    ("shch", "s"),
    ("tsch", "c"),
    ("sch", "s"),
    ("sh", "s"),
    ("sz", "s"),
    ("zh", "z"),
    ("ch", "c"),
    ("cz", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("kh", "g"),
    ("ph", "f"),
    ("ck", "k"),
    ("h", "g"),  # Ukrainian writes Г as h where Russian writes g: Serhiy / Sergei, Oleh / Oleg
    ("w", "v"),
    ("q", "k"),
    ("x", "ks"),
)
_FOLD = re.compile("|".join(source for source, _ in FOLDS))
_TARGET = dict(FOLDS)
_VOWELS = re.compile("[aeiouyj]")
_DOUBLES = re.compile(r"(.)\1+")


def skeleton(word: str) -> str:
    """The consonant skeleton of one lower-case ASCII word; the word itself if nothing is left."""
    folded = _FOLD.sub(lambda m: _TARGET[m.group(0)], word)
    return _DOUBLES.sub(r"\1", _VOWELS.sub("", folded)) or word


def install(con: duckdb.DuckDBPyConnection, words_sql: str) -> None:
    """Create the temp table ``word_skeleton(word, skeleton)`` for the words ``words_sql``
    returns (one column)."""
    words = [w for (w,) in con.execute(f"SELECT DISTINCT * FROM ({words_sql})").fetchall() if w]
    table = pa.table(
        {"word": pa.array(words, pa.string()), "skeleton": [skeleton(w) for w in words]}
    )
    con.register("word_skeleton_arrow", table)
    con.execute("CREATE OR REPLACE TEMP TABLE word_skeleton AS SELECT * FROM word_skeleton_arrow")
    con.unregister("word_skeleton_arrow")
