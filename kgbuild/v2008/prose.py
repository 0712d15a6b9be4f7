"""Figures read from a report's prose, by the rules of FORMAT-2008.md §5.

A sentence gives a value only for its reporting year: one that names another
year, or a period up to a date (截至, 累计), gives none. An approximate figure
(约, 余, 多, 左右…) is never a value. A "nothing happened" sentence asserts 0
only for what it names. Every figure keeps the sentence it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..errors import Issue, Location, Severity
from ..model import Cell, Section, Value
from ..read import Line

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_APPROX_BEFORE = r"(?P<a1>约|近|逾|超过|大约)?"
_APPROX_AFTER = r"(?P<a2>余|多)?"
_NUMBER = r"(?P<n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_COUNT_UNIT = r"(?P<unit>条|件|份|宗)"
_AROUND = r"(?P<a3>左右|以上|多)?"


def _figure(unit: str = _COUNT_UNIT) -> str:
    return rf"\s*{_APPROX_BEFORE}\s*{_NUMBER}\s*{_APPROX_AFTER}\s*{unit}{_AROUND}"


_N = _figure()
_N_BARE = _figure(r"(?P<unit>条|件|份|宗)?")  # inventories sometimes drop the unit: 不予公开信息数1402。
_PEOPLE = _figure(r"(?P<unit>人次)")
_PERSONS = _figure(r"(?P<unit>人|名)")
_MONEY = _figure(r"(?P<unit>万元|元)")
_NOT_CONSULT_PART = r"(?<!现场)(?<!电话)(?<!网上)(?<!在线)"
# Who acted, between the year and the verb: 2016年我镇主动公开政府信息568条.
_SUBJECT = r"(?:我(?:镇|乡|街道|局|委|办|厅|区|县|市|单位|中心|部门)|本(?:镇|乡|局|委|办|单位|机关))?"

# (row key, pattern, a label guess): the words before a figure, then the figure.
_FIGURES: tuple[tuple[str, str, bool], ...] = (
    ("inventory.total", rf"制作、?获取(?:的)?政府信息(?:总数|共)(?:为|达)?{_N_BARE}", False),
    ("inventory.on_request", rf"作为依申请公开(?:的)?信息(?:数)?(?:为)?{_N_BARE}", False),
    ("inventory.exempt", rf"不予公开(?:的)?信息(?:数)?(?:为)?{_N_BARE}", False),
    (
        "proactive.total",
        rf"(?:{{year}}年度?|全年|本年度?|今年)[，,]?{_SUBJECT}(?:共)?(?:新增)?主动公开(?:政府)?信息(?:共|共计)?{_N}",
        False,
    ),
    ("proactive.total", rf"新增主动公开(?:政府)?信息(?:共|共计)?{_N}", False),
    # Channels of proactive disclosure (理合务镇, 桥下镇 2017): each a part, never the total.
    ("proactive.website", rf"通过(?:政府|门户)?(?:网站|政府网站|门户网站)(?:公开|发布)(?:政府)?信息(?:数)?{_N}", False),
    ("proactive.gazette", rf"通过政府公报(?:公开|发布)(?:政府)?信息(?:数)?{_N}", False),
    ("proactive.weixin", rf"(?:政务)?微信(?:公众号)?(?:平台)?(?:公开|发布)(?:政府)?信息(?:数)?{_N}", False),
    ("proactive.weibo", rf"(?:政务)?微博(?:公开|发布)(?:政府)?信息(?:数)?{_N}", False),
    ("proactive.other_channel", rf"公开栏(?:公开|发布)(?:政府)?信息(?:数)?{_N}", False),
    ("website.visits", rf"访问量(?:达|为|共)?{_PEOPLE}", False),
    (
        "requests.received",
        rf"(?:收到|受理|新收)(?:有关|涉及)?(?:政府信息公开|依申请公开(?:政府信息)?)(?:的)?申请(?:共)?{_N}",
        False,
    ),
    ("requests.channel.in_person", rf"当面申请(?:数)?{_N}", False),
    ("requests.channel.fax", rf"传真申请(?:数)?{_N}", False),
    ("requests.channel.email", rf"电子邮件申请(?:数)?{_N}", False),
    ("requests.channel.online", rf"网上申请(?:数)?{_N}", False),
    ("requests.channel.letter", rf"(?<!、)信函申请(?:数)?{_N}", False),
    ("answers.total", rf"答复(?:总数|申请)(?:共|为)?{_N}", False),
    ("answers.granted", rf"(?<!不)同意公开(?:答复)?(?:数)?{_N}", False),
    ("answers.partial", rf"同意部分公开(?:答复)?(?:数)?{_N}", False),
    ("answers.partial", rf"其[它他]公开答复(?:数)?{_N}", True),
    ("answers.refused", rf"否决公开(?:答复)?(?:总)?(?:数)?{_N}", False),
    ("answers.refused", rf"免[于予]公开答复(?:数)?{_N}", True),
    ("review.total", rf"行政复议(?:申请)?(?:案件)?(?:共)?{_N}", False),
    ("suit.total", rf"行政诉讼(?:案件)?(?:共)?{_N}", False),
    ("consult.in_person", rf"现场(?:咨询|接待)(?:人数)?{_PEOPLE}", False),
    ("consult.phone", rf"(?:电话咨询|咨询电话(?:接听)?(?:数)?){_PEOPLE}", False),
    ("consult.online", rf"(?:网上|在线)咨询(?:数)?{_PEOPLE}", False),
    ("consult.total", rf"{_NOT_CONSULT_PART}咨询(?:量)?(?:共|达)?{_PEOPLE}", False),
    ("consult.total", rf"{_PEOPLE}通过[^，。；]{{0,20}}咨询", False),
    ("staff.fulltime", rf"(?:全职|专职)(?:人员|工作人员)(?:共|有)?{_PERSONS}", False),
    ("staff.parttime", rf"兼职(?:人员|工作人员)(?:共|有)?{_PERSONS}", False),
    ("spending", rf"政府信息公开(?:工作)?(?:事务)?(?:费用|支出|经费)(?:共|为)?{_MONEY}", False),
)

# "Nothing happened" sentences: (row keys they set to 0, pattern).
_NOTHING: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("requests.received",),
        r"(?:未|没有)(?:收到|受理|发生)(?:有关|任何)?(?:政府信息公开|依申请公开(?:政府信息)?)(?:的)?申请",
    ),
    (
        ("review.total", "suit.total"),
        r"(?:未|没有)(?:收到|发生|出现)?[^，。；]{0,24}行政复议[、和及或]\s*(?:提起)?行政诉讼",
    ),
    (("review.total",), r"(?:未|没有)(?:收到|发生)[^，。；]{0,24}行政复议(?:申请|案件)"),
    (("answers.total",), r"不存在政府信息(?:公开)?答复|(?:未|没有)(?:发生|作出)[^，。；]{0,10}答复"),
    (("staff.fulltime",), r"没有[^，。；]{0,20}(?:全职|专职)(?:人员|工作人员)"),
    (("fees.charged",), r"暂不收费|(?:未|没有|不)收取(?:任何)?费用|免费提供"),
)
_OUTCOME = re.compile(r"纠错|败诉|被")
_MONEY_KEYS = {"spending", "fees.charged", "fees.waived", "fees.charged_or_waived"}
_OTHER_PERIOD = re.compile(r"截至|截止|累计|至今|以来|历年")
_A_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_AGGREGATE = re.compile(
    r"汇总(?:各|全)|综合各[^。，]{0,6}(?:县|区|乡|镇|部门|单位)"
    r"|根据[^。]{0,80}各(?:相关)?(?:部门|单位|乡镇|县|区)[^。]{0,40}(?:年度报告|年报)(?:编制|汇总)"
)


@dataclass(frozen=True)
class Figure:
    """One figure a sentence of prose gives."""

    key: str
    """The row key (``requests.received``); prose figures are all of the year column."""
    value: Value
    """None when approximate."""
    sentence: str
    line: int
    approximate: bool = False
    guess: bool = False
    """Read from a label that drifts from the table's words (FORMAT-2008.md §5, rule 5)."""


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if all(ch in _CN for ch in text):
        return int("".join(str(_CN[ch]) for ch in text))
    m = re.fullmatch(r"([一二两三四五六七八九])?十([一二三四五六七八九])?", text)
    if m:
        return (_CN[m.group(1)] if m.group(1) else 1) * 10 + (_CN[m.group(2)] if m.group(2) else 0)
    return None


