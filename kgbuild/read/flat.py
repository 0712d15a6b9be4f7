"""Flattened text: a page whose lines a site archive or a copy ran together.

Archives that flatten a page to text print its body as one line, each table
row a label and its cells with no space between (``行政许可2629第二十条…``).
Such a line is cut back into the lines the page had, at the marks of the
report's own structure: before a section or item number (``三、``, ``（一）``,
``2.``, ``第二十条``), after a section heading, and after a run of digits that
a label follows. The digits themselves are never cut here: which cells a
run of digits holds is for the cell model to decide, under the balance rules.

>>> page = "二、主动公开政府信息情况规章000行政规范性文件77132470第二十条第（五）项行政许可2629行政处罚1330"
>>> for line in unflatten(Line(1, (page + "三、收到和处理政府信息公开申请情况……" * 6,)))[:6]:
...     print(line.text)
二、主动公开政府信息情况
规章000
行政规范性文件77132470
第二十条第（五）项行政许可2629
行政处罚1330
三、收到和处理政府信息公开申请情况
"""

from __future__ import annotations

import re

from .document import Line

# A line this long is prose, a table's row or a flattened page; only a
# flattened one has runs of digits that a label, not a counter word, follows.
_MIN_LENGTH = 40
_MIN_GLUED_RUNS = 2

_NUMERAL = "一二三四五六七八九十"
# Words that follow a number in prose (2023年, 通报3次, 42件, 51.85%): no row label starts so.
_COUNTERS = "年月日时分秒号件个项条次人名家户篇期场份批所类天周岁万亿元余多倍届座部套张页台辆条增减"

# What may start a label after a run of digits: an ideograph that is no counter word, or a bracket.
_LABEL_START = rf"(?:(?![{_COUNTERS}{_NUMERAL}])[\u4e00-\u9fff]|[(（])"

_CUTS = re.compile(
    rf"(?=[{_NUMERAL}]+、)"  # 三、本年度办理结果
    rf"|(?<!第)(?=[(（][{_NUMERAL}]+[)）])"  # （一）予以公开, not 第（一）项
    rf"|(?=第[{_NUMERAL}\d]+条)"  # 第二十条第（五）项
    r"|(?<!\d)(?=\d\.[\u4e00-\u9fff])"  # 2.其他法律…, its item number not yet glued to digits
    r"|(?<=\d)(?=\d\.[\u4e00-\u9fff])"  # 0000000|2.其他法律…: the digit before ".其" is the item number
    rf"|(?<=\d)(?={_LABEL_START})"  # 规章000|行政规范性文件77132470
)
_GLUED_RUN = re.compile(rf"[\u4e00-\u9fff）)”]\d+(?:\.\d+)?(?={_LABEL_START})")
_SECTION = re.compile(rf"^[{_NUMERAL}]+、")
_HEADING_END = re.compile(r"情况|事项")


def is_flattened(line: Line) -> bool:
    """Whether a text line is a flattened page (or part of one), not a paragraph."""
    if line.positional:
        return False
    text = line.text
    return len(text) >= _MIN_LENGTH and len(_GLUED_RUN.findall(text)) >= _MIN_GLUED_RUNS


def unflatten(line: Line) -> list[Line]:
    """A flattened line cut back into lines, each with the line's own number."""
    if not is_flattened(line):
        return [line]
    pieces: list[str] = []
    for piece in _CUTS.split(line.text):
        piece = piece.strip()
        if not piece:
            continue
        heading = _SECTION.match(piece) and _HEADING_END.search(piece, 0, 40)
        if heading and heading.end() < len(piece):
            # 四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持…: the heading, then the table's header.
            pieces += [piece[: heading.end()], piece[heading.end() :].strip()]
        else:
            pieces.append(piece)
    return [Line(number=line.number, fields=(p,)) for p in pieces]


def unflatten_all(lines: list[Line]) -> list[Line]:
    """Every line of a document, flattened ones cut back into lines."""
    return [piece for line in lines for piece in unflatten(line)]
