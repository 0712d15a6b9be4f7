"""Fuzzing every reader: whatever the bytes, kgbuild reads a report or raises its own error.

Real reports in every input form (UTF-8 and GBK text, HTML, DOCX, PDF) are
mutated: bytes flipped, inserted, deleted, cut short, spliced from another
form, and for DOCX the XML inside the archive mutated and zipped again, so
that the mutation reaches the Word reader rather than the ZIP check. Hostile
inputs a crawler meets (nesting, entity bombs, external entities, archives
named .html, NUL bytes) are checked by name.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache

import pytest
from common import EXPECTED, expected_cells
from forms import docx_bytes, html_page, markdown_tabs, pdf_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kgbuild import KgbuildError, parse
from kgbuild.model import Report

SEED = "003_c50bb1760576b204.txt"  # 桦川县, 2020, form 2019


@cache
def real_reports() -> dict[str, bytes]:
    """One real report (a hand-checked seed's cells) in every input form the readers take."""
    meta = EXPECTED[SEED]
    cells = {k: v for k, v in expected_cells(SEED).items() if v is not None}
    args = (meta["agency"], meta["year"], meta["version"], cells)
    text = markdown_tabs(*args)
    return {
        "text-utf8": text.encode("utf-8"),
        "text-gbk": text.encode("gb18030"),
        "html": html_page(*args),
        "html-gbk": html_page(*args, charset="gbk"),
        "docx": docx_bytes(*args),
        "pdf": pdf_bytes(*args),
    }


def _read(data: bytes, name: str) -> Report | None:
    """Parse; our own error is an answer too. Anything else fails the test."""
    try:
        return parse(data, name=name)
    except KgbuildError as e:
        assert e.path == name and e.message  # it names the file, and says what is wrong
        return None


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few random edits."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        edit = draw(st.sampled_from(["flip", "insert", "delete", "cut", "splice"]))
        if edit == "flip":
            out[at] = draw(st.integers(0, 255))
        elif edit == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif edit == "delete":
            del out[at : at + draw(st.integers(1, 256))]
        elif edit == "cut":
            del out[at:]
        else:
            other = real_reports()[draw(st.sampled_from(sorted(real_reports())))]
            start = draw(st.integers(0, len(other) - 1))
            out[at:at] = other[start : start + draw(st.integers(1, 512))]
    return bytes(out)


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("form", ["text-utf8", "text-gbk", "html", "html-gbk", "docx", "pdf"])
@FUZZ
@given(data=st.data())
def test_mutated_reports_raise_only_our_error(form: str, data: st.DataObject) -> None:
    _read(data.draw(mutated(real_reports()[form])), f"report.{form}")


def _rezip(docx: bytes, part: str, edit: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, edit if item.filename == part else zin.read(item.filename))
    return out.getvalue()


@FUZZ
@given(data=st.data())
def test_mutated_word_xml_raises_only_our_error(data: st.DataObject) -> None:
    docx = real_reports()["docx"]
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml")
    _read(_rezip(docx, "word/document.xml", data.draw(mutated(xml))), "report.docx")


MAGIC = [b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b""]


@FUZZ
@given(magic=st.sampled_from(MAGIC), rest=st.binary(max_size=4096))
def test_random_bytes_behind_each_magic_number(magic: bytes, rest: bytes) -> None:
    """Random bytes that start like each form, so that every reader gets them."""
    _read(magic + rest, "random.bin")


def _docx_with_entity(declaration: bytes, use: bytes) -> bytes:
    docx = real_reports()["docx"]
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml")
    xml = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    xml = b"<!DOCTYPE w:document [" + declaration + b"]>" + xml.replace("一、".encode(), use, 1)
    return _rezip(docx, "word/document.xml", xml)


BOMB = (
    b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
)
HOSTILE = {
    "deep-html": b"<html><body>" + b"<div>" * 100_000 + "一、总体情况".encode() + b"</body></html>",
    "deep-tables": b"<html><body>" + b"<table><tr><td>" * 30_000 + b"</body></html>",
    "html-entity-bomb": b'<?xml version="1.0"?><!DOCTYPE html [' + BOMB + b"]><html><body>&c;</body></html>",
    "html-external-entity": (
        b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY e SYSTEM "file:///etc/passwd">]><html><body>&e;</body></html>'
    ),
    "docx-external-entity": _docx_with_entity(b'<!ENTITY e SYSTEM "file:///etc/passwd">', b"&e;"),
    "docx-external-dtd": _docx_with_entity(b'<!ENTITY % d SYSTEM "http://127.0.0.1:9/evil.dtd"> %d;', b"\xe4\xb8\x80"),
    "docx-entity-bomb": _docx_with_entity(BOMB, b"&c;"),
    "zip-named-html": _rezip(real_reports()["docx"], "[Content_Types].xml", b"nothing"),
    "gzip-named-html": b"\x1f\x8b\x08\x00" + bytes(64),
    "nul-bytes": real_reports()["text-utf8"].replace(b"\n", b"\x00\n"),
    "mixed-encodings": real_reports()["text-utf8"][:2000] + real_reports()["text-gbk"][2000:],
    "html-and-pdf": real_reports()["html"] + real_reports()["pdf"],
}


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_inputs(data: bytes) -> None:
    report = _read(data, "report.html")
    if report is not None:  # never an entity's expansion, never a file's content
        dump = str(report.to_dict())
        assert "root:" not in dump and "aaaaaaaaaa" not in dump


def test_markup_with_no_document() -> None:
    """Found by the fuzzer: lxml has no document to give for a bare doctype."""
    assert _read(b"<!DOCTYPE html", "report.html") is None