def sentences(lines: tuple[Line, ...], skip: tuple[int, int]) -> list[tuple[str, int]]:
    """The sentences outside ``skip``, each with its line number.

    :param skip: a span of the lines' text joined by newlines (the table), left out.
    """
    out: list[tuple[str, int]] = []
    at = 0
    for line in lines:
        text = line.text
        start, end = at, at + len(text)
        at = end + 1
        if skip[0] < end and start < skip[1]:  # the table is on this line: keep what lies outside it
            text = text[: max(skip[0] - start, 0)] + "。" + text[max(skip[1] - start, 0) :]
        for sentence in re.split(r"(?<=[。！？])", text):
            if sentence.strip("。 "):
                out.append((sentence.strip(), line.number))
    return out


def in_period(sentence: str, year: int | None) -> bool:
    """Whether a sentence speaks of the reporting year, not of a period up to a date or another year."""
    if _OTHER_PERIOD.search(sentence):
        return False
    return all(int(y) == year for y in _A_YEAR.findall(sentence)) if year else True


def figures(sentences_: list[tuple[str, int]], year: int | None) -> list[Figure]:
    """Every figure the sentences give for the reporting year, approximate ones included (value None)."""
    out: list[Figure] = []
    for sentence, line in sentences_:
        if not in_period(sentence, year):
            continue
        taken: list[tuple[int, int]] = []  # spans already read, so a figure counts once
        for key, pattern, guess in _FIGURES:
            for m in re.finditer(pattern.replace("{year}", str(year or r"\d{4}")), sentence):
                if any(s <= m.start("n") < e for s, e in taken):
                    continue
                n = _cn_number(m.group("n"))
                if n is None and "." not in m.group("n"):
                    continue
                taken.append((m.start("n"), m.end("n")))
                approximate = any(m.group(g) for g in ("a1", "a2", "a3"))
                value: Value
                if approximate:
                    value = None
                elif key in _MONEY_KEYS:
                    amount = Decimal(m.group("n")) if n is None else Decimal(n)
                    value = amount if m.group("unit") == "万元" else amount / 10000
                elif n is None:
                    continue  # a decimal where a count belongs
                else:
                    value = n
                out.append(Figure(key, value, sentence, line, approximate, guess))
        for keys, pattern in _NOTHING:
            said = re.search(pattern, sentence)
            # 未发生…被行政复议纠错或行政诉讼败诉: no correction or loss, not no review.
            if said and not _OUTCOME.search(sentence[said.start() : said.end() + 8]):
                for key in keys:
                    if not any(f.key == key and f.sentence == sentence for f in out):
                        out.append(Figure(key, Decimal(0) if key in _MONEY_KEYS else 0, sentence, line))
    return out


