"""Stage 6, store: the built graph in a triple store, and SPARQL over it.

Two stores answer the same queries:

- :class:`OxigraphStore`: embedded, on disk (``OUT/store`` after a build), no
  server needed;
- :class:`SparqlStore`: any SPARQL 1.1 server, loaded through the Graph Store
  HTTP Protocol (one named graph per report, replaced on reload) and queried
  through the SPARQL 1.1 Protocol.

Queries see the union of the named graphs as their default graph. SELECT
gives its rows; ASK one row (``ask``); CONSTRUCT and DESCRIBE their triples as
rows of subject, predicate, object.
"""

from __future__ import annotations

from ..sparqltext import query_form
from .embedded import OxigraphStore, check_not_served, hold_for_serving, open_embedded
from .loading import Loaded, graphs_of, load
from .results import GraphStore, Results, StoreBusy, StoreUnavailable, bind, with_prefixes
from .server import SparqlStore

__all__ = [
    "GraphStore",
    "Loaded",
    "OxigraphStore",
    "Results",
    "SparqlStore",
    "StoreBusy",
    "StoreUnavailable",
    "bind",
    "check_not_served",
    "graphs_of",
    "hold_for_serving",
    "load",
    "open_embedded",
    "query_form",
    "with_prefixes",
]
