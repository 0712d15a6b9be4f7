"""Settling what the print of a table leaves open, by trying every choice.

Some printed rows can be read in several ways: a digit run with several cuts,
numbers whose label was lost and that several statutory rows could take.
Each such row has options; a choice takes one option of every row, and the
table's balance rules say which choices fit. A row is read one way only when
every choice that fits reads it that way. Nothing is guessed: where the
choices that fit disagree on a row, the row stays open.

>>> settle([[1], [2, 3]], lambda choice: sum(choice) == 4)
Settled(chosen=[1, 3], fitting=1)
>>> settle([[1, 2], [2, 3]], lambda choice: sum(choice) == 4).chosen
[None, None]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Choice = TypeVar("Choice")

LIMIT = 20_000
"""Choices tried at most; past that, every row with options stays open."""


@dataclass(frozen=True)
class Settled(Generic[Choice]):
    chosen: list[Choice | None]
    """Per row: the option every fitting choice takes, or None."""
    fitting: int
    """How many choices fit (0: none; the rows with one option keep it)."""


def settle(
    options: Sequence[Sequence[Choice]], fits: Callable[[tuple[Choice, ...]], bool], limit: int = LIMIT
) -> Settled[Choice]:
    """The option of each row that every fitting choice agrees on.

    :param options: per row, its possible readings; an empty list is a row left out.
    :param fits: whether a choice (one option per row that has any) fits the rules.
    :returns: per row the agreed option or None, and how many choices fit.
        Where none fits, each row with a single option keeps it, as printed.
    """
    present = [i for i, o in enumerate(options) if o]
    sole: list[Choice | None] = [o[0] if len(o) == 1 else None for o in options]
    total = 1
    for i in present:
        total *= len(options[i])
    if total > limit:
        return Settled(sole, 0)
    agreed: list[Choice | None] = [None] * len(options)
    seen = [False] * len(options)
    fitting = 0
    for choice in itertools.product(*(options[i] for i in present)):
        if not fits(choice):
            continue
        fitting += 1
        for i, option in zip(present, choice, strict=True):
            if not seen[i]:
                agreed[i], seen[i] = option, True
            elif agreed[i] is not option:
                agreed[i] = None
                seen[i] = True
    if not fitting:
        return Settled(sole, 0)
    disagreed = [i for i in present if agreed[i] is None]
    return Settled([None if i in disagreed else agreed[i] for i in range(len(options))], fitting)
