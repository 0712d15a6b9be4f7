"""The kgbuild command, through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from common import FIXTURES, SEEDS

from kgbuild import parse
from kgbuild.cli import cli

XIA = str(SEEDS / "000_a625d82b2993cd46.txt")
BAD = FIXTURES / "bad"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_parse_json_is_the_library_report() -> None:
    result = CliRunner().invoke(cli, ["parse", XIA, "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(json.dumps(parse(XIA).to_dict()))


def test_parse_json_lines_one_object_per_file() -> None:
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    result = run("parse", "--json", *files)
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["source"] for o in objects] == files
    assert result.exit_code == 1  # some seeds have short rows: errors in the input


def test_parse_shows_the_tables() -> None:
    result = run("parse", str(SEEDS / "003_c50bb1760576b204.txt"))
    lines = result.stdout.splitlines()
    assert "  agency: 桦川县人民政府   year: 2020   tables: version 2019   published: ·" in lines
    assert "  procurement     items=97   amount=18000" in lines
    assert any(line.split() == ["total", "9*", "0*", "0*", "0*", "0*", "0*", "9*"] for line in lines)
    assert "· not determined by the source    * inferred by a balance rule" in lines


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "empty file: there is no report to read"),
        ("binary.png", "a PNG image, not a report"),
        (
            "article.txt",
            "not an annual report on open government information: none of its statutory tables was found",
        ),
    ],
)
def test_not_a_report_is_one_line_naming_the_file(name: str, message: str) -> None:
    result = run("parse", str(BAD / name))
    assert result.exit_code == 1
    assert result.stderr == f"error: {BAD / name}: {message}\n"
    assert result.stdout == ""


def test_a_bad_file_does_not_stop_the_batch() -> None:
    result = run("parse", "--json", str(BAD / "empty.txt"), XIA)
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert objects[0] == {"source": str(BAD / "empty.txt"), "error": "empty file: there is no report to read"}
    assert objects[1]["agency"] == "夏县人民政府"
    assert result.exit_code == 1


def test_missing_file_could_not_run() -> None:
    result = run("parse", "no/such/report.txt")
    assert (result.exit_code, result.stderr) == (3, "error: no/such/report.txt: no such file\n")


def test_unbalanced_report_exit_1_with_its_values() -> None:
    result = run("parse", "--json", str(BAD / "unbalanced.txt"))
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert report["cells"]["T3.new.natural"] == 3
    assert [i["rules"] for i in report["issues"] if i["code"] == "balance-violation"] == [[1], [2]]


def test_usage_error() -> None:
    result = run("parse")
    assert result.exit_code == 2
    assert "Missing argument 'FILES...'" in result.stderr


@pytest.mark.parametrize("command", [[], ["parse"]])
def test_help_teaches_exit_codes(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Exit codes:" in result.stdout and "3    could not run" in result.stdout


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        assert command.help and len(command.help) > 40, name


def test_form_is_told_by_content_not_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from common import EXPECTED, expected_cells
    from forms import pdf_bytes

    e = EXPECTED["003_c50bb1760576b204.txt"]
    misnamed = tmp_path / "report.html"
    misnamed.write_bytes(pdf_bytes(e["agency"], e["year"], e["version"], expected_cells("003_c50bb1760576b204.txt")))
    result = run("parse", "--json", str(misnamed))
    report = json.loads(result.stdout)
    assert (report["input_form"], report["cells"]["T2.procurement.amount"]) == ("pdf", "18000")
