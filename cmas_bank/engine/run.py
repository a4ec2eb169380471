"""The run behind `cmas-bank check` (and `report`): every check over one parse of the bank,
with one result, reusing what an earlier run found wherever the files say it still holds.

From the cheapest step up (the README's `check` section too):

1. The survey (`survey.py`) tells from `stat` which files changed since the last run.
2. When none did, the last run's result is the answer (`Memo`): it is a function of the files'
   bytes and the context the cache is keyed on.
3. Each bank-wide stage (`cmas_bank.stages`) says what it takes from a file (its view). When
   every edited file's views are as they were, only those files are checked again and the
   bank-wide findings stand; otherwise only the stages whose view changed run again.
4. A stage that runs again gets every file's `BankItem`: from the cache, or from checking the
   file (only new bytes are parsed, validated and linted, on every core when there are many).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from cmas_bank.bankitem import BankItem
from cmas_bank.config import Config
from cmas_bank.diagnostics import Diagnostic, Severity, sort_key
from cmas_bank.engine.store import CACHE_DIR, Store, cache_location, context_key
from cmas_bank.engine.survey import File, Record, Walk, discover, displays, survey
from cmas_bank.fileio import discover_names
from cmas_bank.memory import collector_paused, keep_until_exit
from cmas_bank.outlineref import OutlineRef
from cmas_bank.stages import STAGE_NAMES, Output, StageInput

if TYPE_CHECKING:
    from cmas_bank.coverage import CoverageReport
    from cmas_bank.dedupe import Cluster
    from cmas_bank.dedupe.settings import DedupeSettings
    from cmas_bank.engine.workers import Checked, Progress
    from cmas_bank.lint.settings import LintSettings
    from cmas_bank.outline import Outline

INCREMENTAL_LIMIT = 50  # edited files up to which the stages' views are compared


@dataclass(frozen=True)
class Job:
    """What a command asks of the engine: which bank-wide stages run (each file's own checks,
    validation and per-item lint, always do: they are what the cache stores), coverage's
    options, lint settings given on the command line, and, for `dedupe PATHS`, the files to
    report on (compared against every file of the run)."""

    stages: tuple[str, ...] = STAGE_NAMES
    statuses: tuple[str, ...] = ("approved",)
    multiplier: float = 1.0
    lint: tuple[tuple[str, Any], ...] = ()  # overrides of [tool.cmas-bank.lint], as (name, value)
    focus: tuple[str, ...] | None = None  # display paths to report duplicates on
    items: bool = False  # give every file's `BankItem` with the result (assemble, analyze)
    # Whether the result must carry dedupe's clusters (the `dedupe` listing, `report`, forms).
    # Not part of the memo's key: a run that does not want them only skips reading them.
    clusters: bool = field(default=True, compare=False)

    def view(self, paths: Sequence[Path]) -> str:
        """Names this job's state in the cache: each command and set of paths keeps its own."""
        import hashlib

        where = sorted(os.path.realpath(p) for p in paths)
        return hashlib.sha256(
            repr((where, self.stages, self.statuses, self.multiplier, self.focus)).encode()
        ).hexdigest()[:16]


