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


# The field names that archives and CMS exports put before a page's title.
_FIELD_LABEL = re.compile(r"^(?:文章|信息|公告)?(?:标题|题目|名称)[:：]")
# What an agency's name never holds: a field label's colon, brackets, quotes, list marks.
_NOT_IN_NAME = re.compile(r"[:：,，。、;；!！?？《》〈〉“”\"'()（）【】\[\]<>|/\\#*]")


def _title(lines: tuple[Line, ...], before: int) -> tuple[int, str, str] | None:
    """The first line before the tables that reads as the report's title.

    A title may run over two lines (``2025 年上海市人民政府办公厅政府信息公开`` /
    ``工作年度报告``), as a PDF's text prints it.
    """
    end = min(before, len(lines))
    for i in range(end):
        text = _FIELD_LABEL.sub("", label_key(lines[i].text))
        candidates = [text]
        if i + 1 < end:
            candidates.append(text + label_key(lines[i + 1].text))
        for title in candidates:
            year = _YEAR.search(title)
            if len(title) <= 60 and _TITLE.search(title) and year:
                return i, title, year.group(1)
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
        if agency:
            agency = expand_short_form(agency, body)
    if agency and _NOT_IN_NAME.search(agency):
        agency = None  # a sentence or a field, not a name: better none than a wrong one
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


# Short forms of agencies' names, as titles write them (市科委, 区政府办).
_SHORT_FORMS = (
    ("政府办公室", "人民政府办公室"),
    ("政府办", "人民政府办公室"),
    ("政府", "人民政府"),
    ("发改委", "发展和改革委员会"),
    ("科委", "科学技术委员会"),
    ("经信委", "经济和信息化委员会"),
    ("卫健委", "卫生健康委员会"),
    ("教委", "教育委员会"),
    ("住建委", "住房和城乡建设委员会"),
    ("交委", "交通委员会"),
    ("农委", "农业农村委员会"),
    ("商务委", "商务委员会"),
    ("民宗委", "民族宗教事务委员会"),
)
_LEVEL_ONLY = re.compile(r"^(省|市|区|县|州|盟|旗|镇|乡)(.+)$")


def expand_short_form(agency: str, body: str) -> str:
    """A short form (市科委, 区政府办) as the full name the report itself uses.

    The place comes only from the report: the name is expanded where the
    report's text writes the full name out once (上海市科学技术委员会), or, for a
    bare level (区政府办), where one place of that level alone precedes the full
    office name. Otherwise the name stays as the title writes it.

    >>> expand_short_form("市科委", "……上海市科学技术委员会按照……")
    '上海市科学技术委员会'
    >>> expand_short_form("区政府办", "黄浦区人民政府办公室……黄浦区人民政府办公室")
    '黄浦区人民政府办公室'
    >>> expand_short_form("市科委", "没有全称")
    '市科委'
    """
    m = _LEVEL_ONLY.match(agency)
    if not m:
        return agency
    level, office = m.groups()
    for short, full in _SHORT_FORMS:
        if office == short or (office.endswith(short) and not office.endswith(full)):
            office = office[: len(office) - len(short)] + full
            break
    # The full name written out in the report, with its place: 上海市科学技术委员会.
    places = set(re.findall(rf"([\u4e00-\u9fff]{{1,8}}?{level}){re.escape(office)}", body))
    places = {p for p in places if not re.search(r"[的和与及在对为了本全各]", p)}
    if len(places) == 1:
        return places.pop() + office
    return agency
