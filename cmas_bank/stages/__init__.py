"""The bank-wide stages: checks that need every file at once, behind one small protocol.

A stage is a module-level object that says:

- `name`: how it is reported (the key of `CheckResult.stages` and of the summary line);
- `codes`: the code prefixes it reports;
- `view(b)`: what it takes from each file's `BankItem`, with the places its findings point at.
  The engine re-runs a stage after an edit only when an edited file's view changed; otherwise
  the stage's last findings stand;
- `start(run)`: begin the work over the bank and return a function that gives its `Output`
  (most stages just compute; dedupe may fork a process and work while the others run).
  `run` is a `StageInput`: the items, the settings, and, where the stage works incrementally,
  what it kept from the last run (`kept`) and which files changed since (`changed`).

Adding a stage is one module and one line in `STAGES`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from cmas_bank.bankitem import BankItem
from cmas_bank.diagnostics import Diagnostic

if TYPE_CHECKING:
    from cmas_bank.config import Config
    from cmas_bank.dedupe import DedupeSettings
    from cmas_bank.lint.settings import LintSettings
    from cmas_bank.outline import Outline


@dataclass
class StageInput:
    """What a stage gets: every file's `BankItem` (valid or not, in display order), the run's
    settings, and for incremental stages what they kept and what changed since."""

    items: Sequence[BankItem]
    config: Config
    outline: Outline
    lint: LintSettings | None  # None when no lint stage runs (so the rules are not imported)
    dedupe: DedupeSettings | None  # None when the dedupe stage does not run
    statuses: tuple[str, ...]
    multiplier: float
    changed: frozenset[str] | None = None  # display paths changed since `kept` (None: unknown)
    kept: Mapping[str, Any] = field(default_factory=dict)  # stage name -> its kept state
    before: Mapping[str, BankItem | None] | None = None  # the edited files as the last run saw them
    whole_bank: bool = True  # the files are the whole bank (bank-wide suppressions can be judged unused)
    focus: frozenset[str] | None = None  # dedupe: report only on these files (display paths)

    @property
    def valid(self) -> list[BankItem]:
        return [b for b in self.items if b.valid]


@dataclass
class Output:
    """What a stage found, the state it keeps for the next run, and any result of its own
    (the coverage report, dedupe's clusters)."""

    diagnostics: list[Diagnostic]
    state: Any = None
    extra: Any = None


class Stage(Protocol):
    name: str
    codes: tuple[str, ...]

    def view(self, b: BankItem) -> Hashable: ...

    def start(self, run: StageInput) -> Callable[[], Output]: ...


def now(output: Output) -> Callable[[], Output]:
    """`start`'s result for a stage that did its work at once."""
    return lambda: output


def stages() -> tuple[Stage, ...]:
    """Every bank-wide stage, in the order they start: dedupe first, since it may work in a
    forked process while the others run (imported when a bank-wide check runs)."""
    from cmas_bank.stages import coverage, dedupe, ids, lint

    return (dedupe.STAGE, ids.STAGE, lint.STAGE, coverage.STAGE)


STAGE_NAMES = ("validate", "lint", "dedupe", "coverage")  # the order they report in
