"""Who reports, for which year, and when: read from the title and the page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .read import Line
from .recognise import label_key

_TITLE = re.compile(r"信息公开.{0,6}报告")
_YEAR = re.compile(r"((?:19|20)\d{2})年度?")
_TITLE_WORDS = re.compile(r"^关于|(?:政府)?信息公开.*$")
# Where a report names a place, the agency is that place's government.
_PLACE = re.compile(r"(?:省|市|县|区|旗|州|盟|镇|乡|自治区|自治州|自治县)$")
_LABELLED_DATE = re.compile(
    r"(?:发布|成文|发文|印发|公开)(?:时间|日期)[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_CN_DIGITS = dict(zip("〇零一二三四五六七八九", "00123456789", strict=False))


@dataclass(frozen=True)
class Metadata:
    agency: str | None
    year: int | None
    published: str | None
    title_index: int | None
    """The index of the title in the document's lines, if found."""


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _cn_date(text: str) -> str:
    """二〇二五年一月二十二日 → 2025年1月22日."""

    def number(part: str) -> str:
        if "十" not in part:
            return "".join(_CN_DIGITS.get(ch, ch) for ch in part)
        tens, _, units = part.partition("十")
        return str(int(_CN_DIGITS.get(tens, "1") if tens else 1) * 10 + int(_CN_DIGITS.get(units, "0") or 0))

    return re.sub(r"[〇零一二三四五六七八九十]+", lambda m: number(m.group()), text)


def _title(lines: tuple[Line, ...], before: int) -> tuple[int, str, str] | None:
    """The first line before the tables that reads as the report's title."""
    for i in range(min(before, len(lines))):
        text = label_key(lines[i].text)
        if len(text) <= 60 and _TITLE.search(text) and _YEAR.search(text):
            return i, text, _YEAR.search(text).group(1)  # type: ignore[union-attr]
    return None


def _agency_from(title: str, year: str) -> str:
    before, _, after = title.partition(year)
    before = re.sub(r"^关于", "", before)
    if before:
        return before
    name = _TITLE_WORDS.sub("", re.sub(r"^年度?", "", after))
    return name + "政府" if name.endswith("人民") else name


def read_metadata(lines: tuple[Line, ...], tables_start: int, tables_end: int) -> Metadata:
    """Agency, year and publication date of a report.

    :param tables_start: index of the first table line; the title comes before.
    :param tables_end: index after the last table line; a signature date comes after.
    """
    agency = year = published = None
    title_index = None
    found = _title(lines, tables_start)
    if found:
        i, text, y = found
        title_index = i
        year = int(y)
        agency = _agency_from(text, y)
        if not agency:  # the agency on a line of its own above the title
            for j in range(i - 1, max(i - 4, -1), -1):
                above = label_key(lines[j].text)
                if above:
                    agency = above if len(above) <= 30 else None
                    break
        body = "".join(label_key(line.text) for line in lines)
        if agency and _PLACE.search(agency) and f"{agency}人民政府" in body:
            agency += "人民政府"
    for line in lines:
        m = _LABELLED_DATE.search(label_key(line.text))
        if m:
            published = _iso(*m.groups())
            break
    if published is None:
        for line in reversed(lines[tables_end:]):
            m = _DATE_LINE.match(_cn_date(label_key(line.text)))
            if m:
                published = _iso(*m.groups())
                break
    return Metadata(agency=agency or None, year=year, published=published, title_index=title_index)
