"""Bank identifiers (IBAN, BIC) checked with schwifty, and plain registration numbers.

An account number that is not an IBAN (a domestic number, a card, a wallet) is kept raw and
flagged as not an IBAN; the statement it came from stays usable.
"""

from __future__ import annotations

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from invert.types import Normalised, Options, PropertyType, register


def normalise_iban(raw: str) -> Normalised:
    try:
        return Normalised(IBAN(raw).compact)
    except (SchwiftyException, ValueError) as exc:
        return Normalised(None, problem=f"not a valid IBAN ({exc})")


def normalise_bic(raw: str) -> Normalised:
    try:
        return Normalised(str(BIC(raw)))
    except (SchwiftyException, ValueError) as exc:
        return Normalised(None, problem=f"not a valid BIC ({exc})")


register(
    PropertyType(
        name="iban",
        sql_type="VARCHAR",
        description="An International Bank Account Number, compact and upper-case.",
        normalise=lambda values, _o: [normalise_iban(v) for v in values],
        keeps_raw=True,
        expects=lambda _o: "an IBAN with a valid check sum",
    )
)
register(
    PropertyType(
        name="bic",
        sql_type="VARCHAR",
        description="A bank identifier code (SWIFT BIC).",
        normalise=lambda values, _o: [normalise_bic(v) for v in values],
        keeps_raw=True,
        expects=lambda _o: "a BIC of 8 or 11 characters",
    )
)


def _identifier(expr: str, _options: Options) -> str:
    return f"upper(regexp_replace({expr}, '[\\s]+', '', 'g'))"


register(
    PropertyType(
        name="identifier",
        sql_type="VARCHAR",
        description="A registration, tax, VAT or document number: upper-case, without spaces.",
        parse_sql=_identifier,
    )
)
