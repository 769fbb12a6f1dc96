"""Lexicons: the words and patterns of ad extraction, one YAML file per language.

The packaged files (``lexicons/<lang>.yml``, format at the top of ``en.yml``) are merged with
files of the same name in the user's folders: lists grow (the user's entries come after the
packaged ones), mappings merge key by key, a scalar is replaced. ``shared.yml`` holds what no
language owns (free-mail domains, legal forms, cities). Patterns are RE2 regular expressions
(DuckDB runs them) matched on lower-case text without diacritics; they are lower-cased and
stripped of diacritics here too, so a pattern may be written either way. Every pattern is
checked by DuckDB before any ad is read, and all problems are reported at once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

from invert.errors import InvertError

PACKAGED = Path(__file__).parent / "lexicons"
# What \w stands for in lexicon patterns: the letters of lower-case text without diacritics
# (Latin, the few Latin letters without a decomposition, Cyrillic). Explicit, because RE2's \w
# is ASCII only and \p{L} makes matching many times slower.
WORD = "a-z0-9_ßłđøæœþа-яёіїєґў"
SHARED = "shared"
PERIODS = ("hour", "day", "week", "month", "year")
CUES = (
    "fee",
    "loan",
    "deduction",
    "housing",
    "transport",
    "travel",
    "settling",
    "no_experience",
    "no_language",
    "no_requirements",
    "urgency",
    "no_interview",
    "secrecy",
    "visa",
    "personal_data",
    "cash_or_net",
    "youth",
    "ethnicity",
    "trust",
    "movement",
)
# Keys of a language file: mappings of lists, lists of patterns, and the digits mapping.
LANG_MAPS = ("currencies", "periods", "occupations", "countries", "cities", "cues")
LANG_LISTS = ("net", "gross", "pay_words", "pay_not", "employer", "registration", "street_address")
LANG_KEYS = {"language", "digits", *LANG_MAPS, *LANG_LISTS}
SHARED_KEYS = {"freemail", "platforms", "legal_forms", "cities", "apps"}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class InvalidLexicon(InvertError):
    """A lexicon file is malformed or holds a pattern RE2 cannot compile."""


@dataclass
class Lexicon:
    """Merged lexicons: ``langs`` by ISO 639-1 code, and the shared lists."""

    langs: dict[str, dict[str, Any]]
    shared: dict[str, Any]

    def patterns(self, lang: str, key: str, sub: str | None = None) -> list[str]:
        """The patterns of ``key`` (and entry ``sub`` of a mapping) in one language."""
        value: Any = self.langs.get(lang, {}).get(key) or ([] if sub is None else {})
        if sub is not None:
            value = value.get(sub) or []
            if isinstance(value, dict):  # a cue: {match: [...], unless: [...]}
                value = value.get("match") or []
        return [str(p) for p in value]

    def unless(self, lang: str, cue: str) -> list[str]:
        entry = (self.langs.get(lang, {}).get("cues") or {}).get(cue)
        return [str(p) for p in (entry.get("unless") or [])] if isinstance(entry, dict) else []

    def keys(self, key: str) -> list[str]:
        """Every entry name of a mapping key over all languages, in first-seen order."""
        seen: dict[str, None] = {}
        for d in self.langs.values():
            for k in d.get(key) or {}:
                seen[str(k)] = None
        return list(seen)

    def digit_words(self, lang: str) -> dict[str, int]:
        """Spelled-out digits of a language, word -> digit (also without diacritics)."""
        out: dict[str, int] = {}
        for digit, words in (self.langs.get(lang, {}).get("digits") or {}).items():
            for w in [words] if isinstance(words, str) else words:
                for form in {str(w).lower(), strip_accents(str(w).lower())}:
                    out[form] = int(digit)
        return out


def strip_accents(text: str) -> str:
    """Drop combining marks, as DuckDB's strip_accents does."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def load(dirs: list[Path] | None = None, con: duckdb.DuckDBPyConnection | None = None) -> Lexicon:
    """The packaged lexicons merged with those in ``dirs`` (in order), checked at once."""
    files: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for folder in [PACKAGED, *[Path(d) for d in dirs or []]]:
        if not folder.is_dir():
            problems.append(f"{folder}: no such lexicon folder")
            continue
        for path in sorted(folder.glob("*.yml")):
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
            except yaml.YAMLError as exc:
                problems.append(f"{path}: not valid YAML ({exc})")
                continue
            if not isinstance(data, dict):
                problems.append(f"{path}: expected a mapping at the top")
                continue
            problems += _shape_problems(path, data)
            files[path.stem] = _merge(files.get(path.stem, {}), data)
    shared = files.pop(SHARED, {})
    langs = {k: v for k, v in files.items() if len(k) == 2}
    problems += [
        f"{k}.yml: a language file is named by its ISO 639-1 code" for k in files if len(k) != 2
    ]
    if problems:
        raise InvalidLexicon("invalid ad lexicon", problems)
    lex = Lexicon(langs={k: _clean(v) for k, v in langs.items()}, shared=shared)
    _check_regexes(lex, con)
    return lex


