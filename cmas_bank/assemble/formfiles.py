"""Which form files `check` and `report` judge against the bank, and judging them over a run.

`form-files` in `[tool.cmas-bank.assemble]` names them: a path or a list of paths, relative to the
config's folder, each a form file or a folder whose `*.yaml` files are forms. Without it, the
`out` folder that `assemble` writes to is used when it exists. Neither: no forms are checked.

This module is imported by every `check`, so it reads the raw table and imports nothing heavy;
the form model and checks are imported only when there are forms.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cmas_bank.config import Config
from cmas_bank.errors import UsageError

if TYPE_CHECKING:
    from cmas_bank.assemble.pool import Pool
    from cmas_bank.diagnostics import Diagnostic
    from cmas_bank.engine.run import CheckResult
    from cmas_bank.outline import Outline

SETTING = "form-files"


def _in_folder(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _shown(path: Path) -> Path:
    """The path relative to the working directory where it is under it (as item paths are shown)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def form_files(config: Config) -> list[Path]:
    """The form files the config names (see the module doc); a bad setting is a UsageError."""
    table = config.section("assemble")
    given = table.get(SETTING)
    where = f"{config.source}: [tool.cmas-bank.assemble] {SETTING}"
    if given is None:
        out = table.get("out")
        folder = config.root / out if isinstance(out, str) and out else None
        return [_shown(p) for p in _in_folder(folder)] if folder is not None and folder.is_dir() else []
    names = [given] if isinstance(given, str) else given
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise UsageError(f"{where}: must be a path or a list of paths (form files, or folders of them)")
    found: list[Path] = []
    for name in names:
        path = config.root / name
        if path.is_dir():
            found += _in_folder(path)
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{where}: {name}: no such file or folder")
    return [_shown(p) for p in dict.fromkeys(found)]


def covers_bank(paths: Sequence[Path] | None, bank: Path) -> bool:
    """Whether a run over `paths` (None: the bank) reads the whole bank, so forms can be judged."""
    if not paths:
        return True
    target = os.path.realpath(bank)
    return any(
        target == (real := os.path.realpath(p)) or target.startswith(real.rstrip(os.sep) + os.sep) for p in paths
    )


def pool_of(result: CheckResult) -> Pool:
    """The bank as assembly sees it, from a run that kept its items and ran dedupe."""
    from cmas_bank.assemble.pool import build_pool

    return build_pool(result.items, result.clusters)


def judge(result: CheckResult, outline: Outline, files: Sequence[Path]) -> list[Diagnostic]:
    """The IF findings of `files` against the bank of `result` (`assemble --check`'s checks)."""
    from cmas_bank.assemble.formcheck import check_forms

    return check_forms(files, pool_of(result), outline)