def aggregate(sentences_: list[tuple[str, int]]) -> bool:
    """Whether the report says it sums its subordinate units' reports (汇总各…, 综合各县、区)."""
    return any(_AGGREGATE.search(s) for s, _ in sentences_)


_CARRIED = re.compile(r"结转|上年|上一年")
STATUTORY = {"requests.received": "T3.new.total", "review.total": "T4.review.total"}
"""The two identities across the 2019 reform (FORMAT-2008.md §6): a prose figure for one of these
rows restates the statutory cell."""


def prose_check(
    sections: tuple[Section, ...], cells: dict[str, Cell], year: int | None, path: str | None
) -> list[Issue]:
    """A report of 2019 on: the narrative's figures against its tables, as warnings only.

    The narrative often restates the table (全年共收到政府信息公开申请710件), and
    sometimes disagrees with it; a sentence that disagrees is quoted in a
    warning, and no cell changes.
    """
    said = [(s, section.line) for section in sections for s in re.split(r"(?<=[。！？；])", section.text) if s.strip()]
    out: list[Issue] = []
    for figure in figures(said, year):
        if _CARRIED.search(figure.sentence):
            continue  # 共收到申请X件（含上年结转Y件）: new and carried together, not the new alone
        key = STATUTORY.get(figure.key)
        cell = cells.get(key) if key else None
        if key is None or cell is None or cell.value is None or figure.value is None or figure.value == cell.value:
            continue
        table, _, rest = key.partition(".")
        row, _, column = rest.rpartition(".")
        out.append(
            Issue(
                "prose-table-conflict",
                f"{key}: the narrative says {figure.value} where the table prints {cell.value};"
                f" the table's value stands ({figure.sentence.strip()})",
                Severity.WARNING,
                Location(path, figure.line, table, row, column),
            )
        )
    return out
