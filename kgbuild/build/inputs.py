"""The inputs of a build: which files, their bytes, or reports parsed on the spot."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import Store

from ..errors import KgbuildError
from .dataset import ontology_quads
from .folder import BuildFolder


def iter_inputs(paths: Iterable[str | Path], *, skip: Iterable[str | Path] = ()) -> Iterator[Path]:
    """The files named, and every file under the folders named, in a fixed order (see :func:`named_inputs`)."""
    for path, _ in named_inputs(paths, skip=skip):
        yield path


def named_inputs(paths: Iterable[str | Path], *, skip: Iterable[str | Path] = ()) -> Iterator[tuple[Path, str]]:
    """The files named, and every file under the folders named, in a fixed order, each with its name:
    its path relative to the folder named (``2023/index.txt``), or a file's own name.

    Hidden files and folders are left out, and so is every kgbuild build folder
    (``skip``, and any folder with a build's manifest or journal): a build run
    inside its reports' folder does not read its own output. A path that does
    not exist is given back as it is, for the reader to say so.
    """
    skipped = {Path(s).resolve() for s in skip}
    for path in paths:
        p = Path(path)
        if not p.is_dir():
            yield p, p.name
            continue
        found = []
        for folder, dirs, files in os.walk(p):
            here = Path(folder)
            dirs[:] = [
                d
                for d in dirs
                if not d.startswith(".") and (here / d).resolve() not in skipped and not BuildFolder.is_build(here / d)
            ]
            found += [here / f for f in files if not f.startswith(".")]
        yield from ((f, f.relative_to(p).as_posix()) for f in sorted(found))


def read_input(path: Path, max_bytes: int) -> tuple[bytes | None, str | None]:
    """An input's bytes, or why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, f"{size:,} bytes: larger than the limit of {max_bytes:,} (--max-size)"
        return path.read_bytes(), None
    except FileNotFoundError:
        return None, "no such file"
    except OSError as e:
        return None, f"cannot read: {e.strerror or e}"


def parsed_store(inputs: Iterable[str | Path], base: str | None = None) -> tuple[Store, list[KgbuildError]]:
    """Reports parsed on the spot, in one store with the ontology: what ``kgbuild validate FILES`` checks.

    :returns: the store (each report's parse issues are in its graph); the inputs that are no report
        (the rest go on).
    """
    from ..parse import parse
    from ..rdf import Iris, to_quads

    store = Store()
    store.extend(ontology_quads())
    failures: list[KgbuildError] = []
    iris = Iris(base) if base else Iris()
    for path, name in named_inputs(inputs):
        try:
            report = parse(path, name)
        except KgbuildError as e:
            failures.append(e)
            continue
        store.extend(to_quads(report, iris))
    return store, failures
