"""Plain text: decoding, and splitting a line into fields."""

from __future__ import annotations

import re

from ..errors import NotAReport

# Tabs separate cells in text copied from tables; two or more spaces do in PDF text.
_FIELD_SEP = re.compile(r"\t|[ \u00a0\u3000]{2,}")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(data: bytes, path: str | None) -> tuple[str, str]:
    """Decode report bytes: a BOM, else UTF-8, else GB18030 (a superset of GBK).

    :raises NotAReport: the bytes are binary, or no Chinese text encoding fits.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    if b"\x00" in data:
        raise NotAReport("binary file (it has NUL bytes): not a text report", path)
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise NotAReport("binary file (control characters): not a text report", path)
        return text, encoding
    raise NotAReport("not text in UTF-8, GBK or GB18030", path)


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > max(8, len(text) // 100)


def split_fields(line: str) -> tuple[str, ...]:
    """The non-empty fields of a text line."""
    return tuple(f for f in (p.strip(" \u00a0\u3000\r") for p in _FIELD_SEP.split(line)) if f)
