"""SPARQL as text: what the store and the SHACL compiler need to find in a query without parsing it.

A scanner, not a parser: strings, IRIs and comments are blanked out (their
braces and keywords are no code), and groups are found by matching braces.
"""

from __future__ import annotations

import re

# What the scanner steps over: strings (long ones first), IRIs, comments.
_OPAQUE = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*",
    re.S,
)


class Unbalanced(ValueError):
    """A query whose braces do not match."""


def code_only(query: str) -> str:
    """The query with its strings, IRIs and comments blanked out, each character kept in its place."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), query)


def group_end(code: str, start: int) -> int:
    """The index of the ``}`` that closes the ``{`` at ``start``.

    :raises Unbalanced: it is never closed.
    """
    depth = 0
    for i in range(start, len(code)):
        depth += {"{": 1, "}": -1}.get(code[i], 0)
        if depth == 0:
            return i
    raise Unbalanced("unbalanced braces")


def _form(query: str) -> re.Match[str] | None:
    blank = re.sub(r"\b(PREFIX\s+[\w-]*:|BASE)", lambda m: " " * len(m.group(0)), code_only(query), flags=re.I)
    return re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", blank, re.I)


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form after the prologue."""
    m = _form(query)
    return m.group(1).upper() if m else "SELECT"


def split_prologue(query: str) -> tuple[str, str]:
    """The query's prologue (its PREFIX and BASE lines, and comments), and the query after it."""
    m = _form(query)
    at = m.start() if m else 0
    return query[:at], query[at:]


def where_group(query: str) -> tuple[int, int]:
    """The positions of the ``{`` and ``}`` of the query's WHERE group (its outermost pattern).

    A CONSTRUCT's template, the group before its WHERE, is stepped over.

    :raises Unbalanced: there is no such group, or its braces do not match.
    """
    code = code_only(query)
    start = code.find("{")
    if start < 0:
        raise Unbalanced("the query has no WHERE group")
    form = query_form(query)
    if form == "CONSTRUCT" and not re.search(r"\bWHERE\s*$", code[:start], re.I):
        start = code.find("{", group_end(code, start) + 1)  # the template was first
        if start < 0:
            raise Unbalanced("the CONSTRUCT has no WHERE group")
    return start, group_end(code, start)
