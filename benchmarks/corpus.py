"""Synthetic corpora of annual reports: balanced tables, realistic numbers, every form.

Numbers follow what real reports show: most T3 cells are zero, 自然人 carries
most applications, T2 counts span orders of magnitude. The renderers are the
test suite's (tests/forms.py), so a benchmark reads what the tests read.
"""

from __future__ import annotations

import multiprocessing
import random
import sys
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from forms import cell_lines, docx_bytes, html_page, indented, markdown_tabs, pdf_bytes, pdf_text

from kgbuild.balance import outcome_rows
from kgbuild.divisions import divisions
from kgbuild.statute import APPLICANTS, T2_ROWS, T4_OUTCOMES, T4_ROWS, Kind

AGENCIES = ["人民政府", "人民政府办公室", "发展和改革局", "教育局", "公安局", "民政局", "财政局", "自然资源局"]
YEARS = [2019, 2020, 2021, 2022, 2023]


@cache
def places() -> list[str]:
    """Counties whose name no other county has, so that each agency links to one division."""
    names = [d.name for d in divisions().values() if d.level == "county"]
    return sorted(n for n, k in Counter(names).items() if k == 1)


def agency_and_year(n: int) -> tuple[str, int]:
    """As in a national collection: one report per agency and year, five consecutive years each."""
    agency = n // len(YEARS)
    place = places()[agency % len(places())]
    return place + AGENCIES[(agency // len(places())) % len(AGENCIES)], YEARS[n % len(YEARS)]


def cells(rng: random.Random, version: str) -> dict[str, int | Decimal]:
    """Every cell of one report, balanced by rules 1-5."""
    out: dict[str, int | Decimal] = {}
    for row in T2_ROWS[version]:
        for column in row.columns:
            key = row.cell_key(column.key)
            if column.kind is Kind.MONEY:
                out[key] = Decimal(rng.randint(0, 10_000_000)) / 100 if rng.random() < 0.6 else Decimal(0)
            elif column.kind is Kind.CHANGE:
                out[key] = rng.randint(-300, 300) if rng.random() < 0.5 else 0
            else:
                out[key] = int(rng.paretovariate(1.2)) - 1 if rng.random() < 0.8 else 0
    busy = rng.random()
    for r in outcome_rows(version):
        for a in APPLICANTS:
            weight = 8 if a == "natural" else 1
            out[f"T3.{r}.{a}"] = int(rng.expovariate(1 / (weight * busy))) if rng.random() < 0.3 * busy else 0
    for a in APPLICANTS:
        total = sum(out[f"T3.{r}.{a}"] for r in outcome_rows(version))  # type: ignore[misc]
        forward = rng.randint(0, 3) if rng.random() < 0.2 else 0
        carried = rng.randint(0, total + forward) if rng.random() < 0.2 else 0
        out[f"T3.total.{a}"], out[f"T3.forward.{a}"] = total, forward
        out[f"T3.carried.{a}"], out[f"T3.new.{a}"] = carried, total + forward - carried
    for key in {k.rsplit(".", 1)[0] for k in list(out) if k.startswith("T3.")}:
        out[f"{key}.total"] = sum(out[f"{key}.{a}"] for a in APPLICANTS)  # type: ignore[misc]
    for g in T4_ROWS:
        parts = [rng.randint(0, 2) if rng.random() < 0.1 else 0 for _ in T4_OUTCOMES[:-1]]
        for o, v in zip(T4_OUTCOMES[:-1], parts, strict=True):
            out[g.cell_key(o)] = v
        out[g.cell_key("total")] = sum(parts)
    return out


TEXT_FORMS = {"md": markdown_tabs, "lines": cell_lines, "indented": indented, "pdftext": pdf_text}


def report(rng: random.Random, n: int, forms: str = "all") -> tuple[str, bytes]:
    """One synthetic report: a file name and its bytes. About one in twenty is defective."""
    agency, year = agency_and_year(n)
    version = "2019" if year < 2021 else "2021"
    values = cells(rng, version)
    if rng.random() < 0.05:  # an agency's arithmetic error, published as printed
        key = rng.choice([k for k in values if k.startswith("T3.")])
        values[key] = int(values[key]) + 1
    kinds = list(TEXT_FORMS)
    if forms == "all":
        kinds += ["html", "html-gbk", "docx", "pdf"]
    kind = rng.choice(kinds)
    name = f"{n:06d}-{agency}-{year}"
    if kind in TEXT_FORMS:
        return f"{name}.txt", TEXT_FORMS[kind](agency, year, version, values).encode()
    if kind == "html":
        return f"{name}.html", html_page(agency, year, version, values, blank_zeros=rng.random() < 0.5)
    if kind == "html-gbk":
        return f"{name}.html", html_page(agency, year, version, values, charset="gbk")
    if kind == "docx":
        return f"{name}.docx", docx_bytes(agency, year, version, values)
    return f"{name}.pdf", pdf_bytes(agency, year, version, values)


def one(folder: Path, seed: int, n: int, forms: str = "all") -> Path:
    """Input number ``n`` of a corpus: the same bytes for the same seed, whichever process writes it."""
    rng = random.Random(f"{seed}-{n}")
    if rng.random() < 0.01:
        name, data = (
            f"{n:06d}-broken.html",
            rng.choice([b"", b"\x89PNG\r\n\x1a\n" + bytes(64), "页面不存在".encode()]),
        )
    else:
        name, data = report(rng, n, forms)
    path = folder / name
    path.write_bytes(data)
    return path


def write(folder: Path, count: int, seed: int = 1, forms: str = "all", jobs: int = 1) -> list[Path]:
    """Write a corpus of `count` reports into `folder`, in `jobs` processes; a few files are no report at all."""
    folder.mkdir(parents=True, exist_ok=True)
    if jobs == 1:
        return [one(folder, seed, n, forms) for n in range(count)]
    with multiprocessing.Pool(jobs) as pool:
        return pool.starmap(one, [(folder, seed, n, forms) for n in range(count)], chunksize=16)
