"""Stage 2, recognise: find the three statutory tables in a document's lines.

The same matcher reads every input form. It walks the fields of each table's
region in order: a label that names a statutory row opens that row, and the
numbers (and blank marks) after it are that row's cells until the next
label. Labels are matched on their normalised text (width folded, spaces and
Markdown removed), by words that survive the drift of real reports: PDF text
breaks 商业企业 into 商业企 业, and reports write 本年制作件数 for 本年制发件数.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from .numbers import TRAILING_NUMBER_RE, is_blank_mark, normalise, read_number
from .read import Document, Line

# Row labels. Order matters: the first pattern that matches wins, so a
# sub-row's words come before a group's (不予公开 is the group of 国家秘密).
T3_PATTERNS: tuple[tuple[str, str], ...] = (
    ("new", r"本年新收"),
    ("carried", r"上年结转"),
    ("forward", r"结转下年"),
    ("partial", r"部分公开"),
    ("granted", r"予以公开"),
    ("denied.secret", r"国家秘密"),
    ("denied.law", r"法律行政法规禁止"),
    ("denied.safety", r"三安全一稳定"),
    ("denied.third_party", r"第三方合法权益"),
    ("denied.internal", r"内部事务"),
    ("denied.process", r"过程性信息"),
    ("denied.enforcement", r"行政执法案卷"),
    ("denied.query", r"行政查询事项"),
    ("unavailable.not_held", r"不掌握"),
    ("unavailable.to_create", r"另行制作"),
    ("unavailable.unclear", r"仍不明确"),
    ("rejected.complaint", r"信访举报投诉"),
    ("rejected.repeat", r"重复申请"),
    ("rejected.publication", r"公开出版物"),
    ("rejected.excessive", r"大量反复"),
    ("rejected.confirm", r"重新出具"),
    ("other.no_correction", r"逾期不补正"),
    ("other.no_fee", r"缴纳费用|收费通知"),
    ("other", r"其他处理"),
    # Column headers use these words too: they count only once rows have begun.
    ("other.misc", r"^[(（]?\d*[)）.、]?其他$"),
    ("total", r"^[(（]?[七7]?[)）.、]?(总计|合计)$"),
)
_T3_AFTER_FIRST_ROW = {"other.misc", "total"}

T2_PATTERNS: tuple[tuple[str, str], ...] = (
    ("normative", r"规范性文件"),
    ("rules", r"规章"),
    ("licensing", r"行政许可"),
    ("other_services", r"其他对外管理服务"),
    ("penalty", r"行政处罚"),
    ("coercion", r"行政强制"),
    ("fees", r"行政事业性收费"),
    ("procurement", r"集中采购"),
)

# Words that only one version's forms print.
VERSION_MARKS = {
    "2019": ("新制作数量", "新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购总金额"),
    "2021": ("制发件数", "制作件数", "废止", "现行有效", "本年收费金额", "逾期不补正", "缴纳费用"),
}

_MARKDOWN = re.compile(r"[#*`|>]")
_SECTION = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_HEADING_MAX = 40


def label_key(text: str) -> str:
    """A label's text with width, spaces and Markdown folded away, for matching."""
    return re.sub(r"\s+", "", _MARKDOWN.sub("", normalise(text)))


@dataclass(frozen=True)
class Token:
    """A cell's text after a row label: a number, or a blank."""

    text: str
    """As written; empty for an empty grid cell."""
    line: int
    glued: bool = False
    """Written against its label with no space (``行政许可2629``, ``申请数量801000081``):
    in flattened text, a whole row's cells run together as one run of digits."""

    @property
    def blank(self) -> bool:
        return not self.text or is_blank_mark(self.text)

    @property
    def digit_run(self) -> bool:
        """A glued run of digits alone, which may be several cells written together."""
        return self.glued and self.text.isdigit()


@dataclass
class RawRow:
    """A statutory row as found: its label and the cells after it."""

    table: str
    key: str | None
    """The statutory row its label names; None for numbers under no known label."""
    label: str
    line: int
    tokens: list[Token] = field(default_factory=list)

    @property
    def shown(self) -> str:
        """Its cells as printed, for messages: ``4 _ 0`` (``_`` for a blank)."""
        return " ".join(t.text or "_" for t in self.tokens) or "none"