@dataclass
class CheckResult:
    coverage: CoverageReport | None
    file_count: int = 0
    invalid: int = 0  # files without a valid item
    statuses: Counter[str] = field(default_factory=Counter)  # valid items per status
    clusters: list[Cluster] = field(default_factory=list)
    stages: dict[str, list[Diagnostic]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    cache_hits: int = 0
    notes: list[str] = field(default_factory=list)  # why the cache was not used, if it was not
    not_linted: list[str] = field(default_factory=list)  # display paths of files that are not valid items
    items: list[BankItem] = field(default_factory=list)  # every file's record, when the job asked for them
    analysed: int = 0  # items dedupe could read (a usable stem)

    @property
    def covered(self) -> CoverageReport:
        """The coverage report, for a run that asked for coverage."""
        if self.coverage is None:
            raise ValueError("this run did not compute coverage")
        return self.coverage

    @cached_property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted((d for found in self.stages.values() for d in found), key=sort_key)


@dataclass
class Memo:
    """What a run found, kept by file and by bank-wide stage, so that the next run can reuse it:
    whole when no file changed, or with an edited file's own findings swapped in when the edit
    left every stage's view as it was (a rationale, a reference, a review note, a comment)."""

    key: Job
    per_file: dict[str, tuple[list[Diagnostic], list[Diagnostic]]]  # display -> (validate, lint) findings
    bank: dict[str, list[Diagnostic]]  # stage -> what it found
    coverage: CoverageReport | None
    clusters: list[Cluster] | None  # None: not read (they are kept apart, see `_attach_clusters`)
    not_linted: list[str]  # files without a valid item
    statuses: Counter[str]
    analysed: int = 0
    generation: int = 0  # that of the bank part written with it

    def __getstate__(self) -> dict[str, Any]:
        # The clusters are stored apart (the "clusters" part), read only by a run that wants
        # them: at 100,000 items they take longer to unpickle than every finding of the bank.
        return {**vars(self), "clusters": None}

    def result(self, file_count: int) -> CheckResult:
        own = {
            "validate": [d for found, _ in self.per_file.values() for d in found],
            "lint": [d for _, found in self.per_file.values() for d in found],
        }
        names = [n for n in STAGE_NAMES if n in own or n in self.bank]
        return CheckResult(
            coverage=self.coverage,
            file_count=file_count,
            invalid=len(self.not_linted),
            statuses=self.statuses,
            clusters=self.clusters or [],
            stages={name: own.get(name, []) + self.bank.get(name, []) for name in names},
            not_linted=list(self.not_linted),
            analysed=self.analysed,
        )


def context(config: Config, outline: Outline | OutlineRef, job: Job) -> str:
    """What every cached result depends on besides a file's bytes (the store adds the code,
    Python and the dependencies). An outline read from a file is keyed on the file's path and
    bytes alone (what it holds follows from them and the code; coverage findings point at its
    lines, which a comment moves), so the outline need not be read to find a cached answer."""
    source = _source_digest(outline.source)
    if not source:
        from cmas_bank.outline import read

        source = read(outline).model_dump_json()
    return context_key(config.fingerprint(), source, repr(job.lint))


def _source_digest(source: Path | None) -> str:
    import hashlib

    try:
        return f"{source}\0{hashlib.sha256(source.read_bytes()).hexdigest()}" if source is not None else ""
    except OSError:
        return ""


def cache_folder(config: Config) -> Path:
    """`CMAS_BANK_CACHE_DIR` (a folder, e.g. a CI cache or a test's own), else `cache-dir` in
    `[tool.cmas-bank]`, else `.cmas-bank-cache` beside the config; never the bank or the root."""
    override = os.environ.get("CMAS_BANK_CACHE_DIR")
    if override:
        return cache_location(os.path.abspath(override), config.root, config.bank, "CMAS_BANK_CACHE_DIR")
    return cache_location(config.table.get("cache-dir", CACHE_DIR), config.root, config.bank, config.source)


def run_check(
    paths: Sequence[Path],
    config: Config,
    outline: Outline | OutlineRef,
    *,
    statuses: Sequence[str] = ("approved",),
    multiplier: float = 1.0,
    use_cache: bool = True,
    progress: Progress | None = None,
    job: Job | None = None,
) -> CheckResult:
    """Check the files under `paths`: every stage (`check`), or those `job` names."""
    job = job or Job(statuses=tuple(statuses), multiplier=multiplier)
    with collector_paused():
        run = _Run(paths, config, outline, job, progress)
        keep_until_exit(run)  # the console command exits without freeing it
        return run.go(use_cache)


def dedupe_job(bank: Path, given: Sequence[Path] | None) -> tuple[list[Path], Job]:
    """`dedupe`'s paths and job: the whole bank, or the `given` files compared against the bank
    (and each other), reporting on the given files alone."""
    if not given:
        return [bank], Job(stages=("dedupe",))
    names = discover_names(given)
    targets = ([bank.absolute()] if bank.is_dir() else []) + [Path(os.path.abspath(n)) for n in names]
    return targets, Job(stages=("dedupe",), focus=tuple(displays(names)))


class _Run:
    def __init__(
        self,
        paths: Sequence[Path],
        config: Config,
        outline: Outline | OutlineRef,
        job: Job,
        progress: Progress | None,
    ) -> None:
        self.paths, self.config, self.given, self.job, self.progress = paths, config, outline, job, progress
        self.timings: dict[str, float] = {}
        self.partial = False  # files were checked for validation alone: their results are not cached

    @cached_property
    def outline(self) -> Outline:
        """The outline, read only when a file must be checked or a stage must run."""
        from cmas_bank.outline import read

        return read(self.given)

    def go(self, use_cache: bool) -> CheckResult:
        names = self._survey(use_cache)
        last = self.store.state.get("memo")
        self.last = last if isinstance(last, Memo) else None
        memo = self._reusable()
        changed = self.survey.changed_since(self.record) if memo is not None and self.record is not None else []
        quiet = memo is not None and not changed and not self.job.items
        if memo is not None and (self.job.clusters or not quiet) and not self._attach_clusters(memo):
            memo = None
        if memo is not None and quiet:
            # The settings are not even read: the cache's context covers the config, and a
            # config with a bad setting never completed a run to leave a memo.
            return self._finish(memo, hits=len(names), updated=False)
        fresh: dict[str, Checked] = {}
        before: dict[str, BankItem | None] | None = None
        stale = set(STAGE_NAMES)
        if memo is not None and not changed:
            stale = set()  # a job that wants the items: every stage's findings stand
        elif memo is not None and len(changed) <= INCREMENTAL_LIMIT:
            fresh, before, stale = self._recheck(changed)
            if not stale and not self.job.items:
                return self._patch(memo, changed, fresh)
        checked = self._check_files(fresh)
        return self._bank(checked, memo, before, stale)

    def _survey(self, use_cache: bool) -> list[str]:
        """Open the cache, find the run's files (the last walk where no folder changed) and
        which of them changed since the last run; the files' names."""
        start = time.perf_counter()
        folder = cache_folder(self.config) if use_cache else None
        self.store = Store.open(folder, context(self.config, self.given, self.job), self.job.view(self.paths))
        found = self.store.state.get("record")
        self.record = found if isinstance(found, Record) else None
        last = self.store.state.get("walk")
        walked = last if isinstance(last, Walk) else None
        names, shown, self.walk = discover(self.paths, self.record, walked)
        self.walked = self.walk is not walked
        self.survey = survey(names, shown, self.record)
        self.timings["survey"] = time.perf_counter() - start
        return names

    def _reusable(self) -> Memo | None:
        """The last run's memo, where it was made for these coverage options and these files."""
        memo, record = self.last, self.record
        if memo is None or memo.key != self.job or record is None:
            return None
        return memo if record.displays == self.survey.displays else None

    def _attach_clusters(self, memo: Memo) -> bool:
        """Give `memo` the clusters written with it; False when they cannot be trusted (the
        part is missing, damaged, or from another generation: a crash between the writes)."""
        if memo.clusters is not None or "dedupe" not in memo.key.stages:
            memo.clusters = memo.clusters or []
            return True
        part = self.store.part("clusters")
        if not (isinstance(part, dict) and part.keys() == {"generation", "clusters"}):
            return False
        if part["generation"] != memo.generation or not isinstance(part["clusters"], list):
            return False
        memo.clusters = part["clusters"]
        return True

    # The settings are read when a file must be checked or a stage must run, not before: a run
    # that finds everything in the cache (its context covers the config, and a config with a bad
    # setting never completed a run) imports no lint rules and no dedupe machinery.
    @cached_property
    def lint(self) -> LintSettings:
        from cmas_bank.lint import settings_from_config as lint_settings

        return lint_settings(self.config, **dict(self.job.lint))

    @cached_property
    def dedupe(self) -> DedupeSettings:
        from cmas_bank.dedupe import settings_from_config as dedupe_settings

        return dedupe_settings(self.config)

    def _recheck(self, changed: list[File]) -> tuple[dict[str, Checked], dict[str, BankItem | None], set[str]]:
        """Check the edited files, and find the stages whose view of them changed."""
        from cmas_bank.engine.workers import parse
        from cmas_bank.stages import stages

        mark = time.perf_counter()
        assert self.record is not None
        lint = None if self._validation_alone(len(changed)) else self.lint
        fresh = {f.display: parse(f, self.outline, lint) for f in changed}
        before = {f.display: _item(self.store.previous(f.display, self.record.digests[f.index])) for f in changed}
        after = {d: found.item for d, found in fresh.items()}

        def seen(stage: Any, b: BankItem | None) -> Any:
            return None if b is None else stage.view(b)

        wanted = [s for s in stages() if s.name in self.job.stages]
        stale = {s.name for s in wanted if any(seen(s, before.get(d)) != seen(s, b) for d, b in after.items())}
        self.timings["load+validate"] = time.perf_counter() - mark
        return fresh, before, stale

    def _patch(self, memo: Memo, changed: list[File], fresh: Mapping[str, Checked]) -> CheckResult:
        """Every stage's findings stand: swap in the edited files' own findings."""
        for f in changed:
            found = fresh[f.display]
            self._keep(f, found)
            if found.validate or found.lint:
                memo.per_file[f.display] = (found.validate, found.lint)
            else:
                memo.per_file.pop(f.display, None)
            if found.item is not None and found.item.valid:
                memo.not_linted = [d for d in memo.not_linted if d != f.display]
            elif f.display not in memo.not_linted:
                memo.not_linted = sorted([*memo.not_linted, f.display])
        return self._finish(memo, hits=len(self.survey.names) - len(changed), updated=True)

    def _check_files(self, fresh: dict[str, Checked]) -> list[Checked]:
        """Every file's own results: from the cache, else checked now (on every core for many)."""
        from cmas_bank.engine.workers import Checked, check_all, parse

        mark = time.perf_counter()
        sv = self.survey
        known: dict[str, Checked] = {}
        for d, h in zip(sv.displays, sv.digests):
            if h is not None and d not in fresh:
                found = self.store.get(d, h)
                if isinstance(found, Checked):
                    known[d] = found
        todo = [sv.file(i) for i, d in enumerate(sv.displays) if d not in known and d not in fresh]
        if self.progress is not None:
            self.progress(len(sv.names) - len(todo))
        if self._validation_alone(len(todo)):
            fresh.update({f.display: parse(f, self.outline, None) for f in todo})
        else:
            fresh.update(check_all(todo, self.outline, self.lint, self.progress))
        for f in todo:
            sv.digests[f.index] = f.digest  # what was read, if `stat` vouched for the bytes
        checked: list[Checked] = []
        for i, d in enumerate(sv.displays):
            found = known.get(d)
            if found is None:
                found = fresh[d]
                self._keep(sv.file(i), found)
            checked.append(found)
        self.timings["load+validate"] = time.perf_counter() - mark
        return checked

    def _bank(
        self, checked: list[Checked], memo: Memo | None, before: dict[str, BankItem | None] | None, stale: set[str]
    ) -> CheckResult:
        """Run the stale bank-wide stages over every file's record, and keep what they found."""
        mark = time.perf_counter()
        items = [c.item for c in checked if c.item is not None]
        digests = {d: h for d, h in zip(self.survey.displays, self.survey.digests) if h is not None}
        kept = self._kept(digests)
        if kept is None:
            before, stale = None, set(STAGE_NAMES)
        changed, states = kept if kept is not None else (None, {})
        outputs = self._run_stages(items, changed, states, before, stale)
        for name, out in outputs.items():
            states[name] = out.state
        generation = (self.last.generation if self.last is not None else 0) + 1
        self.store.set_part("bank", {"generation": generation, "digests": digests, "states": states})
        self.timings["bank"] = time.perf_counter() - mark
        new = self._memo(checked, items, outputs, memo, generation)
        if "dedupe" in self.job.stages:
            self.store.set_part("clusters", {"generation": generation, "clusters": new.clusters})
        result = self._finish(new, hits=self.store.hits, updated=True, prune=_covers(self.paths, self.config.bank))
        if self.job.items:
            result.items = items
        return result

    def _kept(self, digests: Mapping[str, str | None]) -> tuple[frozenset[str], dict[str, Any]] | None:
        """What the stages kept from the last run, and the files changed since: None where it
        cannot be trusted. The bank part is trusted only beside the memo written with it: each
        is replaced atomically, but a crash may keep one file's new version and the other's old."""
        kept = self.store.part("bank")
        generation = self.last.generation if self.last is not None else None
        if not _valid_part(kept) or kept["generation"] != generation:
            return None
        changed = frozenset(d for d, h in digests.items() if kept["digests"].get(d) != h)
        return changed, dict(kept["states"])

    def _run_stages(
        self,
        items: list[BankItem],
        changed: frozenset[str] | None,
        states: dict[str, Any],
        before: dict[str, BankItem | None] | None,
        stale: set[str],
    ) -> dict[str, Output]:
        from cmas_bank.stages import stages

        job = self.job
        wanted = [s for s in stages() if s.name in stale and s.name in job.stages]
        if not wanted:
            return {}
        names = {s.name for s in wanted}
        lint = self.lint if "lint" in names else None
        dedupe = self.dedupe if "dedupe" in names else None
        run = StageInput(
            items, self.config, self.outline, lint, dedupe, job.statuses, job.multiplier,
            changed=changed, kept=states, before=before, whole_bank=_covers(self.paths, self.config.bank),
            focus=frozenset(job.focus) if job.focus is not None else None,
        )  # fmt: skip
        started = {s.name: s.start(run) for s in wanted}
        return {name: wait() for name, wait in started.items()}

    def _memo(
        self,
        checked: list[Checked],
        items: list[BankItem],
        outputs: dict[str, Output],
        memo: Memo | None,
        generation: int,
    ) -> Memo:
        """This run's memo: the stages that ran give their findings, the others keep theirs."""

        def kept(name: str, new: Any, old: Any) -> Any:
            out = outputs.get(name)
            if out is not None:
                return new(out)
            return old(memo) if memo is not None else None

        valid = [b for b in items if b.valid]
        displays = self.survey.displays
        clusters, analysed = kept("dedupe", lambda o: o.extra, lambda m: (m.clusters, m.analysed)) or ([], 0)
        return Memo(
            key=self.job,
            per_file={d: (c.validate, c.lint) for d, c in zip(displays, checked) if c.validate or c.lint},
            bank={n: kept(n, lambda o: o.diagnostics, lambda m, n=n: m.bank[n]) for n in self.job.stages},
            coverage=kept("coverage", lambda o: o.extra, lambda m: m.coverage),
            clusters=clusters,
            not_linted=[d for d, c in zip(displays, checked) if c.item is None or not c.item.valid],
            statuses=Counter(b.status for b in valid if b.status is not None),
            analysed=analysed,
            generation=generation,
        )

    def _validation_alone(self, files: int) -> bool:
        """`validate` of a few files the cache does not know (the commit hook's case) checks
        them for validation alone, without the lint rules and dedupe's views; those partial
        results are not cached (a later `check` checks the files in full)."""
        alone = self.job.stages == ("validate",) and not self.job.items and files <= INCREMENTAL_LIMIT
        self.partial = self.partial or alone
        return alone

    def _keep(self, f: File, found: Checked) -> None:
        if f.digest is not None and not self.partial:
            self.store.put(f.display, f.digest, found)

    def _finish(self, memo: Memo, *, hits: int, updated: bool, prune: bool = False) -> CheckResult:
        """Record the files and what was found in them (`updated`: the memo changed), save, and
        give the result. `prune`: the whole bank was checked, so the entries of files that are
        no longer in it are dropped (a check of some folders keeps the others' entries)."""
        sv, record = self.survey, self.record
        now = sv.record()
        if updated or self.walked or (not sv.as_recorded and (record is None or vars(now) != vars(record))):
            self.store.set_state("record", now)
            self.store.set_state("memo", memo)
            self.store.set_state("walk", self.walk)
        mark = time.perf_counter()
        self.store.save(set(sv.displays) if prune else None)
        self.timings["save"] = time.perf_counter() - mark
        result = memo.result(len(sv.names))
        result.timings, result.cache_hits = self.timings, hits
        result.notes = list(self.store.notes)
        if self.store.rejected:
            result.notes.append(f"{self.store.rejected} cache file(s) did not verify and were recomputed")
        return result


def _item(found: Any) -> BankItem | None:
    return getattr(found, "item", None)


def _valid_part(kept: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(kept, dict) and kept.keys() == {"generation", "digests", "states"}


def _covers(paths: Sequence[Path], bank: Path) -> bool:
    """Whether the paths checked include the whole bank folder (not just some of its files)."""
    target = os.path.realpath(bank)
    return any(
        target == (real := os.path.realpath(p)) or target.startswith(real.rstrip(os.sep) + os.sep) for p in paths
    )


def summary(result: CheckResult) -> str:
    """One line per stage and a verdict, for stderr."""
    lines = []
    for stage, found in result.stages.items():
        counts = ", ".join(f"{sum(1 for d in found if d.severity is s)} {s.value}s" for s in Severity)
        if stage == "coverage" and result.coverage is not None:
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
        f"{'files':<9} {result.file_count} checked, {result.cache_hits} from cache, {sum(result.timings.values()):.2f} s"
    )
    lines.extend(f"{'cache':<9} {note}" for note in result.notes)
    return "\n".join(lines) + "\n"
