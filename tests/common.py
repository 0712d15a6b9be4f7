"""Paths and expected values shared by the tests."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))["reports"]


def expected_cells(name: str) -> dict[str, int | Decimal | None]:
    """A seed's hand-checked cells, money as Decimal."""
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in EXPECTED[name]["cells"].items()}
