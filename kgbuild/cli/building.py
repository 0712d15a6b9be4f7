"""``kgbuild build``: the whole pipeline, with progress a person can follow."""

from __future__ import annotations

import sys
import time
from typing import TextIO

import click

from ..build import MAX_BYTES, TIMEOUT, BuildFolder, Progress, build
from .common import base_iri_option, cli, command, emit, existing, format_option

INPUT_COLUMNS = ("source", "status", "reason", "errors", "warnings", "violations", "shacl_warnings", "file")


class LogProgress:
    """Progress as plain log lines, for a build whose stderr is no terminal (a log file, CI)."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.started = self.last = time.monotonic()

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        rate = p.done / elapsed
        # Time left at the pace of parsed inputs: reused ones (a resumed build's first part) take none.
        parsed = (p.done - p.reused) / elapsed
        left = (p.total - p.done) / parsed if parsed else 0
        click.echo(
            f"kgbuild: {p.done}/{p.total} inputs, {p.failed} failed, {p.reused} reused, "
            f"{rate:.0f} inputs/s, {_duration(left)} left",
            err=True,
        )

    def close(self) -> None:
        pass


class BarProgress:
    """A progress bar on a terminal: inputs/s, failures so far, time left."""

    def __init__(self, file: TextIO | None = None) -> None:
        from tqdm import tqdm

        self.bar = tqdm(unit=" inputs", dynamic_ncols=True, smoothing=0.1, file=file)

    def __call__(self, p: Progress) -> None:
        self.bar.total = p.total
        self.bar.set_postfix(failed=p.failed, reused=p.reused, refresh=False)
        self.bar.update(p.done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


@command(
    cli,
    "build",
    {
        0: "every input is a report with no error and no SHACL violation",
        1: "an input failed (no report, a crash, a timeout), has errors, or breaks a shape; it is still published",
        2: "the command was given wrongly",
        3: "no input file, an input missing or unreadable, OUT not writable, or its store held by another process",
        130: "stopped by Ctrl-C: run the same command again to go on",
    },
)
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--out", "-o", default="out", show_default=True, type=click.Path(file_okay=False), help="Output folder.")
@base_iri_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes that parse, map and check reports  [default: one per core].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=TIMEOUT,
    show_default=True,
    help="Seconds one input may take; a slower one is stopped and listed as failed.",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=MAX_BYTES // 2**20,
    show_default=True,
    help="Megabytes; a larger input is listed as failed, unread.",
)
@click.option("--prune", is_flag=True, help="Drop reports an earlier build into OUT had and INPUTS no longer hold.")
@click.option("--rebuild", is_flag=True, help="Parse every input again, even those an earlier build into OUT parsed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress, only errors and the summary.")
@click.option(
    "--log-every",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help="Seconds between progress lines when stderr is no terminal.",
)
@format_option()
def build_cmd(
    inputs: tuple[str, ...],
    out: str,
    base_iri: str,
    jobs: int | None,
    timeout: float,
    max_size: int,
    prune: bool,
    rebuild: bool,
    quiet: bool,
    log_every: float,
    fmt: str,
) -> None:
    """Parse reports and publish them as linked data.

    INPUTS are report files or folders of them (read recursively; hidden
    files and kgbuild build folders, OUT among them, are left out). Writes
    into OUT: one Turtle file per report (reports/), a merged Turtle dump
    (kgbuild.ttl), N-Quads with one named graph per report (kgbuild.nq), the
    ontology and code lists (ontology/), a VoID/DCAT description (void.ttl),
    the SHACL validation report (validation.ttl), the embedded store (store/),
    and manifest.json listing every input with its sha256 and status. An input
    that is no report, or that crashes or hangs its worker, is listed as failed;
    the build goes on. The dumps, store and manifest are put in place together:
    a build that fails leaves the last one's as they were.

    Building into the same OUT again is incremental: an input whose bytes the
    last build parsed (with this kgbuild version) is not parsed again, a
    changed file replaces its report, and reports of files no longer given
    stay unless --prune. A build that was stopped (Ctrl-C, killed) left what
    it had done in OUT/journal.jsonl: the same command goes on from there.
    Files in OUT that kgbuild did not write are never deleted.

    Prints a summary line (--format table), one row per input (csv), or the
    manifest (json). Shows a progress bar on a terminal, log lines otherwise
    (--log-every).

    \b
    Examples:
      kgbuild build examples/ --out out/
      kgbuild build /data/reports-2024/ --out out/ --jobs 8 --prune
    """
    existing(inputs)
    reporter = None if quiet else BarProgress() if sys.stderr.isatty() else LogProgress(log_every)
    try:
        result = build(
            inputs,
            out,
            base=base_iri,
            jobs=jobs,
            timeout=timeout,
            max_bytes=max_size * 2**20,
            prune=prune,
            rebuild=rebuild,
            progress=reporter,
        )
    except KeyboardInterrupt:
        journal = BuildFolder(out).journal
        click.echo(f"kgbuild: stopped; what was done is kept in {journal}: run it again to go on", err=True)
        sys.exit(130)
    finally:
        if reporter:
            reporter.close()
    for item in result.failed:
        click.echo(f"error: {item.source}: {item.reason}", err=True)
    for item in result.inputs:
        if item.status == "superseded":
            differs = ", ".join(item.differs)
            click.echo(
                f"warning: {item.source}: an older version of {item.canonical}; cells differ: {differs}", err=True
            )
    if fmt == "table":
        reused = f", {result.reused} unchanged since the last build" if result.reused else ""
        click.echo(
            f"{result.reports} reports ({len(result.partial)} with errors), {len(result.failed)} failed, "
            f"{len(result.duplicates)} duplicates, {result.copies} copies and {result.superseded} older versions "
            f"of reports{reused}; {result.observations} observations, "
            f"{result.triples} triples; SHACL: {result.violations} violations, "
            f"{result.shacl_warnings} warnings → {result.out}/"
        )
    elif fmt == "json":
        emit([result], (), "json", lines=True)
    else:
        emit(result.inputs, INPUT_COLUMNS, fmt)
    if any(i.unreadable for i in result.failed):
        sys.exit(3)
    sys.exit(1 if result.failed or result.partial or result.violations else 0)
