"""Phone numbers hidden in ad text: find candidate spans in SQL, de-obfuscate and parse in Python.

A span is a run of digit units joined by at most three separators (spaces, dots, dashes,
slashes, brackets). A unit is a run of digits (also fullwidth, mathematical, circled or emoji
keycap digits) in which the look-alikes O/o (0) and l/I/| (1) may stand, or a digit spelled out
in the ad's language or in English ("5eight780630", "4787986osiem", "zero 6 ..."). DuckDB finds
the spans with one constant RE2 pattern per language; each distinct (span, region) is then
de-obfuscated and parsed once with ``phonenumbers``, keeping only valid numbers. When the
whole span is not a valid number, its longest valid runs of whole units are kept, so that two
numbers written side by side, or a number followed by a year, still give the number.

A number counts as *obfuscated* when a plain phone regex would have missed it: anything but
ASCII digits, ``+`` and single separators in it, or three single digits in a row ("0 6 1 2").
Spans that look like a date (``12.03.2024``) or are followed by a currency are no phones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import phonenumbers

from invert.ads.lexicon import Lexicon, strip_accents

# Digits the spans accept besides 0-9 (NFKC maps them to ASCII digits).
ODD_DIGITS = "０-９𝟎-𝟿⓪①-⑨"
KEYCAP = "\\x{FE0F}?\\x{20E3}"
SEP = "[ \\t.\\-/()\\[\\]]"
PLAIN_CHARS = set("0123456789+ .-/()[]\t")
DATE = re.compile(r"^\(?\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\)?$")
MIN_DIGITS, MAX_DIGITS = 8, 15


def span_pattern(words: Iterable[str]) -> str:
    """The RE2 pattern (group 1 = the span) for a language's digit words, on original text."""
    forms = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    alt = "|".join(re.escape(w) for w in forms)
    digit = f"(?:[0-9{ODD_DIGITS}](?:{KEYCAP})?)"
    # Digit words come before look-alikes, so the o of "osiem" is not read as a zero.
    real = f"(?:(?i:{alt})|{digit})" if alt else digit
    unit = f"(?:[oOlI|]*{real}(?:{real}|[oOlI|])*)"
    # The span starts after a non-letter, so "phone" gives no "one".
    return f"(?:^|[^\\p{{L}}\\p{{N}}])(\\+?\\(?{unit}(?:{SEP}{{0,3}}{unit})*)"


def _words(lex: Lexicon, lang: str | None) -> dict[str, int]:
    words = dict(lex.digit_words("en"))
    if lang:
        words.update(lex.digit_words(lang))
    return words


def lang_words(lex: Lexicon, lang: str | None) -> list[str]:
    """The spelled digits a span pattern accepts for ads in ``lang``, as written and without
    diacritics."""
    return list(_words(lex, lang))


SEPS = set(" \t.-/()[]")
_LOOKALIKE = {"o": "0", "O": "0", "l": "1", "I": "1", "|": "1"}


