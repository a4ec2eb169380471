"""`cmas-bank check`: every check over one parse of the bank, with one summary and one exit code.

Stages: validate (parse, schema, outline, ids), lint (per-item rules, then bank-wide rules),
dedupe (exact and near duplicates, unknown enemies) and coverage (blueprint x multiplier).

What makes a re-check fast, from the cheapest step up (the README's `check` section too):

1. Each file's state is known from `stat` when its size, times and inode equal those recorded
   with the sha256 of its bytes (as git's index does); otherwise its bytes are read and hashed.
   A file changed within two seconds of a run is never trusted by `stat`: it is hashed again
   next time (the "racy" case, when a change can leave the times unchanged).
2. When every file is as recorded, the last run's result is the answer (`_Memo`): it is a
   function of the files' bytes and the context the cache is keyed on.
3. Each bank-wide stage says what it reads of a file, with where its findings point (a
   "view"). When every edited file's views are as they were, only those files are checked
   again and the bank-wide findings are kept; otherwise only the stages whose view changed
   run again, and within lint only the rules whose `reads` changed (the others' findings are
   placed anew at where the values now stand).
4. A stage that runs again gets every file's `BankItem` from the cache (only new bytes are
   parsed, validated and linted, on every core when there are many): unique ids, bank lint
   rules, duplicates (incremental: only edited files are compared with the bank) and coverage.
"""

from __future__ import annotations

import os
import time
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cmas_bank.bankitem import BankItem, bank_item
from cmas_bank.cache import CACHE_DIR, FileCache, context_key, file_digest
from cmas_bank.config import Config
from cmas_bank.coverage import CoverageReport, compute_coverage
from cmas_bank.dedupe import Cluster, DedupeResult, DedupeSettings
from cmas_bank.diagnostics import Diagnostic, Severity, display_path, sort_key
from cmas_bank.fileio import discover_names
from cmas_bank.loader import LoadedFile, load_bytes, read_bytes
from cmas_bank.memory import collector_paused
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from cmas_bank.lint.settings import LintSettings

# Parsing, validation, lint and dedupe are imported when a file or the bank has to be checked
# again: a run that finds nothing changed (the pre-commit case) does without them.

Progress = Callable[[int], None]
T = TypeVar("T")
INCREMENTAL_LIMIT = 50  # changed files up to which dedupe compares only them against the bank
RACY_NS = 2_000_000_000  # a file changed this close to a run is hashed again on the next one


@dataclass
class CheckResult:
    coverage: CoverageReport
    file_count: int = 0
    invalid: int = 0  # files without a valid item
    statuses: Counter[str] = field(default_factory=Counter)  # valid items per status
    clusters: list[Cluster] = field(default_factory=list)
    stages: dict[str, list[Diagnostic]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    cache_hits: int = 0

    @cached_property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for found in self.stages.values() for d in found), key=sort_key)


def _context(config: Config, outline: Outline) -> str:
    """What every cached result depends on besides a file's bytes. The item schema is generated
    from the model, whose source the code digest covers, with pydantic (its version is here)."""
    import pydantic

    return context_key(config.fingerprint(), outline.model_dump_json(), pydantic.VERSION)


def cache_folder(config: Config) -> Path:
    setting = config.table.get("cache-dir", CACHE_DIR)
    return config.root / str(setting)


Checked = tuple[list[Diagnostic], BankItem | None]  # a file's own findings and its bank view


def check_file(loaded: LoadedFile, outline: Outline, lint: LintSettings) -> Checked:
    """Everything that depends on one file alone (parse, validation, per-item lint rules, the
    bank view with its lint features): the unit the cache stores."""
    from cmas_bank.dedupe.entries import views
    from cmas_bank.lint import bank_features, lint_file
    from cmas_bank.lint.core import ItemContext
    from cmas_bank.validate import validate_loaded

    checked = validate_loaded(loaded, outline)
    if checked.item is None:
        found, b = checked.diagnostics, bank_item(checked)
    else:
        ctx = ItemContext(checked, checked.item)
        found, b = [*checked.diagnostics, *lint_file(checked, lint, ctx)], bank_features(checked, ctx)
    if b is not None:
        views(b)  # dedupe's views, made here (on a worker's core in a cold run) and cached with it
    return found, b


