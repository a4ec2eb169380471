"""What `cmas-bank assemble` does, apart from parsing its options (cmas_bank.cli)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from cmas_bank.config import Config
from cmas_bank.errors import UsageError
from cmas_bank.outline import Outline


def _out_folder(config: Config, option: Path | None, setting: str | None) -> Path:
    if option is not None:
        out = option
    elif setting is not None:
        out = config.root / setting
    else:
        raise UsageError('assemble needs --out DIR (or out = "DIR" in [tool.cmas-bank.assemble])')
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: not a folder")
    return out


def run_assemble(
    config: Config,
    outline: Outline,
    options: dict[str, Any],
    out: Path | None,
    use_cache: bool,
    stats: Path | None = None,
) -> int:
    """Build the forms and write them; 0 written, 1 infeasible (nothing written). `stats` is the
    `--stats` option (else the setting, else the newest file in stats/)."""
    from cmas_bank.assemble import Infeasible, assemble, write
    from cmas_bank.assemble.itemstats import read_item_stats
    from cmas_bank.assemble.pool import read_pool
    from cmas_bank.assemble.settings import load_settings
    from cmas_bank.diagnostics import printable

    settings = load_settings(config, options)
    folder = _out_folder(config, out, settings.out)
    item_stats = read_item_stats(config, stats, settings.stats)
    pool = read_pool(config, outline, use_cache=use_cache)
    start = time.perf_counter()
    try:
        built = assemble(settings, outline, pool, item_stats)
    except Infeasible as exc:
        many = f"{settings.forms} forms" if settings.forms > 1 else "a form"
        lines = [f"cmas-bank: assemble: cannot build {many}; nothing written:"]
        lines += [f"  - {printable(reason)}" for reason in exc.reasons]
        print("\n".join(lines), file=sys.stderr)
        return 1
    took = time.perf_counter() - start
    try:
        written = write(built, folder)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot write forms: {exc.strerror or exc}") from None
    for (path, changed), form in zip(written, built.forms):
        note = "" if changed else " (unchanged)"
        print(
            f"wrote {path}: {form.scored} scored + {form.pretest} pretest items, {form.status} "
            f"(HiGHS {form.solver.model_status}, gap {form.solver.mip_gap:.2%}, {form.solver.strategy}){note}",
            file=sys.stderr,
        )
    print(f"{len(built.forms)} form(s) from {len(built.plan.eligible)} eligible items in {took:.1f} s", file=sys.stderr)
    if item_stats is not None:
        print(f"item statistics from {item_stats.source}", file=sys.stderr)
    return 0


def run_form_check(config: Config, outline: Outline, paths: list[Path], output_format: str, use_cache: bool) -> int:
    """Check form files against the bank; the exit code of their findings."""
    from cmas_bank.assemble.formcheck import check_forms
    from cmas_bank.assemble.pool import read_pool
    from cmas_bank.diagnostics import exit_code
    from cmas_bank.output import render

    if not paths:
        raise UsageError("assemble --check needs the form files to check")
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: form file not found")
    pool = read_pool(config, outline, use_cache=use_cache)
    found = check_forms(paths, pool, outline)
    sys.stdout.write(render(found, output_format, families=("IF",)))
    sys.stdout.flush()
    if output_format == "text":
        print(f"{len(found)} finding(s) in {len(paths)} form file(s)", file=sys.stderr)
    return exit_code(found)
