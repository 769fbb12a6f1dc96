"""Telephone numbers, normalised to E.164 with Google's libphonenumber rules.

A number written without a country prefix is read in the source's default region (a mapping's
``region:``), because a Romanian payroll writes 0721 123 456 and means +40 721 123 456.
"""

from __future__ import annotations

from collections.abc import Iterable

import phonenumbers

from invert.types import Normalised, Options, PropertyType, register


def normalise_phone(raw: str, region: str | None) -> Normalised:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        return Normalised(None, problem=f"not a phone number ({exc._msg})")
    if not phonenumbers.is_valid_number(number):
        if raw.lstrip().startswith(("+", "00")):
            return Normalised(None, problem="not a valid phone number for its country code")
        where = f" in region {region}" if region else ""
        return Normalised(None, problem=f"not a valid phone number{where}")
    return Normalised(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _normalise(values: Iterable[str], options: Options) -> list[Normalised]:
    region = options.get("region")
    return [normalise_phone(v, region) for v in values]


register(
    PropertyType(
        name="phone",
        sql_type="VARCHAR",
        description="A telephone number in E.164 form (+40721123456).",
        normalise=_normalise,
        keeps_raw=True,
        options=frozenset({"region"}),
        expects=lambda o: (
            "a phone number" + (f" (default region {o['region']})" if o.get("region") else "")
        ),
    )
)