def _groups(span: str, words: dict[str, int]) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each separator-delimited group of a span, in the normalised
    span text; digits is '?' when the group holds letters that are no digit word, or no digit
    at all."""
    text = _norm(span)[0]
    low = "".join(strip_accents(c.lower())[:1] or c for c in text)
    by_len = sorted(words, key=len, reverse=True)
    out: list[tuple[int, int, str]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in SEPS:
            i += 1
            continue
        start, digits, real = i, "", False
        while i < n and text[i] not in SEPS:
            ch = text[i]
            if ch == "+" and i == start and not out:
                digits += "+"
                i += 1
                continue
            if "0" <= ch <= "9":
                digits, real, i = digits + ch, True, i + 1
                continue
            w = next((w for w in by_len if low.startswith(w, i)), None)
            if w:
                digits, real, i = digits + str(words[w]), True, i + len(w)
            elif ch in _LOOKALIKE:
                digits, i = digits + _LOOKALIKE[ch], i + 1
            else:
                digits = "?"
                while i < n and text[i] not in SEPS:
                    i += 1
        out.append((start, i, digits if real else "?"))
    return out


def _norm(span: str) -> tuple[str, list[int]]:
    """The span with odd digits made ASCII (NFKC, keycap marks dropped), and for each of its
    characters the position of the character it came from."""
    chars: list[str] = []
    where: list[int] = []
    for j, c in enumerate(span):
        for d in unicodedata.normalize("NFKC", c).replace("\ufe0f", "").replace("\u20e3", ""):
            chars.append(d)
            where.append(j)
    return "".join(chars), where


def _raw(span: str, where: list[int], start: int, end: int) -> str:
    """The part of the span as written behind normalised positions start..end."""
    a, b = where[start], where[end - 1] + 1
    if a > 0 and span[a - 1] == "(":
        a -= 1
    while b < len(span) and span[b] in "\ufe0f\u20e3":
        b += 1
    return span[a:b]


def plain(raw: str) -> bool:
    """Whether a plain phone regex finds this written number (ASCII digits, + and single
    separators, no three lone digits in a row)."""
    if not set(raw) <= PLAIN_CHARS:
        return False
    groups = [g for g in re.split(r"[ \t.\-/()\[\]+]+", raw) if g]
    triples = zip(groups, groups[1:], groups[2:], strict=False)
    return not any(len(a) == len(b) == len(c) == 1 for a, b, c in triples)


def _parse(digits: str, region: str) -> str | None:
    n = len(digits.lstrip("+"))
    if n < MIN_DIGITS or n > MAX_DIGITS + 2:
        return None
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def numbers(span: str, region: str, words: dict[str, int]) -> list[tuple[str, str, bool]]:
    """The valid numbers in a span: (E.164, raw as written, obfuscated), left to right; where
    the whole span is no number, the longest valid runs of whole groups."""
    if DATE.match(span.strip()):
        return []
    where = _norm(span)[1]
    groups = _groups(span, words)
    found: list[tuple[str, str, bool]] = []
    s = 0
    while s < len(groups):
        hit = None
        for e in range(len(groups) - 1, s - 1, -1):
            parts = [g[2] for g in groups[s : e + 1]]
            if "?" in parts:
                continue
            digits = "".join(parts)
            if "+" in digits[1:] or not MIN_DIGITS <= len(digits.lstrip("+")) <= MAX_DIGITS + 2:
                continue
            e164 = _parse(digits, region)
            if e164:
                hit = (e, e164)
                break
        if hit is None:
            s += 1
            continue
        e, e164 = hit
        raw = _raw(span, where, groups[s][0], groups[e][1])
        found.append((e164, raw, not plain(raw)))
        s = e + 1
    return found


def parse_spans(rows: list[tuple[str, str, str | None]], lex: Lexicon) -> dict[str, list]:
    """Columns (span, region, lang, e164, raw, obfuscated) for distinct (span, region, lang)."""
    out: dict[str, list] = {k: [] for k in ("span", "region", "lang", "e164", "raw", "obf")}
    cache: dict[str | None, dict[str, int]] = {}
    for span, region, lang in rows:
        words = cache.get(lang)
        if words is None:
            words = cache[lang] = _words(lex, lang)
        for e164, raw, obf in numbers(span, region, words):
            out["span"].append(span)
            out["region"].append(region)
            out["lang"].append(lang)
            out["e164"].append(e164)
            out["raw"].append(raw)
            out["obf"].append(obf)
    return out


def parse_handle_number(value: str, region: str) -> str | None:
    """A messaging handle that is a number (``whatsapp:+31 6...``), as E.164."""
    digits = re.sub(r"[^0-9+]", "", _norm(value)[0])
    return _parse(digits, region) if digits else None


# Number types as the ad indicators tell them apart: a mobile is a person's, the rest a firm's.
LINE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_or_mobile",
    phonenumbers.PhoneNumberType.VOIP: "voip",
    phonenumbers.PhoneNumberType.TOLL_FREE: "business",
    phonenumbers.PhoneNumberType.SHARED_COST: "business",
    phonenumbers.PhoneNumberType.UAN: "business",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium",
}


def line_type(e164: str) -> str | None:
    """mobile, fixed, fixed_or_mobile, voip, business, premium or None, by the numbering plan
    of the number's country (libphonenumber's metadata)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    return LINE_TYPES.get(phonenumbers.number_type(number))
