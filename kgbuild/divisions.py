"""Administrative divisions (GB/T 2260): which place a reporting agency governs.

The division list ships in ``kgbuild/data/divisions.csv`` (its source and
version in ``divisions.json``; ``scripts/update_divisions.py`` renews it).

An agency is resolved from the place names at the head of its name
(海东市化隆县, 夏县人民政府办公室), official names and their common short
forms alike (化隆回族自治县 is also 化隆县). Where a name fits several
divisions (朝阳区 in Beijing and in Changchun), the report's own text decides
if it names exactly one candidate's province or city; otherwise nothing is
linked and the candidates are reported. Never a guess.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from .errors import Issue, Location, Severity

# The peoples whose autonomous prefectures, counties and banners carry their names.
_PEOPLES = (
    "回",
    "藏",
    "蒙古",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "普米",
    "塔吉克",
    "怒",
    "鄂温克",
    "保安",
    "裕固",
    "京",
    "独龙",
    "鄂伦春",
    "赫哲",
    "各",
)
_ETHNIC_AUTONOMY = re.compile(rf"^(.+?)(?:(?:{'|'.join(sorted(_PEOPLES, key=len, reverse=True))})族)+自治(县|州|旗)$")


@dataclass(frozen=True)
class Division:
    code: str
    """The six-digit GB/T 2260 code."""
    name: str
    level: str
    """``province``, ``city`` or ``county``."""
    parent: str | None


@cache
def divisions() -> dict[str, Division]:
    """Every division, by code."""
    text = (files("kgbuild") / "data" / "divisions.csv").read_text(encoding="utf-8")
    return {
        r["code"]: Division(r["code"], r["name"], r["level"], r["parent"] or None)
        for r in csv.DictReader(text.splitlines())
    }


@cache
def source() -> dict[str, object]:
    """Where the division list comes from: standard, package and version, licence."""
    return json.loads((files("kgbuild") / "data" / "divisions.json").read_text(encoding="utf-8"))


def aliases(name: str) -> set[str]:
    """A division's official name and the short forms reports use."""
    out = {name}
    m = _ETHNIC_AUTONOMY.match(name)
    if m:  # 化隆回族自治县 → 化隆县
        out.add(m.group(1) + m.group(2))
    return out


@cache
def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for d in divisions().values():
        for alias in aliases(d.name):
            index.setdefault(alias, []).append(d.code)
    return {k: tuple(v) for k, v in index.items()}


def ancestors(code: str) -> list[Division]:
    """A division's parents, nearest first."""
    out = []
    d = divisions().get(code)
    while d and d.parent:
        d = divisions().get(d.parent)
        if d and d.code != code:
            out.append(d)
    return out


def place_names(text: str) -> list[str]:
    """The division names a text starts with, longest match first: 海东市化隆县 → 海东市, 化隆县."""
    index = _index()
    longest = max(map(len, index))
    names: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 1, -1):
            if text[i : i + size] in index:
                names.append(text[i : i + size])
                i += size
                break
        else:
            break
    return names


@dataclass(frozen=True)
class Resolution:
    """What an agency's name and its report say of its division."""

    code: str | None
    """The division, when exactly one fits."""
    place: str
    """The place part of the agency's name (海东市化隆县)."""
    office: str
    """The rest: 人民政府, 人民政府办公室, 教育局 (人民政府 for a bare place)."""
    candidates: tuple[str, ...] = ()
    """Where several divisions fit: their codes."""


def split_agency(agency: str) -> tuple[str, str]:
    """The place and the office of an agency's name: 夏县人民政府办公室 → 夏县, 人民政府办公室."""
    names = place_names(agency)
    place = "".join(names)
    office = agency[len(place) :] if place else ""
    return place, office or "人民政府"


def resolve(agency: str, context: str = "") -> Resolution:
    """The division of an agency, from its name and, where that is ambiguous, its report's text."""
    names = place_names(agency)
    place, office = split_agency(agency)
    if not names:
        return Resolution(None, place, office)
    candidates = list(_index()[names[-1]])
    # Earlier names in the agency's own name must be ancestors: 海东市 of 化隆县.
    for outer in names[:-1]:
        candidates = [c for c in candidates if any(outer in aliases(a.name) for a in ancestors(c))]
    # A municipality is a province and a city of one name: the government is the province's.
    candidates = [c for c in candidates if not any(a.code in candidates for a in ancestors(c))]
    if len(candidates) > 1 and context:
        named = [c for c in candidates if any(a.name in context for a in ancestors(c) if a.name != divisions()[c].name)]
        if len(named) == 1:
            candidates = named
    if len(candidates) == 1:
        return Resolution(candidates[0], place, office)
    return Resolution(None, place, office, tuple(sorted(candidates)))


def link(agency: str | None, context: str, path: str | None) -> tuple[Resolution | None, list[Issue]]:
    """An agency's division, with a warning where no single division fits (the agency stays unlinked).

    :param context: the report's text, which settles a name several places share.
    """
    if agency is None:
        return None, []
    division = resolve(agency, context)
    if division.code is not None:
        return division, []
    fits = ", ".join(f"{c} {divisions()[c].name}" for c in division.candidates) or "none"
    message = f"no single administrative division fits {agency!r} (candidates: {fits}); not linked"
    return division, [Issue("division-unresolved", message, Severity.WARNING, Location(path))]