@dataclass(frozen=True)
class Regions:
    """Line indexes (0-based, into Document.lines) where each table's region starts."""

    t2: int | None
    t3: int | None
    t4: int | None
    end: int
    """Where the T4 region ends: the next section heading, or the end."""


@dataclass
class Recognised:
    """What the recogniser found in a document."""

    regions: Regions
    version: str | None
    rows: dict[tuple[str, str], RawRow]
    printed: dict[str, list[RawRow]]
    """Per table, every row that shows numbers, in the order printed: the
    labelled ones and those whose label is lost (key None)."""
    t4_tokens: list[Token]
    t4_line: int | None
    money_unit: str | None
    """The unit a T2 money column's header names (万元 in 本年收费金额（单位：万元）)."""

    @property
    def tables(self) -> set[str]:
        found = {t for t, _ in self.rows}
        if self.t4_tokens:
            found.add("T4")
        return found


def _heading(line: Line) -> str:
    text = label_key(line.text)
    return text if len(text) <= _HEADING_MAX else ""


def find_regions(lines: tuple[Line, ...]) -> Regions:
    """Locate the tables by their section headings, which the statute fixes."""
    heads = [_heading(line) for line in lines]
    t3 = next((i for i, h in enumerate(heads) if "收到和处理政府信息公开申请" in h), None)
    if t3 is None:  # no heading: the table's own first row
        t3 = next((i for i, ln in enumerate(lines) if "本年新收" in label_key(ln.text)), None)
    start4 = t3 if t3 is not None else 0
    t4 = next(
        (i for i in range(start4, len(heads)) if "行政复议" in heads[i] and "行政诉讼" in heads[i]),
        None,
    )
    before3 = t3 if t3 is not None else len(lines)
    # The last such heading before T3 (the first may be the preface's list of
    # sections), a numbered section heading before a repeated table caption.
    t2_heads = [i for i in range(before3) if re.search(r"主动公开(政府)?信息(的)?情况", heads[i])]
    numbered = [i for i in t2_heads if _SECTION.match(heads[i])]
    t2: int | None = (numbered or t2_heads)[-1] if numbered or t2_heads else None
    if t2 is None:
        t2 = next((i for i in range(before3) if "第二十条" in label_key(lines[i].text)), None)
    end = len(lines)
    if t4 is not None:
        for i in range(t4 + 1, len(lines)):
            if _SECTION.match(heads[i]) or "存在的主要问题" in heads[i]:
                end = i
                break
    return Regions(t2=t2, t3=t3, t4=t4, end=end)


# A number written against the end of a label (``行政强制54``): after a CJK
# character or closing bracket or quote, never after a letter or a digit group.
# Not after 增 or 减: there the number is a signed change, and the label holds
# the cells before it (``行政许可12减345``), which no cut can tell apart.
_GLUED_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff）)”」》])(?<![增减])\d+(?:\.\d+)?(?:万元|亿元|元)?$")


# Digits inside a label, past its item number (1.属于国家秘密): the label is
# several rows run together, and a number at its end belongs to no one row.
_ITEM_NUMBER = re.compile(r"^[(（]?\d+[)）.、．]")


def _digits_in_label(label: str) -> bool:
    return any(ch.isdigit() for ch in _ITEM_NUMBER.sub("", label))


def _fields(line: Line) -> list[tuple[str, bool, bool]]:
    """A line's fields as (text, is_label, glued), with numbers split off label ends.

    PDF text often prints a row as ``总计 9 0 0 0 0 0 9``: one field. ``glued``
    marks a number written against its label with no space between.
    """
    out: list[tuple[str, bool, bool]] = []
    for text in line.fields:
        if not text.strip():
            if line.positional:
                out.append(("", False, False))
            continue
        if read_number(text) is not None or is_blank_mark(text):
            out.append((text, False, False))
            continue
        trailing: list[str] = []
        rest = normalise(text)
        while (m := TRAILING_NUMBER_RE.search(rest)) and m.start() > 0:
            trailing.insert(0, m.group().strip())
            rest = rest[: m.start()].rstrip()
        glued = None if line.positional else _GLUED_NUMBER.search(rest)
        if glued and not _digits_in_label(rest[: glued.start()]):
            # No space between label and number: flattened text, or a PDF's text
            # layer (``8.属于行政查询事项2 0 0 0 0 0 2``).
            out.append((rest[: glued.start()], True, False))
            out.append((glued.group(), False, True))
        elif not trailing:
            out.append((text, True, False))
            continue
        elif read_number(rest) is not None:  # numbers only: ``0 0 0``
            out.append((rest, False, False))
        else:
            out.append((rest, True, False))
        out.extend((t, False, False) for t in trailing)
    return out


