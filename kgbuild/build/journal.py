"""The journal: each input's result, on disk as soon as the build settles it.

A build stopped midway (Ctrl-C, the out-of-memory killer, a reboot) leaves
it, and the next build into the same folder goes on from there;
``manifest.json`` alone is written only at the end.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .results import InputResult


class Journal:
    """Appends one JSON line per input, after a header naming what made the build."""

    def __init__(self, path: Path, made_by: dict[str, str], *, fresh: bool) -> None:
        keep = not fresh and header(path) == made_by
        cut = False
        if keep:
            with open(path, "rb") as f:
                f.seek(-1, os.SEEK_END)
                cut = f.read(1) != b"\n"  # a killed build was writing its last line
        self._file = open(path, "a" if keep else "w", encoding="utf-8")  # noqa: SIM115 (closed on exit)
        if not keep:
            self._write(made_by)
        elif cut:
            self._file.write("\n")  # so that the next line stands alone

    def add(self, item: InputResult) -> None:
        self._write(item.to_dict())

    def _write(self, d: Mapping[str, object]) -> None:
        self._file.write(json.dumps(d, ensure_ascii=False) + "\n")
        self._file.flush()  # a killed process loses at most the line it was writing

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_: object) -> None:
        self._file.close()


def header(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as f:
            header = json.loads(f.readline())
            return header if isinstance(header, dict) else None
    except (OSError, ValueError):
        return None


def read_journal(path: Path, made_by: dict[str, str]) -> list[InputResult]:
    """The results a stopped build wrote with the same kgbuild, rules and IRIs."""
    if header(path) != made_by:
        return []
    items = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            try:
                items.append(InputResult.from_dict(json.loads(line)))
            except (ValueError, TypeError):
                continue  # the last line, cut off as the build was killed
    return items
