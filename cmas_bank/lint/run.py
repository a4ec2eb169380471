"""What `cmas-bank lint` does, as a function the CLI and tests call: validate the files, lint
the valid ones, and optionally apply the safe fixes and lint again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cmas_bank.config import Config
from cmas_bank.diagnostics import Diagnostic, sort_key
from cmas_bank.lint import lint_files
from cmas_bank.lint.settings import LintSettings
from cmas_bank.memory import collector_paused
from cmas_bank.outline import Outline
from cmas_bank.validate import ItemFile, discover, validate_paths


@dataclass
class LintRun:
    files: list[ItemFile]
    diagnostics: list[Diagnostic]
    fixed: dict[str, int] = field(default_factory=dict)  # display path -> findings fixed
    fix_errors: list[str] = field(default_factory=list)

    @property
    def not_linted(self) -> int:
        return sum(1 for f in self.files if f.item is None)


def _covers_bank(files: Sequence[ItemFile], config: Config) -> bool:
    """Whether the files checked include the whole configured bank, so that bank-wide
    suppressions can be judged unused (IW901)."""
    if not config.bank.is_dir():
        return False
    have = {f.path.resolve() for f in files}
    return all(p.resolve() in have for p in discover([config.bank]))


def _lint(
    paths: Sequence[Path] | None, config: Config, outline: Outline, settings: LintSettings
) -> tuple[list[ItemFile], list[Diagnostic]]:
    with collector_paused():
        result = validate_paths(list(paths) if paths else [config.bank], outline)
        whole = _covers_bank(result.files, config)
        found = lint_files(result.files, settings, whole_bank=whole)
    # A file that is not a valid item cannot be linted: show why, so it never passes silently.
    blocking = [d for f in result.files if f.item is None for d in f.diagnostics]
    return result.files, sorted([*found, *blocking], key=sort_key)


def run_lint(
    paths: Sequence[Path] | None, config: Config, outline: Outline, settings: LintSettings, *, fix: bool = False
) -> LintRun:
    files, diagnostics = _lint(paths, config, outline, settings)
    run = LintRun(files=files, diagnostics=diagnostics)
    if not fix:
        return run
    from cmas_bank.lint.fmt import FIXES, FormatError, fix_file, write

    wanted: dict[str, set[str]] = defaultdict(set)
    for d in diagnostics:
        if d.code in FIXES:
            wanted[d.path].add(d.code)
    by_display = {f.loaded.display: f for f in files}
    for display, codes in sorted(wanted.items()):
        file = by_display[display]
        try:
            rewrite = fix_file(file.path, display, codes)
            written = write(rewrite)
        except FormatError as exc:
            run.fix_errors.append(str(exc))
            continue
        if written:
            run.fixed[display] = sum(1 for d in diagnostics if d.path == display and d.code in codes)
    if run.fixed:
        run.files, run.diagnostics = _lint(paths, config, outline, settings)
    return run