NO_SIGNATURE = (-1, -1, -1, -1)  # recorded for a file `stat` cannot vouch for


@dataclass
class _Record:
    """What a run recorded of the files, in display order: each file's display path, its `stat`
    signature (size, mtime and ctime in ns, inode: four numbers, or -1s when it could not be
    trusted) and the sha256 of its bytes (None: unreadable). Flat lists and one array pickle
    in milliseconds for 100,000 files, and a warm run compares the whole array at once."""

    displays: list[str]
    signatures: array[int]
    digests: list[str | None]

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k != "where"}

    @cached_property
    def where(self) -> dict[str, int]:
        return {d: i for i, d in enumerate(self.displays)}


@dataclass
class _File:
    index: int  # its place in the run's list of files
    path: str
    display: str
    digest: str | None = None  # None: unreadable
    loaded: LoadedFile | None = None  # set once read: holds a read error, if any
    raw: bytes | None = None  # the bytes read, until they are parsed


@dataclass
class _Survey:
    """The files of a run and the digest of each, with the files that had to be read for it."""

    names: list[str]
    displays: list[str]
    signatures: array[int]
    digests: list[str | None]
    opened: dict[int, _File]  # by index: the files `stat` did not vouch for, read and hashed
    as_recorded: bool  # every file is the one recorded, vouched for by `stat`

    def file(self, i: int) -> _File:
        return self.opened.get(i) or _File(i, self.names[i], self.displays[i], self.digests[i])


