"""The whole build: schedule the inputs on the workers, record each, and publish."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import pool
from ..errors import KgbuildError
from ..rdf.iris import Iris
from .dataset import made_by
from .folder import BuildFolder
from .inputs import named_inputs, read_input
from .journal import Journal, read_journal
from .publish import check_store_free, dataset_state, publish, store_graphs
from .results import BuildResult, InputResult, Progress
from .versions import settle_versions
from .worker import Task, build_input, report_files

MAX_BYTES = 64 * 1024 * 1024
"""The largest input read by default: annual reports are kilobytes; a PDF with scans a few megabytes."""

TIMEOUT = 120.0
"""Seconds one input may take by default before its worker is stopped."""


class NoInputs(KgbuildError):
    """A build was given no file to read."""


@dataclass
class _Previous:
    """What the last build into the same folder left, where this kgbuild can reuse it."""

    by_source: dict[str, InputResult]
    by_sha256: dict[str, InputResult]
    store_graphs: set[str] | None
    """The report graphs its store holds, where the store and the dumps are complete."""
    written: set[str]
    """The report files (names in reports/) that it wrote: the only ones a build may delete."""
    state: set[str] = field(default_factory=set)
    """What its published data was made of (see :func:`.publish.dataset_state`)."""
    violations: int = 0
    warnings: int = 0
    triples: int = 0


def _previous(folder: BuildFolder, iris: Iris, rebuild: bool) -> _Previous:
    manifest, inputs = folder.manifest_inputs(made_by(iris.base))
    stopped = read_journal(folder.journal, made_by(iris.base))  # what a build stopped midway had done: newer
    # Files any earlier kgbuild wrote, whatever rules made them: kgbuild's to replace.
    manifest_files = [d.get("file") for d in (folder.read_manifest() or {}).get("inputs", []) if isinstance(d, dict)]
    written = {n for f in [*manifest_files, *(i.file for i in stopped)] if isinstance(f, str) for n in _names(f)}
    if rebuild:
        return _Previous({}, {}, None, written)
    by_sha256: dict[str, InputResult] = {}
    for i in [*stopped, *inputs]:
        # A report whose files are still there; or a failure that would fail again.
        reusable = (
            (folder.path / i.file).is_file() if i.file else i.status == "failed" and not (i.retry or i.unreadable)
        )
        if i.sha256 and reusable:
            by_sha256.setdefault(i.sha256, i)
    return _Previous(
        {i.source: i for i in [*inputs, *stopped]},
        by_sha256,
        store_graphs(folder, iris, inputs),
        written,
        dataset_state(inputs),
        violations=int(manifest.get("violations", 0)),
        warnings=int(manifest.get("warnings", 0)),
        triples=int(manifest.get("triples", 0)),
    )


def _names(file: str) -> set[str]:
    """The names in reports/ of every file a report's worker writes, from its Turtle file's path."""
    return {p.name for p in report_files(BuildFolder("."), Path(file).stem)}


def build(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    base: str | None = None,
    jobs: int | None = None,
    timeout: float | None = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    prune: bool = False,
    rebuild: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> BuildResult:
    """Parse, map and check every input, and write the dumps into ``out``.

    A bad input never stops the build: it is listed as failed in the result
    and in ``manifest.json``. Inputs whose bytes the last build into ``out``
    parsed are not parsed again; inputs it had that are not given now stay
    in the dataset unless ``prune``. The dumps, store and manifest are put in
    place together: a build that fails leaves the last build's as they were.

    :param jobs: worker processes (``None``: one per core).
    :param timeout: seconds one input may take before it is stopped and marked failed.
    :param max_bytes: inputs larger than this are marked failed unread.
    :param rebuild: parse every input again, whatever the last build left.
    :param progress: called after each input.
    :raises NoInputs: no input file was found.
    :raises StoreBusy: another process holds the build's store open (kgbuild serve).
    :raises KgbuildError: the output folder cannot be written.
    """
    iris = Iris(base) if base else Iris()
    folder = BuildFolder(out)
    named = list(named_inputs(paths, skip=[folder.path]))
    sources = [str(p) for p, _ in named]
    if not sources:
        folders = ", ".join(str(p) for p in paths)
        raise NoInputs(f"no input files in {folders} (hidden files and build folders are left out)")
    check_store_free(folder)
    previous = _previous(folder, iris, rebuild)  # before the journal starts anew
    try:
        folder.reports.mkdir(parents=True, exist_ok=True)
        journal = Journal(folder.journal, made_by(iris.base), fresh=rebuild)
    except OSError as e:
        raise KgbuildError(f"cannot write the output folder: {e.strerror or e}", str(out)) from None
    result = BuildResult(out=folder.path, made_by=made_by(iris.base))
    items: list[InputResult | None] = [None] * len(sources)
    counts = {"done": 0, "failed": 0}

    def finish(index: int, item: InputResult) -> None:
        items[index] = item
        journal.add(item)
        counts["done"] += 1
        counts["failed"] += item.status == "failed"
        if progress:
            progress(Progress(counts["done"], len(sources), counts["failed"], result.reused))

    def tasks() -> Iterator[Task]:
        """The inputs that need a worker; the main process settles the rest as it meets them."""
        seen: dict[str, str] = {}
        for index, source in enumerate(sources):
            data, failure = read_input(Path(source), max_bytes)
            if data is None:
                finish(
                    index, InputResult(source, "failed", reason=failure, unreadable="--max-size" not in str(failure))
                )
                continue
            sha256 = hashlib.sha256(data).hexdigest()
            if sha256 in seen:
                finish(index, InputResult(source, "duplicate", sha256=sha256, reason=f"same bytes as {seen[sha256]}"))
                continue
            seen[sha256] = source
            cached = previous.by_sha256.get(sha256)
            if cached is not None:
                result.reused += 1
                finish(index, replace(cached, source=source))
                continue
            yield Task(index, source, named[index][1], data, sha256, str(folder.path), iris.base)

    started = time.perf_counter()
    # closing(): on Ctrl-C in this loop the pool's workers stop now, not when the generator is collected.
    with journal, closing(pool.run(build_input, tasks(), jobs=jobs, timeout=timeout)) as results:
        for task, done in results:
            if isinstance(done, pool.Failure):
                failed = InputResult(task.source, "failed", sha256=task.sha256, reason=done.reason, retry=True)
                finish(task.index, failed)
                continue
            for stage, seconds in done.seconds.items():
                result.seconds[stage] = result.seconds.get(stage, 0.0) + seconds
            finish(task.index, done.item)
    result.seconds["inputs"] = time.perf_counter() - started
    result.inputs = [i for i in items if i is not None]
    if not prune:  # what the last build had and this one was not given stays, unless it moved
        given = set(sources)
        now = {i.sha256 for i in result.inputs}
        result.inputs += [i for s, i in sorted(previous.by_source.items()) if s not in given and i.sha256 not in now]

    settle_versions(result.inputs, folder.reports)
    result.observations = sum(i.observations for i in result.inputs if i.is_report)
    if previous.store_graphs is not None and previous.state == dataset_state(result.inputs):
        # Nothing changed: the dumps, the store and the validation stand as they are.
        result.violations, result.shacl_warnings = previous.violations, previous.warnings
        result.triples = previous.triples  # and each input's counts are the last build's
    else:
        publish(result, iris, previous.store_graphs)
    try:
        folder.write_manifest(result.to_dict())
    except OSError as e:
        raise KgbuildError(f"cannot write the manifest: {e.strerror or e}", str(folder.manifest)) from None
    _remove_stale(folder, result.inputs, previous.written)
    return result


def _remove_stale(folder: BuildFolder, inputs: list[InputResult], written: set[str]) -> None:
    """Delete the report files a build wrote that no input of the dataset names any more; never another file."""
    keep = {n for i in inputs if i.file for n in _names(i.file)}
    for name in sorted(written - keep):
        (folder.reports / name).unlink(missing_ok=True)
