"""The Luhn (modulus 10) check digit of personnummer and organisationsnummer. Pure: no Django.

A thin layer over ``python-stdnum`` so that the project has one place for it.
"""

from __future__ import annotations

from stdnum import luhn
from stdnum.exceptions import ValidationError


def check_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass the Luhn check (``body``: digits only)."""
    return str(luhn.calc_check_digit(body))


def is_valid(digits: str) -> bool:
    """Whether the last of ``digits`` is the right Luhn check digit for the others."""
    try:
        luhn.validate(digits)
    except ValidationError:
        return False
    return True
