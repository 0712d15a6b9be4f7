"""What every command shares: exit codes, the error line, --format, the store options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from .. import __version__
from ..errors import BadQuery, KgbuildError, NotAReport
from ..output import FORMATS, write

F = TypeVar("F", bound=Callable[..., Any])

EXIT_MEANINGS = {
    0: "success",
    1: "an input is invalid",
    2: "usage error",
    3: "could not run",
    130: "stopped by Ctrl-C",
}
"""What each exit code means, for every command; each command's --help says when it gives which."""


EXIT_CODES = "\b\nExit codes:\n" + "\n".join(f"  {code:<3}  {meaning}" for code, meaning in EXIT_MEANINGS.items())
"""The meanings common to every command; each command's --help says when it gives which."""


@click.group(epilog=EXIT_CODES + "\n\nEach command's --help says when it gives which.")
@click.version_option(__version__, prog_name="kgbuild")
def cli() -> None:
    """Publish China's open-government-information annual reports
    (政府信息公开工作年度报告) as linked data.

    Start with `kgbuild parse REPORT` to see what a report's tables hold,
    then `kgbuild build REPORTS/ --out out/` and `kgbuild query reports`.
    """


def exit_code(e: KgbuildError) -> int:
    """The one place that maps an error to its exit code."""
    if isinstance(e, NotAReport):
        return 1
    if isinstance(e, BadQuery):
        return 2
    return 3  # a file missing or unreadable, a store or server that cannot be used, a folder not writable


def fail(e: KgbuildError) -> NoReturn:
    """One line that names the file and what went wrong, and the exit code that says so."""
    click.echo(f"error: {e}", err=True)
    sys.exit(exit_code(e))


def exits(codes: dict[int, str]) -> str:
    """A command's --help epilog: the exit codes it gives, and when."""
    lines = "\n".join(f"  {code:<3}  {EXIT_MEANINGS[code]}: {when}" for code, when in codes.items())
    return f"\b\nExit codes:\n{lines}"


class Command(click.Command):
    """A kgbuild command: it knows its exit codes (its --help lists them, the README's table too)."""

    def __init__(self, *args: Any, exit_codes: dict[int, str], **kwargs: Any) -> None:
        kwargs["epilog"] = exits(exit_codes)
        super().__init__(*args, **kwargs)
        self.exit_codes = exit_codes


def command(group: click.Group, name: str, codes: dict[int, str]) -> Callable[[Callable[..., Any]], Command]:
    """A subcommand whose KgbuildError becomes one line and its exit code, with its exit codes in --help."""

    def decorate(fn: Callable[..., Any]) -> Command:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except KgbuildError as e:
                fail(e)

        cmd = group.command(name, cls=Command, exit_codes=codes)(run)
        assert isinstance(cmd, Command)
        return cmd

    return decorate


def format_option(default: str = "table", choices: Sequence[str] = FORMATS) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="How to print the results: aligned columns, CSV, or JSON (the library's to_dict()).",
    )


def emit(rows: Sequence[object], columns: Sequence[str], fmt: str, *, lines: bool = False) -> int:
    return write(rows, columns, fmt, click.get_text_stream("stdout"), lines=lines)


def base_iri_option(fn: F) -> F:
    from ..rdf import DEFAULT_BASE

    return click.option(
        "--base-iri",
        default=DEFAULT_BASE,
        show_default=True,
        help="Where the data's IRIs live: reports, agencies, observations.",
    )(fn)


def existing(paths: Sequence[str]) -> None:
    """Every path named must exist: a missing one is a file the command cannot read (exit 3), as in every command."""
    from ..errors import InputUnreadable

    for p in paths:
        if not Path(p).exists():
            raise InputUnreadable("no such file or folder", p)
