"""The README stays true: its commands, files and tables match the code."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kgbuild import CODES
from kgbuild.cli import EXIT_CODES, cli
from kgbuild.cli.common import EXIT_MEANINGS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block
    return block.group(1).strip().splitlines()


def test_quick_start_is_two_commands() -> None:
    commands = _quick_start()
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && kgbuild build examples/ ")
    assert commands[1] == "pip install -e '.[test]' && python -m pytest"
    assert commands[1].split(" && ")[1] in (ROOT / ".ci" / "run").read_text()


def test_quick_start_main_job_runs(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The first line's kgbuild commands, in a fresh folder: build, then answer from the store."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    steps = [shlex.split(part) for part in re.split(r" && | ; ", _quick_start()[0]) if part.startswith("kgbuild")]
    assert [s[:2] for s in steps] == [["kgbuild", "build"], ["kgbuild", "query"]]
    build = CliRunner().invoke(cli, steps[0][1:], catch_exceptions=False)
    assert build.exit_code == 1  # two bundled reports lost cells: recorded, so exit 1, as the README says
    query = CliRunner().invoke(cli, steps[1][1:], catch_exceptions=False)
    assert query.exit_code == 0
    shown = query.stdout.splitlines()
    assert shown[0].split() == ["agency", "year", "new", "carried", "answered", "forward", "file"]
    block = README.split("## Quick start", 1)[1].split("```")[3].strip().splitlines()
    assert build.stdout.strip() == block[0] and shown == block[1:]


def test_every_issue_code_is_documented() -> None:
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", README.split("### Issue codes", 1)[1], re.M))
    assert rows == CODES


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_exit_codes_match_help() -> None:
    section = _section("Exit codes")
    general = dict(re.findall(r"^\| (\d+) \| (.+) \|$", section, re.M))
    assert {int(c): m for c, m in general.items()} == EXIT_MEANINGS
    for code, meaning in EXIT_MEANINGS.items():
        assert f"{code:<3}  {meaning}" in EXIT_CODES
    documented = re.findall(r"^\| `([a-z-]+)` \| (\d+) \| (.+) \|$", section, re.M)
    from_code = [(name, str(c), w) for name, cmd in cli.commands.items() for c, w in cmd.exit_codes.items()]  # type: ignore[attr-defined]
    assert sorted(documented) == sorted(from_code)


def test_each_commands_help_gives_its_exit_codes() -> None:
    for name, cmd in cli.commands.items():  # type: ignore[attr-defined]
        help_text = CliRunner().invoke(cli, [name, "--help"], terminal_width=200).output
        for code, when in cmd.exit_codes.items():
            line = f"{code:<3}  {EXIT_MEANINGS[code]}: {when}"
            assert " ".join(line.split()) in " ".join(help_text.split()), (name, code)


def test_command_table_matches_the_commands() -> None:
    rows = re.findall(r"^\| `kgbuild ([a-z-]+)([^`]*)` \| .+ \|$", _section("The commands"), re.M)
    assert sorted(name for name, _ in rows) == sorted(cli.commands)  # type: ignore[attr-defined]
    for name, usage in rows:
        options = {o for p in cli.commands[name].params for o in p.opts}  # type: ignore[attr-defined]
        for option in re.findall(r"(?<![\w-])(-{1,2}[a-z][\w-]*)", usage):
            assert option in options, (name, option)
        if name != "serve":  # the one command that prints no results: it runs a server
            assert "--format" in options, name  # one way out for every command


def test_kgbuild_module_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "kgbuild", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("kgbuild, version ")


def test_python_claim_is_what_ci_runs() -> None:
    """pyproject and the README claim the same lowest Python, and CI (this run) is one of them."""
    import tomllib

    claim = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    lowest = tuple(int(n) for n in re.fullmatch(r">=(\d+)\.(\d+)", claim).groups())  # type: ignore[union-attr]
    assert f"Python {lowest[0]}.{lowest[1]} or later" in README
    # The claim is no lower than what CI runs, so no version is claimed untested.
    assert sys.version_info[:2] == lowest or sys.version_info[:2] > lowest
    assert lowest >= (3, 11), "kgbuild uses 3.11's library (StrEnum, tomllib); CI runs no older Python"
