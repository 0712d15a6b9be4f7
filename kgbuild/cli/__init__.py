"""The ``kgbuild`` command: a thin layer of click over the library.

Each module holds a few commands: :mod:`.reports` (parse, link),
:mod:`.building` (build), :mod:`.checking` (validate, export-csv) and
:mod:`.querying` (load, query, serve). :mod:`.common` maps errors to exit
codes: no other place does.
"""

from __future__ import annotations

from . import building, checking, querying, reports  # noqa: F401  (they register their commands on cli)
from .building import BarProgress, LogProgress
from .common import EXIT_CODES, cli

__all__ = ["EXIT_CODES", "BarProgress", "LogProgress", "cli"]
