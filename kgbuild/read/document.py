"""What every reader produces: a document of lines of fields."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One line of the source: a text line, or one row of a table grid."""

    number: int
    """1-based line number in the text form (or in the grid's rendering)."""
    fields: tuple[str, ...]
    """The cells, in order. In a text line, empty fields are dropped."""
    positional: bool = False
    """True for grid rows, where an empty field is a blank cell in its column."""

    @property
    def text(self) -> str:
        return " ".join(self.fields)


@dataclass(frozen=True)
class Document:
    """An input read into lines, with what is known of the input itself."""

    source: str | None
    """The input as given: a path, or None for bytes."""
    sha256: str
    """Of the input bytes."""
    encoding: str
    """The encoding the text was decoded with."""
    form: str
    """The input form, told by content: ``text``, ``html``, ``docx`` or ``pdf``."""
    lines: tuple[Line, ...]