def _survey(names: list[str], displays: list[str], record: _Record | None) -> _Survey:
    """Each file's digest: from `stat` where it matches the record, else from its bytes."""
    limit = time.time_ns() - RACY_NS
    signatures: array[int] = array("q")
    untrusted: list[int] = []
    for i, name in enumerate(names):
        try:
            st = os.stat(name)
        except OSError:
            signatures.extend(NO_SIGNATURE)
            untrusted.append(i)
            continue
        if st.st_mtime_ns >= limit or st.st_ctime_ns >= limit:  # racy: the next change may not show
            signatures.extend(NO_SIGNATURE)
            untrusted.append(i)
        else:
            signatures.extend((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    if record is not None and record.displays == displays:
        if not untrusted and record.signatures == signatures:
            return _Survey(names, displays, signatures, record.digests, {}, as_recorded=True)
        # The same files: only those whose signature differs from the record are read.
        digests = list(record.digests)
        suspects = set(_differing(signatures.tobytes(), record.signatures.tobytes(), 4 * signatures.itemsize))
        suspects.update(untrusted)
    else:
        where = record.where if record is not None else {}
        digests = [None] * len(names)
        suspects = set()
        for i, display in enumerate(displays):
            j = where.get(display)
            if j is not None and signatures[4 * i : 4 * i + 4] == record.signatures[4 * j : 4 * j + 4]:  # type: ignore[union-attr]
                digests[i] = record.digests[j]  # type: ignore[union-attr]
            else:
                suspects.add(i)
        suspects.update(untrusted)
    opened: dict[int, _File] = {}
    for i in sorted(suspects):
        f = opened[i] = _File(i, names[i], displays[i], loaded=LoadedFile(path=Path(names[i]), display=displays[i]))
        f.raw = read_bytes(f.loaded)  # type: ignore[arg-type]
        f.digest = digests[i] = file_digest(f.raw) if f.raw is not None else None
    return _Survey(names, displays, signatures, digests, opened, as_recorded=False)


def _differing(a: bytes, b: bytes, size: int) -> list[int]:
    """The indexes of the `size`-byte records at which two byte strings of equal length differ.
    Halves are compared whole (in C), so a few differences among 100,000 records cost a few
    dozen comparisons rather than a loop over every record."""
    out: list[int] = []

    def walk(lo: int, hi: int) -> None:
        if a[lo * size : hi * size] == b[lo * size : hi * size]:
            return
        if hi - lo == 1:
            out.append(lo)
            return
        mid = (lo + hi) // 2
        walk(lo, mid)
        walk(mid, hi)

    if a:
        walk(0, len(a) // size)
    return out


def _parse(f: _File, outline: Outline, lint: LintSettings) -> Checked:
    """Check a file whose bytes the cache does not know (read now if `stat` vouched for them)."""
    if f.loaded is None:
        f.loaded = LoadedFile(path=Path(f.path), display=f.display)
        f.raw = read_bytes(f.loaded)
        f.digest = file_digest(f.raw) if f.raw is not None else None  # what is there now
    raw, f.raw = f.raw, None
    if raw is None:
        return check_file(f.loaded, outline, lint)
    return check_file(load_bytes(raw, f.loaded), outline, lint)


PARALLEL_MIN = 2000  # files to check from scratch before worker processes pay for themselves
CHUNK = 250  # files per task sent to a worker
BACKGROUND_MIN = 20_000  # items from which dedupe runs in a forked process beside the other stages
# (below, forking and the copy-on-write of a smaller heap cost what the overlap saves)
_inherited: Any = None  # in a forked worker: what its parent gave it (never pickled)


def _forked_pool(workers: int, given: Any) -> ProcessPoolExecutor | None:
    """A pool of worker processes forked from this one, each starting with `given` in memory
    (rules and closures are not picklable, and copying them is what forking does for free);
    None where the platform cannot fork."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_inherit, initargs=(given,))


def _inherit(given: Any) -> None:
    global _inherited
    import gc

    gc.disable()  # as in the parent: a worker allocates much and frees it at exit
    _inherited = given


def _check_all(
    todo: Sequence[_File], outline: Outline, lint: LintSettings, progress: Progress | None
) -> dict[str, Checked]:
    """Check the files the cache does not know: in this process for a few, on every core for
    many (a cold run: parsing, validating and linting each file is independent of the others)."""
    workers = min(os.cpu_count() or 1, len(todo) // CHUNK)
    pool = _forked_pool(workers, (outline, lint)) if len(todo) >= PARALLEL_MIN and workers > 1 else None
    if pool is None:
        out = {}
        for i, f in enumerate(todo):
            out[f.display] = _parse(f, outline, lint)
            if progress is not None and i % 500 == 499:
                progress(500)
        return out
    # Files that could not be read are reported from here; the others go out with their bytes
    # (the bytes that were hashed are the bytes checked), or to be read there if stat vouched.
    out = {f.display: _parse(f, outline, lint) for f in todo if f.loaded is not None and f.raw is None}
    sent = [f for f in todo if f.display not in out]
    chunks = [[(f.path, f.display, f.raw) for f in sent[i : i + CHUNK]] for i in range(0, len(sent), CHUNK)]
    with pool:
        position = 0
        for results in pool.map(_check_chunk, chunks):
            for digest, found in results:
                f = sent[position]
                position += 1
                f.raw = None
                if f.digest is None:
                    f.digest = digest
                out[f.display] = found
            if progress is not None:
                progress(len(results))
    return out


def _check_chunk(chunk: list[tuple[str, str, bytes | None]]) -> list[tuple[str | None, Checked]]:
    """In a worker: check each file, and say the digest of those it had to read itself."""
    outline, lint = _inherited
    out = []
    for path, display, raw in chunk:
        f = _File(-1, path, display)
        if raw is not None:
            f.loaded, f.raw = LoadedFile(path=Path(path), display=display), raw
        found = _parse(f, outline, lint)
        out.append((f.digest, found))
    return out


@dataclass
class _Memo:
    """What a run found, kept by file and by bank-wide stage, so that the next run can reuse it:
    whole when no file changed, or with an edited file's own findings swapped in when the edit
    left every bank view as it was (a rationale, a reference, a review note, a comment)."""

    key: tuple[Any, ...]  # what coverage was asked for (statuses, multiplier)
    per_file: dict[str, list[Diagnostic]]  # display -> the file's own findings (none: absent)
    bank: dict[str, list[Diagnostic]]  # stage -> what the bank-wide checks found
    coverage: CoverageReport
    clusters: list[Cluster]
    invalid: int
    statuses: Counter[str]
    generation: int = 0  # that of the bank part written with it (see `_run_check`)

    def result(self, file_count: int) -> CheckResult:
        per_file = [d for found in self.per_file.values() for d in found]
        stages = {
            "validate": [d for d in per_file if not d.code.startswith("IW")] + self.bank["validate"],
            "lint": [d for d in per_file if d.code.startswith("IW")] + self.bank["lint"],
            "dedupe": self.bank["dedupe"],
            "coverage": self.bank["coverage"],
        }
        return CheckResult(
            coverage=self.coverage,
            file_count=file_count,
            invalid=self.invalid,
            statuses=self.statuses,
            clusters=self.clusters,
            stages=stages,
        )


STAGES = ("validate", "lint", "dedupe", "coverage")  # the bank-wide stages, in the order they report


def _stage_views() -> dict[str, Callable[[BankItem], Hashable]]:
    """What each bank-wide stage reads of one file, with the places it reports at or names:
    when an edit leaves that the same for every edited file, the stage's findings stand."""
    from cmas_bank.coverage import coverage_view
    from cmas_bank.dedupe.entries import dedupe_view
    from cmas_bank.lint import bank_view as lint_view
    from cmas_bank.validate import bank_view as validate_view

    return {"validate": validate_view, "lint": lint_view, "dedupe": dedupe_view, "coverage": coverage_view}


def stale_stages(before: Mapping[str, BankItem | None], after: Mapping[str, BankItem | None]) -> set[str]:
    """The bank-wide stages that must run again after the edits of the files in `after` (by
    display path; None: not an item), given what the last run saw of them (`before`)."""
    views = _stage_views()

    def seen(stage: str, b: BankItem | None) -> Hashable:
        return None if b is None else views[stage](b)

    return {stage for stage in STAGES if any(seen(stage, before.get(d)) != seen(stage, b) for d, b in after.items())}


def _dedupe(
    items: Sequence[BankItem], changed: frozenset[str] | None, links: Any, settings: DedupeSettings
) -> DedupeResult:
    """Dedupe, incrementally where it can: a pair of two unchanged files cannot have changed, so
    after a few edits only the edited files (`changed`, by display path) are compared against
    the bank, and the earlier pairs between the others (`links`) are kept
    (`find_duplicates(previous=...)`)."""
    from cmas_bank.dedupe import find_duplicates

    if changed is not None and links is not None and len(changed) <= max(INCREMENTAL_LIMIT, len(items) // 20):
        only = {Path(b.path) for b in items if b.display in changed}
        return find_duplicates(items, settings, only=only, previous=links)
    return find_duplicates(items, settings)


def _start(job: Callable[[], T], background: bool) -> Callable[[], T]:
    """Run `job` in a forked process while this one goes on, and return a function that waits
    for its result; or, without `background` or `fork`, run it here and now."""
    pool = _forked_pool(1, job) if background else None
    if pool is None:
        done = job()
        return lambda: done
    from concurrent.futures.process import BrokenProcessPool

    future = pool.submit(_run_inherited)

    def wait() -> T:
        try:
            return future.result()
        except BrokenProcessPool:  # the process died (out of memory?): do the work here
            return job()
        finally:
            pool.shutdown()

    return wait


def _run_inherited() -> Any:
    return _inherited()


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
    with collector_paused():
        return _run_check(paths, config, outline, statuses, multiplier, use_cache, progress)


def _run_check(
    paths: Sequence[Path],
    config: Config,
    outline: Outline,
    statuses: Sequence[str],
    multiplier: float,
    use_cache: bool,
    progress: Progress | None,
) -> CheckResult:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    names = discover_names(paths)
    displays = _displays(names)
    cache = FileCache.open(cache_folder(config) if use_cache else None, _context(config, outline))
    record = cache.state.get("record")
    record = record if isinstance(record, _Record) else None
    survey = _survey(names, displays, record)
    timings["survey"] = time.perf_counter() - start

    key = (tuple(statuses), multiplier)
    last: _Memo | None = cache.state.get("memo")
    memo = last
    if memo is None or memo.key != key or record is None or record.displays != displays:
        memo = None  # none, or made for other coverage options or another set of files
    changed: list[_File] = []
    if memo is not None and not survey.as_recorded:
        changed = [
            survey.file(i)
            for i, (now, then) in enumerate(zip(survey.digests, record.digests))  # type: ignore[union-attr]
            if now is None or now != then
        ]
    if memo is not None and not changed:
        # The settings are not even read: the cache's context covers the config, and a config
        # with a bad setting never completed a run to leave a memo.
        return _finish(cache, survey, record, memo, timings, hits=len(names), updated=False)
    from cmas_bank.dedupe import settings_from_config as dedupe_settings
    from cmas_bank.lint import BankMemo, lint_bank_items
    from cmas_bank.lint import settings_from_config as lint_settings
    from cmas_bank.validate import bank_diagnostics

    lint = lint_settings(config)
    dedupe = dedupe_settings(config)
    fresh: dict[str, Checked] = {}
    before: dict[str, BankItem | None] | None = None  # the edited files' bank views, as last run saw them
    stale = set(STAGES)  # the bank-wide stages to run again
    if memo is not None and len(changed) <= INCREMENTAL_LIMIT:
        mark = time.perf_counter()
        fresh = {f.display: _parse(f, outline, lint) for f in changed}
        before = {f.display: _view(cache.previous(f.display, record.digests[f.index])) for f in changed}  # type: ignore[union-attr,arg-type]
        stale = stale_stages(before, {d: found[1] for d, found in fresh.items()})
        timings["load+validate"] = time.perf_counter() - mark
        if not stale:
            for f in changed:
                _keep(cache, f, fresh[f.display])
                memo.per_file[f.display] = fresh[f.display][0]
            return _finish(cache, survey, record, memo, timings, hits=len(names) - len(changed), updated=True)

    mark = time.perf_counter()
    known = {d: cache.get(d, h) for d, h in zip(displays, survey.digests) if h is not None and d not in fresh}
    todo = [survey.file(i) for i, d in enumerate(displays) if known.get(d) is None and d not in fresh]
    if progress is not None:
        progress(len(names) - len(todo))
    fresh.update(_check_all(todo, outline, lint, progress))
    for f in todo:
        survey.digests[f.index] = f.digest  # what was read, if `stat` vouched for the bytes
    checked: list[Checked] = []
    for i, d in enumerate(displays):
        found = known.get(d)
        if found is None:
            found = fresh[d]
            _keep(cache, survey.file(i), found)
        checked.append(found)
    timings["load+validate"] = time.perf_counter() - mark

    items = [b for _, b in checked if b is not None]
    valid = [b for b in items if b.valid]
    # What the bank-wide stages kept from their last run, and which files changed since.
    mark = time.perf_counter()
    digests = {d: h for d, h in zip(displays, survey.digests) if h is not None}
    # The bank part is trusted only beside the memo written with it: each is replaced atomically,
    # but a crash may keep one file's new version and the other's old one.
    kept = cache.part("bank")
    generation = getattr(last, "generation", None)
    if (
        not isinstance(kept, dict)
        or kept.keys() != {"generation", "digests", "dedupe", "lint"}
        or kept["generation"] != generation
    ):
        kept, before, stale = None, None, set(STAGES)
    changed_since = None if kept is None else frozenset(d for d, h in digests.items() if kept["digests"].get(d) != h)
    bank: dict[str, list[Diagnostic]] = {stage: memo.bank[stage] for stage in STAGES if stage not in stale}  # type: ignore[union-attr]
    if "dedupe" in stale:
        background = len(items) >= BACKGROUND_MIN and (os.cpu_count() or 1) > 1
        links = kept["dedupe"] if kept is not None else None
        dedupe_result = _start(partial(_dedupe, items, changed_since, links, dedupe), background)
    timings["dedupe"] = time.perf_counter() - mark

    mark = time.perf_counter()
    if "validate" in stale:
        bank["validate"] = list(bank_diagnostics(items))
    lint_memo = BankMemo(changed=changed_since, state=kept["lint"] if kept is not None else {}, before=before)
    if "lint" in stale:
        bank["lint"] = lint_bank_items(valid, lint, whole_bank=True, memo=lint_memo)
    timings["bank"] = time.perf_counter() - mark

    mark = time.perf_counter()
    if "dedupe" in stale:
        duplicates = dedupe_result()
        bank["dedupe"], clusters, links = duplicates.diagnostics, duplicates.clusters, duplicates.links
    else:
        clusters, links = memo.clusters, kept["dedupe"]  # type: ignore[union-attr,index]
    generation = (generation or 0) + 1
    cache.set_part("bank", {"generation": generation, "digests": digests, "dedupe": links, "lint": lint_memo.state})
    timings["dedupe"] += time.perf_counter() - mark

    mark = time.perf_counter()
    if "coverage" in stale:
        coverage = compute_coverage(((b, b.display) for b in valid), outline, statuses, multiplier)
        bank["coverage"] = coverage.diagnostics(display_path(config.bank.absolute()))
    else:
        coverage = memo.coverage  # type: ignore[union-attr]
    timings["coverage"] = time.perf_counter() - mark
    memo = _Memo(
        key=key,
        per_file={d: found for d, (found, _) in zip(displays, checked) if found},
        bank=bank,
        coverage=coverage,
        clusters=clusters,
        invalid=len(names) - len(valid),
        statuses=Counter(b.status for b in valid if b.status is not None),
        generation=generation,
    )
    return _finish(
        cache, survey, record, memo, timings, hits=cache.hits, updated=True, prune=_covers(paths, config.bank)
    )


def _displays(names: Sequence[str]) -> list[str]:
    """Each file's display path; worked out once per folder, not per file."""
    base = os.getcwd()
    folders: dict[str, str] = {}
    out = []
    for name in names:
        folder, _, leaf = name.rpartition(os.sep)
        shown = folders.get(folder)
        if shown is None:
            shown = folders[folder] = display_path(os.path.abspath(folder or "."), base)
        out.append(f"{shown}/{leaf}" if shown not in ("", ".") else leaf)
    return out


def _view(found: Checked | None) -> BankItem | None:
    return found[1] if found is not None else None


def _keep(cache: FileCache, f: _File, found: Checked) -> None:
    if f.digest is not None:
        cache.put(f.display, f.digest, found)


def _covers(paths: Sequence[Path], bank: Path) -> bool:
    """Whether the paths checked include the whole bank folder (not just some of its files)."""
    target = os.path.realpath(bank)
    return any(
        target == (real := os.path.realpath(p)) or target.startswith(real.rstrip(os.sep) + os.sep) for p in paths
    )


def _finish(
    cache: FileCache,
    survey: _Survey,
    record: _Record | None,
    memo: _Memo,
    timings: dict[str, float],
    *,
    hits: int,
    updated: bool,
    prune: bool = False,
) -> CheckResult:
    """Record the files and what was found in them (`updated`: the memo changed), save, and give
    the result. `prune`: the whole bank was checked, so the entries of files that are no longer
    in it are dropped (a check of some folders keeps the others' entries for the next run)."""
    now = _Record(survey.displays, survey.signatures, survey.digests)
    if updated or (not survey.as_recorded and (record is None or vars(now) != vars(record))):
        cache.set_state("record", now)
        cache.set_state("memo", memo)
    mark = time.perf_counter()
    cache.save(set(survey.displays) if prune else None)
    timings["save"] = time.perf_counter() - mark
    result = memo.result(len(survey.names))
    result.timings, result.cache_hits = timings, hits
    return result


def summary(result: CheckResult) -> str:
    """One line per stage and a verdict, for stderr."""
    lines = []
    for stage, found in result.stages.items():
        counts = ", ".join(f"{sum(1 for d in found if d.severity is s)} {s.value}s" for s in Severity)
        if stage == "coverage":
            cov = result.coverage
            verdict = (
                "ok"
                if cov.ok
                else "short in " + ", ".join(f"area {a.number} by {a.shortfall}" for a in cov.areas if a.shortfall)
            )
            counts = (
                f"{cov.count} eligible items for a target of {cov.target} (x{cov.multiplier:g}): {verdict}; {counts}"
            )
        lines.append(f"{stage:<9} {counts}")
    lines.append(
        f"{'files':<9} {result.file_count} checked, {result.cache_hits} from cache, "
        f"{sum(result.timings.values()):.2f} s"
    )
    return "\n".join(lines) + "\n"
