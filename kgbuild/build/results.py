"""What a build records: one small record per input, and the build's totals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..shacl import ValidationReport


@dataclass
class InputResult:
    """What became of one input file."""

    source: str
    status: str
    """``ok``; ``partial`` (parsed, with error issues); ``failed`` (no report); ``duplicate`` (the same
    bytes as another input); ``copy`` (the same report as another input, every cell the same);
    ``superseded`` (another version of a report, some cells different): see :mod:`.versions`."""
    sha256: str | None = None
    reason: str | None = None
    """Why it failed, or which input it duplicates."""
    errors: int = 0
    warnings: int = 0
    graph: str | None = None
    file: str | None = None
    """Its Turtle file, relative to the output folder."""
    violations: int = 0
    """SHACL violations (balance rules, structure) of its graph."""
    shacl_warnings: int = 0
    observations: int = 0
    triples: int = 0
    """Triples in its own named graph."""
    findings: list[dict[str, str | None]] = field(default_factory=list)
    """The SHACL results of the shapes that look at this report alone (kept for the next build)."""
    retry: bool = False
    """Failed for a reason that may pass (a worker crash or timeout): the next build tries again."""
    unreadable: bool = False
    """Failed because its file is missing or cannot be read: the build could not run on it."""
    agency: str | None = None
    """The report's agency IRI: with year and form, what makes two inputs one report."""
    year: int | None = None
    form: str | None = None
    published: str | None = None
    cells_sha256: str | None = None
    """Of the report's cell values: equal for two copies of one report."""
    canonical: str | None = None
    """For a copy or a superseded version: the input whose report the dataset holds."""
    differs: list[str] = field(default_factory=list)
    """For a superseded version: the cells whose values differ from the canonical report's."""

    @property
    def is_report(self) -> bool:
        """A report the dataset holds: parsed, and no copy or older version of another input's."""
        return self.status in ("ok", "partial")

    @property
    def parsed(self) -> bool:
        """Parsed into a report, whether the dataset holds it or another input's version of it."""
        return self.status in ("ok", "partial", "copy", "superseded")

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        for optional in ("retry", "unreadable", "canonical", "differs"):
            if not d[optional]:
                del d[optional]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> InputResult:
        return cls(**d)


@dataclass(frozen=True)
class Progress:
    """How far a build has got, for a progress bar or a log line."""

    done: int
    total: int
    failed: int
    reused: int


@dataclass
class BuildResult:
    """A finished build: its inputs and what was written."""

    out: Path
    made_by: dict[str, str]
    """The kgbuild version, rules and IRIs that made it (see :func:`kgbuild.build.dataset.made_by`)."""
    inputs: list[InputResult] = field(default_factory=list)
    triples: int = 0
    observations: int = 0
    violations: int = 0
    shacl_warnings: int = 0
    reused: int = 0
    """Inputs whose bytes an earlier build had already parsed."""
    validation: ValidationReport | None = None
    """The findings, when this build ran the validation (not when nothing changed)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Time spent in each stage: summed over workers for the per-report stages, wall time for the rest."""

    @property
    def base(self) -> str:
        return self.made_by["base"]

    @property
    def reports(self) -> int:
        return sum(1 for i in self.inputs if i.is_report)

    @property
    def failed(self) -> list[InputResult]:
        return [i for i in self.inputs if i.status == "failed"]

    @property
    def partial(self) -> list[InputResult]:
        return [i for i in self.inputs if i.status == "partial"]

    @property
    def duplicates(self) -> list[InputResult]:
        return [i for i in self.inputs if i.status == "duplicate"]

    @property
    def copies(self) -> int:
        return sum(1 for i in self.inputs if i.status == "copy")

    @property
    def superseded(self) -> int:
        return sum(1 for i in self.inputs if i.status == "superseded")

    def to_dict(self) -> dict[str, object]:
        """The manifest: what made the build, its totals, and every input."""
        return {
            **self.made_by,
            "reports": self.reports,
            "triples": self.triples,
            "observations": self.observations,
            "violations": self.violations,
            "warnings": self.shacl_warnings,
            "inputs": [i.to_dict() for i in self.inputs],
        }
