"""Find a provincial form's table in a report and read its cells.

The table is read the same way from every input form: a grid row (HTML,
DOCX, PDF) gives its cells as fields; flattened text runs a row's label,
unit and numbers together (``受理依申请公开信息总数条728其中：1.当面申请数条018``),
so a row is whatever lies between its label and the next row's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Issue, Location, Severity
from ..model import Cell, Value
from ..numbers import is_blank_mark, money_in_wan, normalise, read_number
from ..read import Document
from .forms import MONEY_UNITS, TABLE, Form, Row
from .runs import digit_run, settle_by_rules

_HEADER = re.compile(r"指\s*标\s*名\s*称")
# What may sit between a row's numbers and the next row's label: an ordinal (其中：1. / 2、).
_ORDINAL_END = re.compile(r"(?:其\s*中\s*[：:]?\s*)?(?:\d\s*[.、．]|[（(][一二三四五六七八九十\d][)）])?\s*$")
_UNIT = re.compile(r"^(?:万元|亿元|元|人次|条|件|个|人|份|项|次|宗)")
_WORD_RUNS = re.compile(r"(?<=\d)\s+(?=\d)")
# A row's label must come within this many characters of the row before: rows are adjacent.
_NEAR = 160


@dataclass(frozen=True)
class Found:
    """A form's table as found in a document."""

    form: Form
    cells: dict[str, Cell]
    issues: list[Issue]
    start: int
    """Index of the document line where the table starts (its title or header)."""
    end: int
    """Index after its last line."""
    span: tuple[int, int]
    """Where it is in the lines' text joined by newlines: flattened text may run prose and table on one line."""
    rows_found: int
    marks_found: int
    ambiguous: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)
    """Rows printed as one digit run with several cuts: the cuts, for prose to choose from."""

    @property
    def rank(self) -> tuple[bool, float, int]:
        """Better when the form's own words are all there, more of its rows are found, fewer missed."""
        required = sum(1 for r in self.form.rows if not r.optional)
        return (
            self.marks_found == len(self.form.marks),
            self.rows_found / max(required, 1),
            -(required - self.rows_found),
        )


class _Text:
    """The document as one string, with the line each character came from."""

    def __init__(self, doc: Document) -> None:
        parts: list[str] = []
        self.starts: list[int] = []
        at = 0
        for line in doc.lines:
            self.starts.append(at)
            parts.append(line.text)
            at += len(line.text) + 1
        self.text = "\n".join(parts)
        self.lines = doc.lines

    def index(self, offset: int) -> int:
        """The index of the line holding ``offset``."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


def _label_re(label: str) -> re.Pattern[str]:
    # Spaces and line breaks may fall anywhere inside a printed label.
    return re.compile(r"\s*".join(re.escape(ch) for ch in label if not ch.isspace()))


def find(doc: Document, forms: tuple[Form, ...]) -> Found | None:
    """The form whose table the document prints, read; None when none is there."""
    text = _Text(doc)
    best: Found | None = None
    for form in forms:
        found = _read(text, form, doc.source)
        if found is None:
            continue
        if best is None or found.rank > best.rank:
            best = found
    return best


def _start(text: _Text, form: Form) -> int | None:
    """Where the table starts: its column header (指标名称), else the last mention of its title."""
    header = list(_HEADER.finditer(text.text))
    if header:
        return header[-1].start()
    titles = list(_label_re(form.title).finditer(text.text))
    return titles[-1].start() if titles else None


def _read(text: _Text, form: Form, path: str | None) -> Found | None:
    start = _start(text, form)
    if start is None:
        return None
    matches: list[tuple[Row, re.Match[str]]] = []
    pos = start
    for row in form.rows:
        m = _first(text.text, row, pos)
        if m is None or len(re.sub(r"\s", "", text.text[pos : m.start()])) > _NEAR:
            continue
        matches.append((row, m))
        pos = m.end()
    required = sum(1 for r in form.rows if not r.optional)
    if len(matches) < max(3, (required * 3 + 4) // 5):
        return None  # not this form's table: too few of its rows in a row
    marks = sum(1 for mark in form.marks if any(_label_re(mark).search(m.group()) for _, m in matches))
    cells: dict[str, Cell] = {}
    issues: list[Issue] = []
    ambiguous: dict[str, list[tuple[int, ...]]] = {}
    found_keys = {row.key for row, _ in matches}
    for row in form.rows:
        if row.key not in found_keys and not row.optional:
            issues.append(
                Issue(
                    "missing-row",
                    f"row {row.labels[-1]} of form {form.name} was not found",
                    Severity.ERROR,
                    Location(path, table=TABLE, row=row.key),
                )
            )
    for i, (row, m) in enumerate(matches):
        end = matches[i + 1][1].start() if i + 1 < len(matches) else _row_end(text.text, m.end())
        line_index = text.index(m.start())
        values, cut_options = _row_values(text, form, row, m, end, line_index, path, issues)
        for column, (value, printed) in zip(form.kept, values, strict=True):
            key = f"{TABLE}.{row.key}.{column}"
            cells[key] = Cell(key, value, printed, text.lines[line_index].number, placed=None)
        if cut_options:
            if len(cut_options) == 1:
                for column in form.kept:
                    key = f"{TABLE}.{row.key}.{column}"
                    cells[key] = Cell(key, cells[key].value, cells[key].text, cells[key].line, placed="cut")
            else:
                ambiguous[row.key] = cut_options
    settle_by_rules(form, cells, ambiguous, path, issues)
    last_end = _row_end(text.text, matches[-1][1].end())
    end_line = text.index(last_end) + 1
    return Found(
        form=form,
        cells=cells,
        issues=issues,
        start=text.index(start),
        end=end_line,
        span=(start, last_end),
        rows_found=len(matches),
        marks_found=marks,
        ambiguous=ambiguous,
    )


def _first(text: str, row: Row, pos: int) -> re.Match[str] | None:
    """The first of the row's label variants after ``pos`` (the longest where two start together)."""
    best: re.Match[str] | None = None
    for label in row.labels:
        m = _label_re(label).search(text, pos)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def _row_end(text: str, at: int) -> int:
    """The end of the last row: its line, or its unit and numbers where the text runs on."""
    m = re.compile(r"\s*(?:万元|亿元|元|人次|条|件|个|人)?[\s\d.,]*").match(text, at)
    return m.end() if m else at


