"""Stage 4, RDF: the cell model as W3C Data Cube observations under the kgbuild ontology."""

from __future__ import annotations

from .iris import DEFAULT_BASE, Iris
from .mapping import to_graph, to_quads, to_turtle, turtle

__all__ = ["DEFAULT_BASE", "Iris", "to_graph", "to_quads", "to_turtle", "turtle"]
