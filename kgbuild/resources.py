"""The project's RDF and SPARQL sources (``ontology/``, ``shapes/``, ``queries/``).

They are source files at the top of the repository, installed with the
package as ``kgbuild.ontology``, ``kgbuild.shapes`` and ``kgbuild.queries``;
the CLI and the tests read them through here, never through copies.
"""

from __future__ import annotations

from importlib.abc import Traversable
from importlib.resources import files
from pathlib import Path

from .errors import KgbuildError

_CHECKOUT = Path(__file__).resolve().parent.parent


def _folder(name: str) -> Traversable:
    if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / name).is_dir():
        return _CHECKOUT / name  # a source checkout, or an editable install of one
    return files("kgbuild") / name  # an installed wheel


def ontology_files() -> list[Traversable]:
    """The ontology and its code lists, as Turtle files."""
    return sorted((f for f in _folder("ontology").iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)


def shape_files() -> list[Traversable]:
    """The SHACL shapes, as Turtle files."""
    return sorted((f for f in _folder("shapes").iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)


def query_names() -> list[str]:
    """The names of the bundled SPARQL queries (``cells`` for ``queries/cells.rq``)."""
    return sorted(f.name[:-3] for f in _folder("queries").iterdir() if f.name.endswith(".rq"))


def query_text(name: str) -> str:
    """A bundled query's text.

    :raises KgbuildError: no query of that name.
    """
    path = _folder("queries") / f"{name}.rq"
    if not path.is_file():
        raise KgbuildError(f"no bundled query named {name!r}; the queries are: {', '.join(query_names())}")
    return path.read_text(encoding="utf-8")


def query_summary(name: str) -> str:
    """A bundled query's first comment line: what it answers."""
    for line in query_text(name).splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""