def _row_values(
    text: _Text,
    form: Form,
    row: Row,
    m: re.Match[str],
    end: int,
    line_index: int,
    path: str | None,
    issues: list[Issue],
) -> tuple[list[tuple[Value, str | None]], list[tuple[int, ...]]]:
    """The row's kept cells (value, printed text), and its digit-run cuts where it was one run."""
    nothing: list[tuple[Value, str | None]] = [(None, None)] * len(form.kept)
    line = text.lines[line_index]
    where = Location(path, line.number, TABLE, row.key)
    grid = _grid_cells(line.fields, m.group(), len(form.columns)) if line.positional else None
    if grid is not None:
        unit, printed = grid
    else:
        segment = _ORDINAL_END.sub("", text.text[m.end() : end]).strip()
        unit_m = _UNIT.match(segment)
        unit = unit_m.group() if unit_m else None
        rest = segment[unit_m.end() :] if unit_m else segment
        printed = [t for t in normalise(rest).split(" ") if t]
    if grid is None and len(printed) == 1 and len(form.columns) > 1 and printed[0].isdigit():
        return digit_run(form, row, printed[0], unit, where, issues)
    if len(printed) != len(form.columns):
        code = "short-row" if len(printed) < len(form.columns) else "long-row"
        issues.append(
            Issue(
                code,
                f"row {row.labels[-1]} shows {len(printed)} value{'s' if len(printed) != 1 else ''}"
                f" for {len(form.columns)} columns ({' | '.join(printed) or 'none'}); no cell of it is asserted",
                Severity.ERROR,
                where,
            )
        )
        return nothing, []
    values: list[tuple[Value, str | None]] = []
    for column, cell_text in zip(form.columns, printed, strict=True):
        if not column:
            continue
        values.append((_value(row, cell_text, unit, where, column, issues), cell_text or None))
    return values, []


def _grid_cells(fields: tuple[str, ...], label: str, columns: int) -> tuple[str | None, list[str]] | None:
    """A grid row's unit and value cells, read by position; None when the label is not in its own cell."""
    compact = re.sub(r"\s", "", label)
    at = next((i for i, f in enumerate(fields) if compact in re.sub(r"\s", "", f)), None)
    if at is None:
        return None
    # One cell, one number: Word splits a number's text into runs (2 + 122), which a line break
    # between the runs turns into "2 122". Digits are joined within a cell, never across cells.
    after = [_WORD_RUNS.sub("", f.strip()) for f in fields[at + 1 :]]
    if len(after) == columns + 1:
        return after[0] or None, after[1:]
    if len(after) == columns:
        return None, after
    return None


def _value(row: Row, cell_text: str, unit: str | None, where: Location, column: str, issues: list[Issue]) -> Value:
    if not cell_text or is_blank_mark(cell_text):
        return None  # printed empty: null, not 0
    number = read_number(cell_text)
    if number is not None and row.money:
        return money_in_wan(number, number.unit or (unit if unit in MONEY_UNITS else row.unit))
    if number is not None and number.is_integer and number.value >= 0 and not number.signed:
        return int(number.value)
    issues.append(
        Issue(
            "non-numeric-cell",
            f"{cell_text!r} is not a count",
            Severity.ERROR,
            Location(where.path, where.line, where.table, where.row, column),
        )
    )
    return None
