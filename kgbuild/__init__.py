"""kgbuild: China's open-government-information annual reports as linked data.

>>> from kgbuild import parse
>>> report = parse("examples/xia-2020.txt")
>>> report.agency, report.year, report.version
('夏县人民政府', 2020, '2019')
>>> report.value("T2.procurement.amount")
Decimal('6595.8')
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import CODES, InputUnreadable, Issue, KgbuildError, Location, NotAReport, Severity
from .model import Cell, Report
from .parse import parse, parse_document
from .read import Document, read

# The later stages import heavier libraries (rdflib, pyshacl, pyoxigraph): import
# them from their modules, kgbuild.rdf.to_graph, kgbuild.validate.validate_graph,
# kgbuild.build.build, kgbuild.store.OxigraphStore, when they are wanted.

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