def _match(patterns: tuple[tuple[str, str], ...], label: str, skip: Collection[str]) -> str | None:
    for key, pattern in patterns:
        if key not in skip and re.search(pattern, label):
            return key
    return None


def _read_rows(
    table: str,
    lines: tuple[Line, ...],
    patterns: tuple[tuple[str, str], ...],
    gated: Collection[str] = (),
) -> tuple[dict[tuple[str, str], RawRow], list[RawRow]]:
    """The rows of one table's region: those its labels name, and every row printed."""
    rows: dict[tuple[str, str], RawRow] = {}
    printed: list[RawRow] = []
    current: RawRow | None = None
    for line in lines:
        if line.positional:
            current = None  # a grid row never runs on into the next
        unknown = ""  # a grid row's label that names no statutory row
        for text, is_label, glued in _fields(line):
            if not is_label:
                if (
                    current is None
                    and rows
                    and (line.positional or unknown)
                    and not (text == "" or is_blank_mark(text))
                ):
                    # Numbers in a row with no label we know: its label drifted
                    # away (PDF-to-Markdown) or is misprinted. Kept, for the
                    # statutory order to place.
                    current = RawRow(table, None, unknown, line.number)
                if current is not None:
                    if not current.tokens:  # its first number: it joins the printed rows
                        printed.append(current)
                    current.tokens.append(Token(text, line.number, glued))
                continue
            key = _match(patterns, label_key(text), gated if not rows else ())
            if key is None:
                # A label we do not know: the rest of a label broken over lines,
                # or a group label. It ends a row only once the row has cells.
                if current is not None and current.tokens:
                    current = None
                unknown = f"{unknown} {text}".strip()
                continue
            existing = rows.get((table, key))
            if existing is not None and existing.tokens:
                current = None  # a second row of one key: keep the first
                continue
            current = RawRow(table, key, text, line.number)
            rows[(table, key)] = current
    return rows, printed


def _version(lines: tuple[Line, ...]) -> dict[str, list[str]]:
    text = "".join(label_key(line.text) for line in lines)
    return {v: [m for m in marks if m in text] for v, marks in VERSION_MARKS.items()}


def _money_unit(lines: tuple[Line, ...]) -> str | None:
    for line in lines:
        m = re.search(r"金额\W{0,4}(?:单位\W{0,2})?(万元|亿元|元)", label_key(line.text))
        if m:
            return m.group(1)
    return None


def recognise(doc: Document) -> Recognised:
    """Find the statutory tables of a document and the cells of each row."""
    lines = doc.lines
    regions = find_regions(lines)
    n = len(lines)
    t3_end = regions.t4 if regions.t4 is not None else regions.end
    t2_lines = lines[regions.t2 : regions.t3 if regions.t3 is not None else n] if regions.t2 is not None else ()
    t3_lines = lines[regions.t3 : t3_end] if regions.t3 is not None else ()
    t4_lines = lines[regions.t4 + 1 : regions.end] if regions.t4 is not None else ()

    rows, printed2 = _read_rows("T2", t2_lines, T2_PATTERNS)
    rows3, printed3 = _read_rows("T3", t3_lines, T3_PATTERNS, _T3_AFTER_FIRST_ROW)
    rows.update(rows3)

    # T4's cells are the non-label fields of the lines that hold numbers (its
    # header lines hold only labels, and a grid's empty header cells).
    t4_tokens: list[Token] = []
    for line in t4_lines:
        tokens = [Token(text, line.number, glued) for text, is_label, glued in _fields(line) if not is_label]
        if any(not t.blank for t in tokens):
            t4_tokens += tokens

    marks = _version(t2_lines + t3_lines)
    scores = {v: len(m) for v, m in marks.items()}
    version = None
    if scores["2019"] != scores["2021"]:
        version = max(scores, key=lambda v: scores[v])
    return Recognised(
        regions=regions,
        version=version,
        rows=rows,
        printed={"T2": printed2, "T3": printed3},
        t4_tokens=t4_tokens,
        t4_line=lines[regions.t4].number if regions.t4 is not None else None,
        money_unit=_money_unit(t2_lines),
    )
