"""One dataset for research: reports told apart by their paths, linked to Wikidata, each counted once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from common import SEEDS
from pyoxigraph import Store

from kgbuild.build import build

ROOT = Path(__file__).parent.parent
SEED = SEEDS / "000_a625d82b2993cd46.txt"


def test_file_names_are_paths_below_the_folder_given(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    for folder, seed in (("a", SEED), ("b", SEEDS / "003_c50bb1760576b204.txt")):
        (inputs / folder).mkdir(parents=True)
        shutil.copy(seed, inputs / folder / "index.txt")
    build([inputs], tmp_path / "out", jobs=1)
    store = Store.read_only(str(tmp_path / "out" / "store"))
    names = {
        s["f"].value
        for s in store.query(
            "SELECT ?f WHERE { ?s <https://w3id.org/kgbuild/def#fileName> ?f }", use_default_graph_as_union=True
        )
    }
    assert names == {"a/index.txt", "b/index.txt"}


@pytest.mark.parametrize(
    ("code", "p442"), [("310110", "31 01 10"), ("310100", "31 01"), ("310000", "31"), ("630224", "63 02 24")]
)
def test_wikidata_p442_is_spaced_as_wikidata_writes_it(code: str, p442: str) -> None:
    """The federated query's own BIND, run here on a code (no network)."""
    text = (ROOT / "queries" / "federated" / "wikidata-divisions.rq").read_text(encoding="utf-8")
    bind = re.search(r"BIND \(IF\(SUBSTR\(\?code.*?AS \?p442\)", text, re.S)
    assert bind
    query = f'SELECT ?p442 WHERE {{ VALUES ?code {{ "{code}" }} {bind.group(0)} }}'
    (solution,) = list(Store().query(query))
    assert solution["p442"].value == p442
