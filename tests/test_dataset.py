"""One dataset for research: reports told apart by their paths, linked to Wikidata, each counted once."""

from __future__ import annotations

import csv
import json
import re
import shutil
from decimal import Decimal
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


def _one_report_four_times(folder: Path) -> dict[str, Path]:
    """Seed 000's report as an HTML page, a PDF and GB18030 text, and a corrected re-publication."""
    from common import expected_cells
    from forms import html_page, markdown_tabs, pdf_bytes

    cells = {k: v for k, v in expected_cells(SEED.name).items() if v is not None}
    agency, year, version = "夏县人民政府", 2020, "2019"
    corrected = {**cells, "T3.new.natural": cells["T3.new.natural"] + 1, "T3.new.total": cells["T3.new.total"] + 1}
    files = {
        "page.html": html_page(agency, year, version, cells),
        "attachment.pdf": pdf_bytes(agency, year, version, cells),
        "gb18030.txt": markdown_tabs(agency, year, version, cells).encode("gb18030"),
        "corrected.txt": (markdown_tabs(agency, year, version, corrected) + "\n夏县人民政府\n2021年5月10日\n").encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


def test_each_report_once(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kgbuild.cli import cli

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    files = _one_report_four_times(inputs)
    shutil.copy(SEEDS / "003_c50bb1760576b204.txt", inputs)  # another agency's report, once
    out = tmp_path / "out"
    result = build([inputs], out, jobs=1)
    status = {Path(i.source).name: i for i in result.inputs}
    # The corrected re-publication is held; the three copies of the first publication are one older version.
    assert status["corrected.txt"].status in ("ok", "partial")
    older = [status[n] for n in ("attachment.pdf", "gb18030.txt", "page.html")]
    assert {i.status for i in older} == {"superseded"}
    assert all(i.canonical == str(files["corrected.txt"]) for i in older)
    assert all(i.differs == ["T3.new.natural", "T3.new.total"] for i in older)
    assert result.reports == 2
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["inputs"]) == 5  # every input listed, with the report it belongs to

    runner = CliRunner()
    totals = json.loads(
        runner.invoke(cli, ["query", "totals-by-province", "--store", str(out), "--format", "json"]).output
    )
    shanxi = [t for t in totals if t["year"] == 2020 and "山西" in t["province"]]
    # counted once: the corrected report's new applications (the first publication's 0, plus 1), one report
    assert [(t["applications"], t["reports"]) for t in shanxi] == [(1, 1)]

    store = Store.read_only(str(out / "store"))
    differs = {
        s["key"].value
        for s in store.query(
            "SELECT ?key WHERE { ?held <https://w3id.org/kgbuild/def#otherVersion> ?v . "
            "?v <https://w3id.org/kgbuild/def#differsIn> ?key }",
            use_default_graph_as_union=True,
        )
    }
    assert differs == {"T3.new.natural", "T3.new.total"}
    # a rebuild with nothing new changes nothing; dropping the correction makes the first publication held
    assert build([inputs], out, jobs=1).reused == 5
    files["corrected.txt"].unlink()
    again = build([inputs], out, jobs=1, prune=True)
    held = [i for i in again.inputs if i.is_report and Path(i.source).name in files]
    copies = [i for i in again.inputs if i.status == "copy"]
    assert len(held) == 1 and len(copies) == 2 and all(c.canonical == held[0].source for c in copies)
    store = Store.read_only(str(out / "store"))
    report = (held[0].graph or "").replace("/graph/", "/report/")
    sources = store.query(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ <{report}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?s . "
        "?s <https://w3id.org/kgbuild/def#sha256> [] }",
        use_default_graph_as_union=True,
    )
    assert int(next(iter(sources))["n"].value) == 3  # the held report and its two copies' files


# --- Export ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from kgbuild.export import export

    out = tmp_path_factory.mktemp("built")
    build([p for p in (ROOT / "examples").iterdir() if p.name != "README.md"], out, jobs=1)
    to = tmp_path_factory.mktemp("export")
    export(out, to)
    return out, to


def test_wide_csv_reads_with_integer_counts(exported: tuple[Path, Path]) -> None:
    pandas = pytest.importorskip("pandas")
    from kgbuild.statute import Kind, column_kind

    _, to = exported
    wide = pandas.read_csv(to / "wide.csv", dtype_backend="numpy_nullable")
    assert len(wide) == 4 and wide["report"].is_unique
    counted = [c for c in wide.columns if c.startswith("T") and column_kind(c) is not Kind.MONEY]
    filled = [c for c in counted if wide[c].notna().any()]
    assert filled and all(pandas.api.types.is_integer_dtype(wide[c]) for c in filled)
    assert wide.loc[wide["agency"] == "夏县人民政府", "T2.procurement.amount"].item() == 6595.8
    assert set(wide["province"]) == {"上海市", "山西省", "黑龙江省"}


def test_codebook_lists_every_key_of_both_forms(exported: tuple[Path, Path]) -> None:
    from kgbuild.metrics import metrics
    from kgbuild.statute import cell_keys

    _, to = exported
    book = (to / "codebook.md").read_text(encoding="utf-8")
    for version in ("2019", "2021"):
        for key in cell_keys(version):
            assert f"| `{key}` |" in book, key
    assert all(f"| `{m.name}` |" in book for m in metrics())
    meta = json.loads((to / "csv-metadata.json").read_text(encoding="utf-8"))
    columns = {c["name"]: c for c in meta["tables"][0]["tableSchema"]["columns"]}
    assert columns["T2.procurement.amount"]["schema:unitText"].startswith("万元")
    assert columns["T3.new.total"]["datatype"] == "integer" and columns["T3.new.total"]["titles"]["zh"]


def test_metrics_agree_between_sparql_and_the_export(exported: tuple[Path, Path]) -> None:
    from kgbuild.metrics import metrics
    from kgbuild.resources import query_text
    from kgbuild.store import OxigraphStore

    out, to = exported
    with open(to / "wide.csv", encoding="utf-8") as f:
        wide = list(csv.DictReader(f))
    exported_values = {(r["report"], m.name): Decimal(r[m.name]) for r in wide for m in metrics() if r[m.name] != ""}
    store = OxigraphStore(out / "store")
    query = query_text("metrics").replace("SELECT ?agency", "SELECT ?report ?agency", 1)
    sparql = {(r["report"], r["metric"]): r["value"] for r in store.select(query).to_dict()}
    assert exported_values and set(exported_values) == set(sparql)
    for key, value in exported_values.items():
        assert round(Decimal(str(sparql[key])), 12) == value, key


def test_export_cli(exported: tuple[Path, Path], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kgbuild.cli import cli

    out, _ = exported
    result = CliRunner().invoke(cli, ["export", str(out), "--to", str(tmp_path / "x"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["reports"] == 4
    assert CliRunner().invoke(cli, ["export", str(tmp_path), "--to", str(tmp_path / "y")]).exit_code == 3
