"""IRI minting, in one place: the same input gives the same IRIs on every run.

A report's IRI is named by its source bytes (the first 16 hex digits of their
SHA-256), so re-reading a file never moves it. An agency's IRI is named by
its administrative division and office (``agency/140828/人民政府``), or where
the division is unknown by its name, so one agency's reports of different
years share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..model import Report
from ..statute import ALL_TABLES, CellKey
from .namespaces import CODE

DEFAULT_BASE = "https://w3id.org/kgbuild/id/"

# Characters an IRI cannot hold unescaped (RFC 3987 keeps CJK as it is).
_UNSAFE = ' "<>\\^`{|}/?#%[]'


def _segment(text: str) -> str:
    """A path segment: readable Chinese kept, unsafe characters percent-encoded."""
    return "".join(quote(ch, safe="") if ch in _UNSAFE or ord(ch) < 33 else ch for ch in text)


def report_id(report: Report) -> str:
    return report.sha256[:16]


@dataclass(frozen=True)
class Iris:
    """The IRIs of one build, under a base that ends with ``/``."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def report(self, report: Report) -> str:
        return f"{self.base}report/{report_id(report)}"

    def graph(self, report: Report) -> str:
        """The named graph that holds one report's triples."""
        return f"{self.base}graph/{report_id(report)}"

    def agency(self, name: str, division: str | None = None, office: str | None = None) -> str:
        """An agency: by its division and office where the division is known (so that
        海东市化隆县 and 化隆回族自治县人民政府 are one agency), else by its name."""
        if division and office:
            return f"{self.base}agency/{division}/{_segment(office)}"
        return f"{self.base}agency/{_segment(name)}"

    def cube(self, structure: str) -> str:
        """The dataset of one table and form across all reports (``T3-2019``, ``T4``)."""
        return f"{self.base}dataset/{structure}"

    def table(self, report: Report, table: str) -> str:
        return f"{self.report(report)}/{table}"

    def observation(self, report: Report, key: str) -> str:
        k = CellKey.parse(key)
        return f"{self.report(report)}/{k.table}/{k.row}/{k.column}"

    def source(self, report: Report) -> str:
        return f"{self.report(report)}/source"

    def activity(self, report: Report) -> str:
        return f"{self.report(report)}/parsing"

    def issue(self, report: Report, n: int) -> str:
        return f"{self.report(report)}/issue/{n}"

    @property
    def dataset(self) -> str:
        """The whole collection, as VoID and DCAT describe it."""
        return f"{self.base}dataset"

    @property
    def dataset_graph(self) -> str:
        return f"{self.base}graph/dataset"

    @property
    def shared_graph(self) -> str:
        """The graph of what reports share: agencies, the parser."""
        return f"{self.base}graph/shared"

    @property
    def versions_graph(self) -> str:
        """The graph of links between reports: copies and older versions of each, and each agency's previous year."""
        return f"{self.base}graph/versions"

    @property
    def validation(self) -> str:
        """The build's SHACL validation report."""
        return f"{self.base}validation"

    @property
    def validation_graph(self) -> str:
        return f"{self.base}graph/validation"


def division(code: str) -> str:
    """A GB/T 2260 division, as a concept of the code list ``code:division``."""
    return f"{CODE}division/{code}"


def code(key: str) -> tuple[str, str]:
    """The row and column code IRIs of a cell key."""
    k = CellKey.parse(key)
    table = ALL_TABLES[k.table]
    return f"{CODE}{table.row_scheme}/{k.row}", f"{CODE}{table.column_scheme}/{k.column}"
