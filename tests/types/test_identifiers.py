"""The quick IBAN check gives schwifty's answer, valid or not, word for word."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from invert.types.identifiers import normalise_iban


def schwifty_answer(raw: str) -> tuple[str | None, str | None]:
    try:
        return IBAN(raw).compact, None
    except (SchwiftyException, ValueError) as exc:
        return None, f"not a valid IBAN ({exc})"


def answer(raw: str) -> tuple[str | None, str | None]:
    n = normalise_iban(raw)
    return n.value, n.problem


@st.composite
def ibans(draw) -> str:
    """Valid IBANs of several countries, as typed or with one character, the check digits,
    the spacing or the case changed, or with a character of the BBAN changed and the check
    digits made right again (only the country's BBAN format can refuse those)."""
    country = draw(st.sampled_from(["NL", "DE", "RO", "BE", "GB", "FR", "PL", "BG", "IT"]))
    iban = str(IBAN.random(country, random=draw(st.randoms(use_true_random=False))))
    change = draw(st.sampled_from(["none", "char", "digits", "spaces", "lower", "cut", "bban"]))
    at = draw(st.integers(0, len(iban) - 1))
    if change == "char":
        iban = iban[:at] + draw(st.sampled_from("0123456789AZaz -/é")) + iban[at + 1 :]
    elif change == "digits":
        iban = iban[:2] + draw(st.sampled_from(["00", "01", "99", "98", "02"])) + iban[4:]
    elif change == "spaces":
        iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    elif change == "lower":
        iban = iban.lower()
    elif change == "cut":
        iban = iban[:at]
    elif change == "bban":
        bban = iban[4:]
        at = draw(st.integers(0, len(bban) - 1))
        bban = bban[:at] + draw(st.sampled_from("0123456789AZ")) + bban[at + 1 :]
        iban = str(IBAN.from_bban(country, bban, allow_invalid=True))
    return iban


@settings(max_examples=400, deadline=None)
@given(raw=st.one_of(ibans(), st.from_regex(r"[A-Z]{2}[0-9]{2}[A-Z0-9 ]{0,30}", fullmatch=True)))
def test_quick_iban_check_answers_as_schwifty(raw):
    assert answer(raw) == schwifty_answer(raw)


def test_examples():
    assert answer("nl91 abna 0417 1643 00") == ("NL91ABNA0417164300", None)
    for raw in ("NL91ABNA0417164301", "XX91ABNA0417164300", "", "NL", "NL00ABNA0417164300"):
        assert answer(raw) == schwifty_answer(raw) and answer(raw)[0] is None
