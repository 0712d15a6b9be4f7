"""A build folder: its layout, its manifest and journal, and its store.

Everything that reads or writes a build's output folder goes through
:class:`BuildFolder`, so the layout is written down once:

- ``reports/<id>.ttl``: one Turtle file per report (its named graph);
- ``reports/<id>.nq``: the same as N-Quads; ``reports/<id>.shared.nq``: what it
  adds to the shared graph (its agency, the parser);
- ``kgbuild.ttl``, ``kgbuild.nq``: the merged dumps;
- ``void.ttl``: the VoID/DCAT description; ``validation.ttl``: the SHACL report;
- ``ontology/``: the ontology and code lists the data uses;
- ``store/``: the embedded Oxigraph store; ``.store-graphs``: written once the
  store holds what the dumps hold;
- ``manifest.json``: every input seen, with its status;
- ``journal.jsonl``: each input's result as a build settles it, removed once
  the manifest is written.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from pyoxigraph import RdfFormat, Store

from ..errors import InputUnreadable, KgbuildError
from ..store import open_embedded
from .results import InputResult

DUMPS = ("kgbuild.nq", "kgbuild.ttl", "void.ttl", "validation.ttl")
"""The files a build publishes together, beside its store and ontology/."""


class BuildFolder:
    """One build's output folder."""

    MANIFEST = "manifest.json"
    JOURNAL = "journal.jsonl"
    STATE = ".store-graphs"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.reports = self.path / "reports"
        self.ontology = self.path / "ontology"
        self.store = self.path / "store"
        self.nquads = self.path / "kgbuild.nq"
        self.turtle = self.path / "kgbuild.ttl"
        self.void = self.path / "void.ttl"
        self.validation = self.path / "validation.ttl"
        self.manifest = self.path / self.MANIFEST
        self.journal = self.path / self.JOURNAL
        self.state = self.path / self.STATE

    @staticmethod
    def is_build(path: str | Path) -> bool:
        """Whether a folder is a kgbuild build's output (finished, or stopped midway)."""
        p = Path(path)
        return (p / BuildFolder.MANIFEST).is_file() or (p / BuildFolder.JOURNAL).is_file() or (p / "store").is_dir()

    # --- what the last build recorded

    def read_manifest(self) -> dict[str, Any] | None:
        """The last finished build's manifest, or None where there is none or it cannot be read."""
        try:
            manifest = json.loads(self.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return manifest if isinstance(manifest, dict) else None

    def manifest_inputs(self, made_by: dict[str, str]) -> tuple[dict[str, Any], list[InputResult]]:
        """The manifest and its inputs, where the same kgbuild, rules and IRIs made them; else nothing."""
        manifest = self.read_manifest() or {}
        if {k: manifest.get(k) for k in made_by} != made_by:
            return {}, []
        try:
            return manifest, [InputResult.from_dict(d) for d in manifest["inputs"]]
        except (KeyError, TypeError):
            return {}, []

    def write_manifest(self, manifest: dict[str, object]) -> None:
        """Written whole or not at all: a reader never sees half a manifest."""
        self.write_atomically(self.manifest, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
        self.journal.unlink(missing_ok=True)  # the manifest holds all it held

    def current(self, made_by: dict[str, str]) -> bool:
        """Whether the store and validation.ttl hold what the manifest says, made as ``made_by`` would make them."""
        manifest, _ = self.manifest_inputs(made_by)
        return bool(manifest) and self.state.is_file() and self.validation.is_file()

    @staticmethod
    def write_atomically(path: Path, data: bytes) -> None:
        temporary = path.with_name(path.name + ".new")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    # --- its data

    def open_store(self, *, read_only: bool = True) -> Store:
        """The build's embedded store.

        :raises KgbuildError: there is none, or another process holds it for writing.
        """
        return open_embedded(self.store, read_only=read_only)

    def data(self) -> Store:
        """The build's data: its store where the build finished loading it (read-only, so that a
        running ``kgbuild serve`` does not stand in the way), else its N-Quads dump, in memory."""
        if self.state.is_file():
            try:
                return self.open_store()
            except KgbuildError:
                pass  # read the dump instead
        return memory_store(self.nquads)

    def remove_staging(self) -> None:
        """What a publish that failed midway left (see :mod:`kgbuild.build.publish`)."""
        for name in [*DUMPS, "ontology", "store", self.MANIFEST]:  # only what kgbuild stages: never another file
            staged = self.path / f"{name}.new"
            shutil.rmtree(staged) if staged.is_dir() else staged.unlink(missing_ok=True)
        shutil.rmtree(self.path / "store.old", ignore_errors=True)


def memory_store(dump: str | Path) -> Store:
    """An in-memory store holding an N-Quads dump (a build's ``kgbuild.nq``, or any ``.nq``).

    :raises InputUnreadable: no dump there.
    :raises KgbuildError: the file is not N-Quads.
    """
    path = Path(dump)
    if path.is_dir():
        path = BuildFolder(path).nquads
    if not path.is_file():
        raise InputUnreadable("no kgbuild.nq here: run `kgbuild build` first", str(path))
    store = Store()
    try:
        store.bulk_load(path=str(path), format=RdfFormat.N_QUADS)
    except (SyntaxError, ValueError) as e:
        raise KgbuildError(f"not a valid N-Quads dump: {e}", str(path)) from None
    return store


def data_store(built: str | Path) -> Store:
    """A build's data: a build folder (its store, or its dump) or an ``.nq`` file."""
    path = Path(built)
    return BuildFolder(path).data() if path.is_dir() else memory_store(path)