def _shape_problems(path: Path, data: dict[str, Any]) -> list[str]:
    allowed = SHARED_KEYS if path.stem == SHARED else LANG_KEYS
    problems = [f"{path}: unknown key '{k}'" for k in data if k not in allowed]
    for key in LANG_MAPS:
        if key in data and path.stem != SHARED and not isinstance(data[key], dict):
            problems.append(f"{path}: '{key}' must be a mapping")
    for key in LANG_LISTS:
        if key in data and not isinstance(data[key], list):
            problems.append(f"{path}: '{key}' must be a list of patterns")
    digits = data.get("digits")
    if digits is not None and (
        not isinstance(digits, dict) or not set(map(str, digits)) <= set("0123456789")
    ):
        problems.append(f"{path}: 'digits' maps 0-9 to the words for them")
    for cue, entry in (data.get("cues") or {}).items():
        if isinstance(entry, dict) and not set(entry) <= {"match", "unless"}:
            problems.append(f"{path}: cue '{cue}' takes 'match' and 'unless' lists")
    for key in ("countries", "cities"):
        codes = data.get(key)
        for code in codes if isinstance(codes, dict) else []:
            if not (isinstance(code, str) and len(code) == 2 and code.isalpha()):
                problems.append(
                    f"{path}: '{key}' key {code!r} is no ISO 3166 code "
                    '(quote "NO": YAML reads it as false)'
                )
    return problems


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    if isinstance(base, dict) and isinstance(extra, list):  # a cue given as a plain list
        return {**base, "match": _merge(base.get("match") or [], extra)}
    if isinstance(base, list) and isinstance(extra, dict):
        return _merge({"match": base}, extra)
    if isinstance(base, list) and isinstance(extra, list):
        return base + [x for x in extra if x not in base]
    return extra


def regex_text(pattern: str, capturing: bool = False) -> str:
    r"""A pattern as matched: letters lower-cased (escapes kept), diacritics dropped, ``\w``
    made a letter or digit of any script, and capture groups made non-capturing (unless
    ``capturing``)."""
    out: list[str] = []
    i, in_class = 0, False
    pattern = strip_accents(pattern)
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in "pP" and i + 2 < len(pattern) and pattern[i + 2] == "{":
                end = pattern.index("}", i)
                out.append(pattern[i : end + 1])
                i = end + 1
                continue
            if nxt == "w":  # RE2's \w is ASCII: add the letters left after stripping accents
                out.append(WORD if in_class else f"[{WORD}]")
            else:
                out.append(c + nxt)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        elif c == "(" and not in_class and not capturing and not pattern.startswith("(?", i):
            out.append("(?:")
            i += 1
            continue
        out.append(c.lower())
        i += 1
    return "".join(out)


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in d.items():
        if key in LANG_LISTS:
            out[key] = [regex_text(str(p)) for p in value]
        elif key in LANG_MAPS and key != "cities":
            out[key] = {
                str(k): (
                    {s: [regex_text(str(p)) for p in (v.get(s) or [])] for s in ("match", "unless")}
                    if isinstance(v, dict)
                    else [regex_text(str(p)) for p in (v or [])]
                )
                for k, v in value.items()
            }
        else:
            out[key] = value
    return out


def all_patterns(lex: Lexicon) -> list[tuple[str, str, str]]:
    """Every (lang, where, pattern) of the lexicons, for checking and for the lexicon table."""
    rows: list[tuple[str, str, str]] = []
    for lang, d in lex.langs.items():
        for key in LANG_LISTS:
            rows += [(lang, key, p) for p in d.get(key) or []]
        for key in LANG_MAPS:
            if key == "cities":
                continue
            for sub, v in (d.get(key) or {}).items():
                if isinstance(v, dict):
                    rows += [(lang, f"{key}.{sub}", p) for p in v.get("match") or []]
                    rows += [(lang, f"{key}.{sub}.unless", p) for p in v.get("unless") or []]
                else:
                    rows += [(lang, f"{key}.{sub}", p) for p in v]
    rows += [(SHARED, "legal_forms", regex_text(str(p))) for p in lex.shared.get("legal_forms", [])]
    return rows


def _check_regexes(lex: Lexicon, con: duckdb.DuckDBPyConnection | None) -> None:
    rows = all_patterns(lex)
    if not rows:
        return
    own = con is None
    c = con if con is not None else duckdb.connect()
    query = (
        "SELECT lang, where_, pattern FROM (SELECT unnest(?::VARCHAR[]) AS lang, "
        "unnest(?::VARCHAR[]) AS where_, unnest(?::VARCHAR[]) AS pattern) "
        "WHERE try(regexp_matches('', pattern)) IS NULL"
    )
    # One alternation per file and key first (fast); pattern by pattern only to name the bad.
    groups: dict[tuple[str, str], list[str]] = {}
    for lang, where, p in rows:
        groups.setdefault((lang, where), []).append(p)
    keys = list(groups)
    combined = ["|".join(f"(?:{p})" for p in groups[k]) for k in keys]
    try:
        bad = c.execute(query, [[k[0] for k in keys], [k[1] for k in keys], combined]).fetchall()
        if bad:
            bad = c.execute(
                query, [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]]
            ).fetchall()
    finally:
        if own:
            c.close()
    if bad:
        raise InvalidLexicon(
            "invalid ad lexicon",
            [f"{lang}.yml {where}: RE2 cannot compile {p!r}" for lang, where, p in bad],
        )
