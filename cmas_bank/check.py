"""`cmas-bank check`: every check over one parse of the bank, with one summary and one exit code.

Stages: validate (parse, schema, outline, ids), lint (per-item rules, then bank-wide rules),
dedupe (exact and near duplicates, unknown enemies) and coverage (blueprint x multiplier).

Each file is read once; its bytes are hashed, and a cache hit (same bytes, same code, config,
outline and schema) brings back its parse, validation and per-file lint results without parsing.
Only what is new is parsed (libyaml), validated and linted. Then the checks that need the whole
bank run on the items: unique ids, bank-wide lint rules, duplicates, coverage.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cmas_bank.cache import CACHE_DIR, FileCache, context_key, file_digest
from cmas_bank.config import Config
from cmas_bank.coverage import CoverageReport, compute_coverage
from cmas_bank.dedupe import Cluster, DedupeResult, DedupeSettings
from cmas_bank.diagnostics import Diagnostic, Severity, display_path, sort_key
from cmas_bank.lint import LintSettings, lint_bank, lint_file
from cmas_bank.loader import LoadedFile, load_bytes, read_bytes
from cmas_bank.outline import Outline
from cmas_bank.validate import ItemFile, bank_diagnostics, discover, validate_loaded

Progress = Callable[[int], None]
INCREMENTAL_LIMIT = 50  # changed files up to which dedupe compares only them against the bank


@dataclass
class CheckResult:
    files: list[ItemFile]
    coverage: CoverageReport
    clusters: list[Cluster] = field(default_factory=list)
    stages: dict[str, list[Diagnostic]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    cache_hits: int = 0

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for found in self.stages.values() for d in found), key=sort_key)


def _context(config: Config, outline: Outline) -> str:
    from cmas_bank.schema import dump, item_schema

    return context_key(config.fingerprint(), outline.model_dump_json(), dump(item_schema()))


def cache_folder(config: Config) -> Path:
    setting = config.table.get("cache-dir", CACHE_DIR)
    return config.root / str(setting)


def check_file(loaded: LoadedFile, outline: Outline, lint: LintSettings) -> ItemFile:
    """Everything that depends on one file alone (parse, validation, per-item lint rules): the
    unit the cache stores."""
    checked = validate_loaded(loaded, outline)
    checked.diagnostics.extend(lint_file(checked, lint))
    return checked


def _load_one(
    path: Path, display: str, outline: Outline, lint: LintSettings, cache: FileCache
) -> tuple[ItemFile, str | None]:
    """One file checked, from the cache when its bytes are known, with the digest of its bytes."""
    loaded = LoadedFile(path=path, display=display)
    raw = read_bytes(loaded)
    if raw is None:
        return check_file(loaded, outline, lint), None
    digest = file_digest(raw)
    cached = cache.get(display, digest)
    if cached is not None:  # a fresh object: the cached one is saved again without its path
        return ItemFile(dataclasses.replace(cached.loaded, path=path), cached.item, cached.diagnostics), digest
    checked = check_file(load_bytes(raw, loaded), outline, lint)
    # The cached copy keeps what bank-wide stages read (data, item, findings). Text and
    # positions are dropped to keep the cache small and fast to load: `position_of` parses the
    # file again in the rare case a bank-wide finding needs a place in it. The path (a Path
    # costs more to unpickle than the rest of the entry) is restored on a hit.
    slim = dataclasses.replace(checked.loaded, text=None, path=None, values={}, keys={})
    cache.put(display, digest, ItemFile(loaded=slim, item=checked.item, diagnostics=checked.diagnostics))
    return checked, digest


def find_duplicates_cached(files: Sequence[ItemFile], digests: dict[str, str], settings: DedupeSettings,
                           cache: FileCache) -> DedupeResult:
    """Dedupe, incrementally where the cache allows: a pair of two unchanged files cannot have
    changed, so after a few edits only the edited files are compared against the bank, and the
    earlier pairs between the others are kept (`find_duplicates(previous=...)`)."""
    from cmas_bank.dedupe import find_duplicates

    state = cache.state.get("dedupe")
    result = None
    if state is not None:
        before, links = state
        changed = {f.path for f in files if digests.get(f.loaded.display) != before.get(f.loaded.display)}
        if len(changed) <= max(INCREMENTAL_LIMIT, len(files) // 20):
            result = find_duplicates(files, settings, only=changed, previous=links)
    if result is None:
        result = find_duplicates(files, settings)
    cache.set_state("dedupe", (digests, result.links))
    return result


def run_check(
    paths: Sequence[Path],
    config: Config,
    outline: Outline,
    *,
    statuses: Sequence[str] = ("approved",),
    multiplier: float = 1.0,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> CheckResult:
    from cmas_bank.dedupe import settings_from_config as dedupe_settings
    from cmas_bank.lint import settings_from_config as lint_settings

    timings: dict[str, float] = {}
    start = time.perf_counter()
    lint = lint_settings(config)
    dedupe = dedupe_settings(config)  # read now: a bad setting is a usage error before any work
    files_found = discover(paths)
    cache = FileCache.open(cache_folder(config) if use_cache else None, _context(config, outline))
    files: list[ItemFile] = []
    digests: dict[str, str] = {}
    for i, path in enumerate(files_found):
        checked, digest = _load_one(path, display_path(Path(os.path.abspath(path))), outline, lint, cache)
        files.append(checked)
        if digest is not None:
            digests[checked.loaded.display] = digest
        if progress is not None and i % 500 == 499:
            progress(500)
    timings["load+validate"] = time.perf_counter() - start

    per_file = [d for f in files for d in f.diagnostics]
    stages: dict[str, list[Diagnostic]] = {
        "validate": [d for d in per_file if not d.code.startswith("IW")],
        "lint": [d for d in per_file if d.code.startswith("IW")],
    }
    mark = time.perf_counter()
    stages["validate"].extend(bank_diagnostics(files))
    stages["lint"].extend(lint_bank(files, lint, whole_bank=True))
    timings["bank"] = time.perf_counter() - mark

    mark = time.perf_counter()
    duplicates = find_duplicates_cached(files, digests, dedupe, cache)
    stages["dedupe"] = duplicates.diagnostics
    timings["dedupe"] = time.perf_counter() - mark
    cache.save(set(digests))

    mark = time.perf_counter()
    where = display_path(config.bank.absolute())
    coverage = compute_coverage(((f.item, f.loaded.display) for f in files if f.item), outline, statuses, multiplier)
    stages["coverage"] = coverage.diagnostics(where)
    timings["coverage"] = time.perf_counter() - mark
    return CheckResult(
        files=files, coverage=coverage, clusters=duplicates.clusters, stages=stages, timings=timings,
        cache_hits=cache.hits,
    )


def summary(result: CheckResult) -> str:
    """One line per stage and a verdict, for stderr."""
    lines = []
    for stage, found in result.stages.items():
        counts = ", ".join(f"{sum(1 for d in found if d.severity is s)} {s.value}s" for s in Severity)
        if stage == "coverage":
            cov = result.coverage
            verdict = "ok" if cov.ok else "short in " + ", ".join(
                f"area {a.number} by {a.shortfall}" for a in cov.areas if a.shortfall)
            counts = f"{cov.count} eligible items for a target of {cov.target} (x{cov.multiplier:g}): {verdict}; {counts}"
        lines.append(f"{stage:<9} {counts}")
    lines.append(f"{'files':<9} {len(result.files)} checked, {result.cache_hits} from cache, "
                 f"{sum(result.timings.values()):.2f} s")
    return "\n".join(lines) + "\n"
