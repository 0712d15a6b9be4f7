"""Reports as they are published: HTML pages, Word files, PDFs, any encoding.

The seeds' hand-checked values are written out as real documents (spans,
blank cells, site chrome, GBK …) and must parse back to the same values.
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from common import EXPECTED, FIXTURES, expected_cells
from forms import docx_bytes, html_page, pdf_bytes

from kgbuild import NotAReport, parse
from kgbuild.statute import Kind, column_kind

RENDERINGS = {
    "html-utf8": lambda *a: html_page(*a),
    "html-gbk-declared": lambda *a: html_page(*a, charset="gbk"),
    "html-gb18030-undeclared": lambda *a: html_page(*a, charset="gb18030", declare=False),
    "html-utf16": lambda *a: html_page(*a, charset="utf-16"),
    "html-word-split-layout": lambda *a: html_page(*a, word=True, split_t3=True, layout=True, fullwidth=True),
    "docx": docx_bytes,
    "docx-layout": lambda *a: docx_bytes(*a, layout=True),
    "pdf": pdf_bytes,
}
FORM_OF = {"docx": "docx", "docx-layout": "docx", "pdf": "pdf"}


def _args(name: str) -> tuple:
    e = EXPECTED[name]
    return e["agency"], e["year"], e["version"], expected_cells(name)


@pytest.mark.parametrize("rendering", sorted(RENDERINGS))
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_as_published(name: str, rendering: str) -> None:
    agency, year, version, cells = _args(name)
    report = parse(RENDERINGS[rendering](agency, year, version, cells), name=f"{name}.{rendering}")
    assert report.form == FORM_OF.get(rendering, "html")
    assert (report.agency, report.year, report.version, report.published) == (agency, year, version, "2021-01-29")
    got = {k: report.value(k) for k in cells}
    assert got == cells
    # Blank cells (a seed's undetermined ones) are null and named; nothing else is wrong.
    assert [i.code for i in report.issues if i.code not in ("missing-cell", "inferred-cell")] == []


@pytest.mark.parametrize("rendering", ["html-utf8", "docx", "pdf"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_zeros_printed_blank_are_null_or_fixed_by_rule(name: str, rendering: str) -> None:
    """As on the Shanghai page: zeros left blank. Never 0 by default; only by the rules."""
    agency, year, version, cells = _args(name)
    data = {
        "html-utf8": lambda: html_page(agency, year, version, cells, blank_zeros=True),
        "docx": lambda: docx_bytes(agency, year, version, cells, blank_zeros=True),
        "pdf": lambda: pdf_bytes(agency, year, version, cells, blank_zeros=True),
    }[rendering]()
    report = parse(data, name=name)
    for key, want in cells.items():
        cell = report.cells[key]
        if want == 0 and column_kind(key) is Kind.COUNT:
            assert cell.value is None or (cell.value == 0 and cell.inferred), key
        else:
            assert cell.value == want, key


def test_encoding_is_reported() -> None:
    agency, year, version, cells = _args("000_a625d82b2993cd46.txt")
    assert parse(html_page(agency, year, version, cells, charset="gbk")).encoding == "gb18030 (declared gbk)"
    assert parse(html_page(agency, year, version, cells)).encoding == "utf-8"
    undeclared = parse(html_page(agency, year, version, cells, charset="gb18030", declare=False))
    assert undeclared.encoding.endswith("(detected)")


def test_text_in_gbk_is_detected() -> None:
    text = (FIXTURES / "seeds" / "004_e16fd8ae6e19c773.txt").read_text(encoding="utf-8")
    report = parse(text.encode("gbk"), name="004.gbk.txt")
    assert report.encoding.endswith("(detected)")
    assert report.cells == parse(text.encode("utf-8")).cells


def test_the_real_shanghai_page() -> None:
    expected = json.loads((FIXTURES / "real" / "expected.json").read_text(encoding="utf-8"))["reports"]
    exp = expected["shanghai-office-2019.html"]
    report = parse(FIXTURES / "real" / "shanghai-office-2019.html")
    assert (report.agency, report.year, report.version, report.published) == (
        "上海市人民政府办公厅", 2019, "2019", "2020-01-31",
    )  # fmt: skip
    for key, want in exp["cells"].items():
        have = report.value(key)
        if have is None:
            assert key in exp["undetermined"], key
        else:
            assert have == (Decimal(want) if isinstance(want, str) else want), key
    # Every printed number is read; every blank is null or inferred, never assumed.
    for key, cell in report.cells.items():
        assert (cell.text is not None and cell.text.strip()) or cell.value is None or cell.inferred, key


def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in names:
            z.writestr(n, "x")
    return out.getvalue()


def _scanned_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.rect(100, 100, 300, 400, fill=1)  # an image of a page: no text
    page.save()
    return out.getvalue()


NOT_REPORTS = {
    "zip": (_zip(["report.html"]), "a ZIP archive, not a report: unpack it and read the files inside"),
    "ole2-doc": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "an old Word, WPS or Excel file (OLE2), which kgbuild cannot read: save it as DOCX or PDF",
    ),
    "scanned-pdf": (_scanned_pdf(), "a PDF with no text layer (a scan?): run OCR on it first"),
    "broken-pdf": (b"%PDF-1.4\n%broken", None),
    "html-article": (
        "<html><body><p>新闻</p></body></html>".encode(),
        "not an annual report on open government information: none of its statutory tables was found",
    ),
}


@pytest.mark.parametrize(("data", "message"), NOT_REPORTS.values(), ids=NOT_REPORTS.keys())
def test_documents_that_are_no_report(data: bytes, message: str | None) -> None:
    with pytest.raises(NotAReport) as e:
        parse(data, name="report.html")
    assert e.value.path == "report.html"
    if message:
        assert e.value.message == message
