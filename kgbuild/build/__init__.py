"""Build the dataset: parse every input, map it, check it, and publish the dumps and the store.

``build`` is the whole pipeline behind ``kgbuild build``. Each input goes
through read → recognise → cell model → RDF → the SHACL shapes that look at
one report, in a worker process (:mod:`.worker`, on :mod:`kgbuild.pool`),
which writes that report's files. The main process (:mod:`.run`) records
each input in the journal, then :mod:`.publish` joins the files into what a
person or a triple store takes, in the layout of :mod:`.folder`.

Memory stays bounded whatever the number of reports: the main process holds
one small record per input and the shared graph (agencies, divisions), never
a report's triples. A second build into the same folder parses only inputs
whose bytes it has not seen (or that an earlier kgbuild version parsed).

The same inputs give the same bytes on every run: nothing depends on the
clock or on which worker finished first, and every list is in a fixed order.
"""

from __future__ import annotations

from .dataset import description_quads, made_by, ontology_quads, rules_digest
from .folder import BuildFolder, data_store, memory_store
from .inputs import iter_inputs, parsed_store
from .publish import load_in_chunks
from .results import BuildResult, InputResult, Progress
from .run import MAX_BYTES, TIMEOUT, NoInputs, build
from .worker import build_input

__all__ = [
    "MAX_BYTES",
    "TIMEOUT",
    "BuildFolder",
    "BuildResult",
    "InputResult",
    "NoInputs",
    "Progress",
    "build",
    "build_input",
    "data_store",
    "description_quads",
    "iter_inputs",
    "load_in_chunks",
    "made_by",
    "memory_store",
    "ontology_quads",
    "parsed_store",
    "rules_digest",
]
