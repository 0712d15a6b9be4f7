"""kgbuild: China's open-government-information annual reports as linked data.

>>> from kgbuild import parse
>>> report = parse("examples/xia-2020.txt")
>>> report.agency, report.year, report.version
('夏县人民政府', 2020, '2019')
>>> report.value("T2.procurement.amount")
Decimal('6595.8')
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# The names below are imported when first used, so that importing one stage
# (kgbuild.model, kgbuild.store) does not load every other stage's libraries.
_EXPORTS = {
    "CODES": "errors",
    "InputUnreadable": "errors",
    "Issue": "errors",
    "KgbuildError": "errors",
    "Location": "errors",
    "NotAReport": "errors",
    "Severity": "errors",
    "Cell": "model",
    "Report": "model",
    "parse": "parse",
    "parse_document": "parse",
    "Document": "read",
    "read": "read",
}

if TYPE_CHECKING:
    from .errors import CODES, InputUnreadable, Issue, KgbuildError, Location, NotAReport, Severity
    from .model import Cell, Report
    from .parse import parse, parse_document
    from .read import Document, read


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kgbuild' has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    # Kept here, also because importing kgbuild.parse set this package's
    # attribute ``parse`` to that module, not to its function.
    globals()[name] = value
    return value


__all__ = [
    "CODES",
    "Cell",
    "Document",
    "InputUnreadable",
    "Issue",
    "KgbuildError",
    "Location",
    "NotAReport",
    "Report",
    "Severity",
    "parse",
    "parse_document",
    "read",
]
