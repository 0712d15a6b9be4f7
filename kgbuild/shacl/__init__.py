"""SHACL, compiled: the shapes of ``shapes/`` as SPARQL queries over a whole store.

- :mod:`.core`: SHACL Core shapes;
- :mod:`.sparql`: SHACL-SPARQL constraints;
- :mod:`.report`: the results, and the validation report in RDF.

Each compiler refuses what it does not translate (:class:`Unsupported`), and
the conformance cases in ``tests/shacl/`` hold its results to pyshacl's.
"""

from __future__ import annotations

from .core import CoreQuery, Unsupported, compile_core
from .report import SEVERITIES, SH, Finding, ValidationReport
from .sparql import CompiledConstraint, compile_sparql

__all__ = [
    "SEVERITIES",
    "SH",
    "CompiledConstraint",
    "CoreQuery",
    "Finding",
    "Unsupported",
    "ValidationReport",
    "compile_core",
    "compile_sparql",
]
