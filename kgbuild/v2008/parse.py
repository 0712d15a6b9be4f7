"""A report of 2008–2018 into the cell model: its form's table, then its prose."""

from __future__ import annotations

import re
from collections import defaultdict

from ..divisions import link
from ..errors import Issue, Location, NotAReport, Severity
from ..metadata import read_metadata
from ..model import Cell, Report, Value, unexplained_nulls
from ..read import Document
from ..statute import FORM_2008
from .forms import TABLE, forms
from .prose import Figure, aggregate, figures, sentences
from .rules import check
from .table import Found, find

LAST_YEAR = 2018
"""Reports of 2019 on follow the statutory tables of FORMAT.md."""
NO_TABLES = "not an annual report on open government information: none of its statutory tables was found"
# Titles of what is filed among annual reports but is none: letters, notices, plans, summaries.
_OTHER_DOCUMENT = re.compile(r"(?:的|之)?(函|通知|通报|意见|要点|计划|方案|总结|批复|请示)$")
_TITLE_FIELD = re.compile(r"^(?:文章|信息|公告)?(?:标题|题目|名称)[:：]\s*")


def parse_2008(doc: Document) -> Report:
    """A report of 2008–2018: version ``2008``, its form's cells and the figures of its prose.

    :raises NotAReport: no report of those years (a letter filed among them), or
        one of 2019 on without its statutory tables.
    """
    path = doc.source
    table = find(doc, forms())
    start, end = (table.start, table.end) if table else (len(doc.lines), len(doc.lines))
    span = table.span if table else (0, 0)
    meta = read_metadata(doc.lines, start, end)
    if meta.year is None or meta.title_index is None:
        title = _first_title(doc)
        kind = _OTHER_DOCUMENT.search(title) if title else None
        if kind:
            raise NotAReport(
                f"not an annual report on open government information: its title is a {kind.group(1)}"
                f" ({title}), not a 年度报告 [not-a-report]",
                path,
            )
        raise NotAReport(NO_TABLES, path)
    if meta.year > LAST_YEAR:
        raise NotAReport(NO_TABLES, path)
    issues: list[Issue] = []
    if meta.agency is None:
        issues.append(Issue("missing-agency", "the report's title names no agency", Severity.WARNING, Location(path)))
    division, unlinked = link(meta.agency, " ".join(line.text for line in doc.lines), path)
    issues += unlinked
    cells: dict[str, Cell] = dict(table.cells) if table else {}
    if table:
        issues += table.issues
    said = sentences(doc.lines, span)
    prose_keys = _merge(figures(said, meta.year), table, cells, path, issues)
    if table:
        issues += check(table.form, cells, path)
    issues += unexplained_nulls(cells, issues, path)
    return Report(
        source=path,
        sha256=doc.sha256,
        agency=meta.agency,
        year=meta.year,
        version=FORM_2008,
        published=meta.published,
        cells=cells,
        issues=tuple(sorted(issues, key=Issue.order)),
        encoding=doc.encoding,
        form=doc.form,
        tables=(TABLE,) if table else (),
        table_form=table.form.name if table else "prose",
        prose=tuple(prose_keys),
        scope="aggregate" if aggregate(said) else "own",
        division=division.code if division else None,
        office=division.office if division else None,
    )


def _first_title(doc: Document) -> str | None:
    """The document's title: an archive's 标题 field, else its first line of text."""
    for line in doc.lines[:12]:
        text = line.text.strip()
        if _TITLE_FIELD.match(text):
            return _TITLE_FIELD.sub("", text).strip() or None
    return next((line.text.strip() for line in doc.lines if line.text.strip()), None)


def _merge(
    read: list[Figure], table: Found | None, cells: dict[str, Cell], path: str | None, issues: list[Issue]
) -> list[str]:
    """Put the prose figures into the cells; returns the keys whose value came from prose.

    A table cell stands whatever the prose says (a difference is a warning); a
    prose figure may choose among a digit run's cuts; a figure for a key the
    table lacks becomes its cell, unless it is approximate or the prose gives two.
    """
    by_key: dict[str, list[Figure]] = defaultdict(list)
    for f in read:
        by_key[f.key].append(f)
    from_prose: list[str] = []
    for row, found in by_key.items():
        key = f"{TABLE}.{row}.year"
        exact = [f for f in found if not f.approximate]
        values = sorted({f.value for f in exact}, key=str)
        where = Location(path, found[0].line, TABLE, row, "year")
        if key in cells:
            _check_table(key, row, exact, table, cells, path, issues)
            continue
        if not exact:
            cells[key] = Cell(key, None, found[0].sentence, found[0].line)
            issues.append(
                Issue(
                    "approx",
                    f"{row}: the prose gives only an approximate figure: {found[0].sentence}",
                    Severity.WARNING,
                    where,
                )
            )
            continue
        if len(values) > 1:
            cells[key] = Cell(key, None, exact[0].sentence, exact[0].line)
            shown = "; ".join(f"{f.value} in {f.sentence}" for f in exact)
            issues.append(
                Issue(
                    "prose-conflict", f"{row}: the prose gives {len(values)} figures: {shown}", Severity.WARNING, where
                )
            )
            continue
        first = exact[0]
        cells[key] = Cell(key, first.value, first.sentence, first.line)
        from_prose.append(key)
        if first.guess:
            issues.append(
                Issue(
                    "label-guess",
                    f"{row} read from a label that is not the table's: {first.sentence}",
                    Severity.WARNING,
                    where,
                )
            )
    return from_prose


def _check_table(
    key: str,
    row: str,
    exact: list[Figure],
    table: Found | None,
    cells: dict[str, Cell],
    path: str | None,
    issues: list[Issue],
) -> None:
    """A prose figure against the table: a chosen cut for an ambiguous digit run, or a conflict noted."""
    cell = cells[key]
    values: set[Value] = {f.value for f in exact}
    if cell.value is None and table and row in table.ambiguous and len(values) == 1:
        year = next(iter(values))
        chosen = [c for c in table.ambiguous[row] if dict(zip(table.form.columns, c, strict=True)).get("year") == year]
        if len(chosen) == 1:
            for column, value in zip(table.form.columns, chosen[0], strict=True):
                k = f"{TABLE}.{row}.{column}"
                cells[k] = Cell(k, value, cells[k].text, cells[k].line, placed="cut")
            # The run is no longer ambiguous: its warning gives way to the note below.
            issues[:] = [i for i in issues if not (i.code == "digit-run-ambiguous" and i.location.row == row)]
            issues.append(
                Issue(
                    "digit-run-cut",
                    f"{row}: of the cuts of {cell.text}, the prose's {year} leaves one:"
                    f" {' | '.join(map(str, chosen[0]))} ({exact[0].sentence})",
                    Severity.INFO,
                    Location(path, cell.line, TABLE, row),
                )
            )
        return
    for f in exact:
        if cell.value is not None and f.value != cell.value:
            issues.append(
                Issue(
                    "prose-table-conflict",
                    f"{row}: the prose says {f.value} where the table prints {cell.value}; the table's value stands"
                    f" ({f.sentence})",
                    Severity.WARNING,
                    Location(path, f.line, TABLE, row, "year"),
                    ("W6",),
                )
            )
