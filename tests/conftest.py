from __future__ import annotations

from pathlib import Path

import pytest
from common import FIXTURES

from kgbuild.build import build

ROOT = Path(__file__).parent.parent
QUERY_CORPUS = [ROOT / "examples", FIXTURES / "years" / "xia-2021.txt", FIXTURES / "bad" / "unbalanced.txt"]
"""What every bundled query has an answer in: the examples, a second year of one agency (carry-over,
changes), and a report that breaks the balance rules (violations)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden Turtle files from the current output (review the diff in git).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def query_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of QUERY_CORPUS for the query, store and server tests; they only read it."""
    out = tmp_path_factory.mktemp("query-build")
    build(QUERY_CORPUS, out)
    return out
