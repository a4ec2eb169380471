"""What `cmas-bank lint` does, as a function the CLI and tests call: check the files through the
engine (one parse, the shared cache), lint the valid ones, and optionally apply the safe fixes
and lint again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cmas_bank.config import Config
from cmas_bank.diagnostics import Diagnostic, sort_key
from cmas_bank.lint.settings import LintSettings
from cmas_bank.outline import Outline


@dataclass
class LintRun:
    file_count: int
    diagnostics: list[Diagnostic]
    not_linted: int = 0  # files that are not valid items (their validation findings are shown)
    fixed: dict[str, int] = field(default_factory=dict)  # display path -> findings fixed
    fix_errors: list[str] = field(default_factory=list)


def _overrides(overrides: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Command-line lint settings as a hashable, ordered key (they are part of the cache key)."""
    out = []
    for name, value in sorted(overrides.items()):
        if value is None or name == "fail_on":  # fail-on changes the exit code, not a finding
            continue
        out.append((name, tuple(value) if isinstance(value, list) else value))
    return tuple(out)


def _lint(
    paths: Sequence[Path] | None, config: Config, outline: Outline, overrides: Mapping[str, Any], use_cache: bool
) -> LintRun:
    from cmas_bank.engine.run import Job, run_check

    job = Job(stages=("lint",), lint=_overrides(overrides))
    result = run_check(list(paths) if paths else [config.bank], config, outline, job=job, use_cache=use_cache)
    # A file that is not a valid item cannot be linted: show why, so it never passes silently.
    invalid = set(result.not_linted)
    blocking = [d for d in result.stages["validate"] if d.path in invalid]
    found = sorted([*result.stages["lint"], *blocking], key=sort_key)
    return LintRun(file_count=result.file_count, diagnostics=found, not_linted=len(invalid))


def run_lint(
    paths: Sequence[Path] | None,
    config: Config,
    outline: Outline,
    settings: LintSettings,
    *,
    fix: bool = False,
    overrides: Mapping[str, Any] | None = None,
    use_cache: bool = True,
) -> LintRun:
    """Lint `paths` (default: the bank) with the config's lint settings and the command line's
    `overrides` (select, extend_select, ignore: what built `settings`)."""
    given = dict(overrides or {})
    run = _lint(paths, config, outline, given, use_cache)
    if not fix:
        return run
    from cmas_bank.lint.fmt import FIXES, FormatError, fix_file, write

    wanted: dict[str, set[str]] = defaultdict(set)
    for d in run.diagnostics:
        if d.code in FIXES:
            wanted[d.path].add(d.code)
    fixed: dict[str, int] = {}
    errors: list[str] = []
    for display, codes in sorted(wanted.items()):
        try:
            rewrite = fix_file(Path(display), display, codes)
            written = write(rewrite)
        except FormatError as exc:
            errors.append(str(exc))
            continue
        if written:
            fixed[display] = sum(1 for d in run.diagnostics if d.path == display and d.code in codes)
    if fixed:
        run = _lint(paths, config, outline, given, use_cache)
    run.fixed, run.fix_errors = fixed, errors
    return run
