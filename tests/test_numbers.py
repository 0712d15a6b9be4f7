"""Numbers as reports write them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgbuild.numbers import is_blank_mark, money_in_wan, read_number


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else "\u3000" if ch == " " else ch for ch in text)


@pytest.mark.parametrize(
    ("text", "value", "signed", "unit"),
    [
        ("33", 33, False, None),
        ("+33", 33, True, None),
        ("增 33", 33, True, None),
        ("增加33", 33, True, None),
        ("减 232", -232, True, None),
        ("-232", -232, True, None),
        ("1,234,567", 1234567, False, None),
        ("６５９５．８ 万元", Decimal("6595.8"), False, "万元"),
        ("1.8 亿元", Decimal("1.8"), False, "亿元"),
        ("251000元", 251000, False, "元"),
        ("52件", 52, False, None),
        ("\u00a00\u00a0", 0, False, None),
    ],
)
def test_read_number(text: str, value: object, signed: bool, unit: str | None) -> None:
    number = read_number(text)
    assert number is not None
    assert (number.value, number.signed, number.unit) == (value, signed, unit)


@pytest.mark.parametrize("text", ["", "无", "规章", "1.2.3", "12 34", "第二十条", "1,23"])
def test_not_a_number(text: str) -> None:
    assert read_number(text) is None


@pytest.mark.parametrize("text", ["—", "-", "/", "／", "无", "——", "－"])
def test_blank_marks(text: str) -> None:
    assert is_blank_mark(text)


@pytest.mark.parametrize(
    ("text", "wan"),
    [("6595.8 万元", "6595.8"), ("1.8 亿元", "18000"), ("251000元", "25.1"), ("0", "0"), ("3万", "3")],
)
def test_money_in_wan(text: str, wan: str) -> None:
    number = read_number(text)
    assert number is not None and money_in_wan(number) == Decimal(wan)


def test_money_without_unit_is_unknown_unless_zero() -> None:
    assert money_in_wan(read_number("120")) is None  # type: ignore[arg-type]
    assert money_in_wan(read_number("120"), default_unit="万元") == 120  # type: ignore[arg-type]
    assert money_in_wan(read_number("0")) == 0  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["", "增", "减", "+", "-"]))
def test_fullwidth_reads_the_same(n: int, sign: str) -> None:
    text = f"{sign}{n}"
    assert read_number(to_fullwidth(text)) is not None
    assert read_number(to_fullwidth(text)).value == read_number(text).value  # type: ignore[union-attr]


@given(st.integers(min_value=0, max_value=10**15))
def test_thousands_separators(n: int) -> None:
    assert read_number(f"{n:,}").value == n  # type: ignore[union-attr]


@given(st.decimals(min_value=0, max_value=10**8, places=4, allow_nan=False, allow_infinity=False))
def test_units_scale_exactly(wan: Decimal) -> None:
    as_yuan = read_number(f"{wan * 10000:f}元")
    as_yi = read_number(f"{wan / 10000:f}亿元")
    assert money_in_wan(as_yuan) == wan  # type: ignore[arg-type]
    assert money_in_wan(as_yi) == wan  # type: ignore[arg-type]


@given(st.text())
def test_read_number_never_raises(text: str) -> None:
    read_number(text)
