"""The SHACL compiler against pyshacl, case by case, for every constraint component it accepts.

Each file of ``tests/shacl/`` holds its shapes and its data, written from the
SHACL specification's sections (named in the file's first line). An accepted
case must give results, and the compiled queries (:mod:`kgbuild.shacl`) must
give exactly pyshacl's. A ``refused-*`` case names, in its first line, what
the compiler must say when it refuses it: nothing it cannot translate is
compiled into another meaning.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyshacl
import pytest
import rdflib
from pyoxigraph import RdfFormat, Store

from kgbuild.shacl import Finding, Unsupported, ValidationReport
from kgbuild.shacl.core import _COMPONENTS
from kgbuild.shacl.run import compile_shapes, run_core, run_sparql

CASES = Path(__file__).parent / "shacl"
ACCEPTED = sorted(f for f in CASES.glob("*.ttl") if not f.name.startswith("refused-"))
REFUSED = sorted(CASES.glob("refused-*.ttl"))


def _key(f: Finding) -> tuple[str, str, str | None, str | None, str, str]:
    return (f.focus, f.constraint, _canonical(f.value), f.path, f.severity.value, f.message)


def _canonical(value: str | None) -> str | None:
    """A number's value, not its lexical form: Oxigraph keeps 5.0 (xsd:decimal) as 5, rdflib as written."""
    try:
        return str(Decimal(value).normalize()) if value is not None else None
    except InvalidOperation:
        return value


def _ours(case: Path) -> list[Finding]:
    core, sparql = compile_shapes(rdflib.Graph().parse(case))
    store = Store()
    store.load(case.read_bytes(), format=RdfFormat.TURTLE)
    return run_core(store, core) + run_sparql(store, sparql)


def _pyshacls(case: Path) -> list[Finding]:
    g = rdflib.Graph().parse(case)
    _, results, _ = pyshacl.validate(g, shacl_graph=g, advanced=True, inference=None, allow_warnings=True)
    return ValidationReport.from_graph(results).findings


@pytest.mark.parametrize("case", ACCEPTED, ids=[f.stem for f in ACCEPTED])
def test_compiled_shapes_give_pyshacls_results(case: Path) -> None:
    theirs = _pyshacls(case)
    assert theirs, "a case that gives no result tests nothing"
    assert sorted(map(_key, _ours(case))) == sorted(map(_key, theirs))


def test_every_accepted_component_has_a_case() -> None:
    text = "\n".join(f.read_text(encoding="utf-8") for f in ACCEPTED)
    for component in [*_COMPONENTS, "targetClass", "targetSubjectsOf", "xone", "not", "severity", "sparql"]:
        name = str(component).rsplit("#", 1)[-1]
        assert f"sh:{name} " in text, name


@pytest.mark.parametrize("case", REFUSED, ids=[f.stem for f in REFUSED])
def test_what_is_not_compiled_is_refused(case: Path) -> None:
    said = case.read_text(encoding="utf-8").splitlines()[0].removeprefix("# refused: ")
    with pytest.raises(Unsupported) as refused:
        compile_shapes(rdflib.Graph().parse(case))
    assert said in str(refused.value)
