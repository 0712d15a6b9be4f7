"""Numbers as reports write them: 全角 digits, 增/减, 万元/亿元, blanks.

>>> read_number("减 232").value
Decimal('-232')
>>> money_in_wan(read_number("1.8 亿元"))
Decimal('18000')
>>> is_blank_mark("—")
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

_SIGN = r"(?P<sign>增加|减少|增|减|\+|-|−)?"
_DIGITS = r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?"
_UNIT = r"(?P<unit>亿元|万元|元|亿|万)?"
_COUNTER = r"(?:件|个|项|条|宗|次|人次)?"
NUMBER_RE = re.compile(rf"^{_SIGN}\s*{_DIGITS}\s*{_UNIT}\s*{_COUNTER}$")
"""A whole cell that is one number, after :func:`normalise`."""

TRAILING_NUMBER_RE = re.compile(
    r"(?:^|(?<=\s))(?:增加|减少|增|减|[+\-−])?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s*(?:亿元|万元|元))?\s*$"
)
"""One number at the end of a label, such as the ``0`` of ``总计 9 0``."""

_BLANK_MARKS = {"-", "—", "－", "–", "--", "——", "/", "／", "\\", "无", "空", "…", "……"}

# Full-width digits and signs, the ideographic space and NBSP all fold under NFKC.
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold width and spacing variants (０-９, ＋, NBSP, 全角 space) and trim."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


@dataclass(frozen=True)
class Number:
    """A number as written in a cell, before its column gives it a meaning."""

    value: Decimal
    """Signed by 增/减/+/-, with its fraction; not scaled by the unit."""
    signed: bool
    """Whether the text carries a sign (增, 减, +, -)."""
    unit: str | None
    """亿元, 万元 or 元 (亿 and 万 alone read as 亿元 and 万元)."""
    text: str
    """The cell text as written."""

    @property
    def is_integer(self) -> bool:
        return self.value == self.value.to_integral_value()


def read_number(text: str) -> Number | None:
    """The number a cell's text writes, or None when it is not one number."""
    m = NUMBER_RE.match(normalise(text))
    if not m:
        return None
    digits = m["int"].replace(",", "") + ("." + m["frac"] if m["frac"] else "")
    value = Decimal(digits)
    sign = m["sign"]
    if sign in ("减", "减少", "-", "−"):
        value = -value
    unit = m["unit"]
    if unit in ("亿", "万"):
        unit += "元"
    return Number(value=value, signed=sign is not None, unit=unit, text=text.strip())


def is_blank_mark(text: str) -> bool:
    """Whether a cell's text is one of the ways reports print an empty cell."""
    return normalise(text) in _BLANK_MARKS


_PER_WAN = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}


def money_in_wan(number: Number, default_unit: str | None = None) -> Decimal | None:
    """An amount in 万元, exact; None when neither cell nor header gives the unit.

    Zero needs no unit: it is zero in any.
    """
    unit = number.unit or default_unit
    if unit is None:
        return Decimal(0) if number.value == 0 else None
    return Decimal(plain_decimal(number.value * _PER_WAN[unit]))


def plain_decimal(value: Decimal) -> str:
    """A decimal as plain digits, no exponent, no trailing zeros: ``18000``, ``25.1``."""
    return format(value.normalize(), "f")
