"""Checking files: one file's own checks (the unit the cache stores), on every core for many.

`check_file` does everything that depends on one file alone: parse, validation, the per-item
lint rules and the file's `BankItem` with what the bank-wide stages derive from it. A cold run
sends files to worker processes forked from this one, so rules and settings (closures, not
picklable) reach them for free; workers die with their parent (a `kill -9` of the run leaves
none behind)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from cmas_bank.bankitem import BankItem, bank_item
from cmas_bank.diagnostics import Diagnostic
from cmas_bank.engine.survey import File
from cmas_bank.loader import LoadedFile, load_bytes
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from cmas_bank.lint.settings import LintSettings

T = TypeVar("T")
Progress = Callable[[int], None]
PARALLEL_MIN = 2000  # files to check from scratch before worker processes pay for themselves
CHUNK = 250  # files per task sent to a worker
_inherited: Any = None  # in a forked worker: what its parent gave it (never pickled)


class Checked(NamedTuple):
    """One file's own findings (validation's, lint's) and its bank record (None: not a mapping)."""

    validate: list[Diagnostic]
    lint: list[Diagnostic]
    item: BankItem | None


def check_file(loaded: LoadedFile, outline: Outline, lint: LintSettings | None) -> Checked:
    """One file's own checks. With `lint` None, validation alone (what `validate` of a few edited
    files needs, without importing the lint rules and dedupe's text machinery): the result is
    then partial and must not be cached."""
    from cmas_bank.validate import validate_loaded

    checked = validate_loaded(loaded, outline)
    if lint is None:
        return Checked(checked.diagnostics, [], bank_item(checked.loaded, checked.item))
    from cmas_bank.dedupe.entries import views
    from cmas_bank.lint import bank_features, lint_file
    from cmas_bank.lint.core import ItemContext

    if checked.item is None:
        found, b = [], bank_item(checked.loaded, None)
    else:
        ctx = ItemContext(checked, checked.item)
        found, b = lint_file(checked, lint, ctx), bank_features(checked, ctx)
    if b is not None:
        views(b)  # dedupe's views, made here (on a worker's core in a cold run) and cached with it
    return Checked(checked.diagnostics, found, b)


def parse(f: File, outline: Outline, lint: LintSettings | None) -> Checked:
    """Check a file whose bytes the cache does not know (read now if `stat` vouched for them)."""
    if f.loaded is None:
        f.read()
    assert f.loaded is not None
    raw, f.raw = f.raw, None
    if raw is None:
        return check_file(f.loaded, outline, lint)
    return check_file(load_bytes(raw, f.loaded), outline, lint)


def forked_pool(workers: int, given: Any) -> ProcessPoolExecutor | None:
    """A pool of worker processes forked from this one, each starting with `given` in memory;
    None where the platform cannot fork."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_inherit, initargs=(given, os.getpid()))


def _inherit(given: Any, parent: int) -> None:
    global _inherited
    import gc

    gc.disable()  # as in the parent: a worker allocates much and frees it at exit
    _die_with(parent)
    _inherited = given


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this worker when its parent dies (Linux), and leave at once if
    the parent is already gone: a worker blocked on its task pipe would otherwise live on."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool's own checks remain
        pass
    if os.getppid() != parent:
        os._exit(1)


def check_all(
    todo: Sequence[File], outline: Outline, lint: LintSettings, progress: Progress | None
) -> dict[str, Checked]:
    """Check the files the cache does not know: in this process for a few, on every core for
    many (a cold run: each file's checks are independent of the others)."""
    workers = min(os.cpu_count() or 1, len(todo) // CHUNK)
    pool = forked_pool(workers, (outline, lint)) if len(todo) >= PARALLEL_MIN and workers > 1 else None
    if pool is None:
        out = {}
        for i, f in enumerate(todo):
            out[f.display] = parse(f, outline, lint)
            if progress is not None and i % 500 == 499:
                progress(500)
        return out
    # Files that could not be read are reported from here; the others go out with their bytes
    # (the bytes that were hashed are the bytes checked), or to be read there if stat vouched.
    out = {f.display: parse(f, outline, lint) for f in todo if f.loaded is not None and f.raw is None}
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
        f = File(-1, path, display)
        if raw is not None:
            f.loaded, f.raw = LoadedFile(path=Path(path), display=display), raw
        found = parse(f, outline, lint)
        out.append((f.digest, found))
    return out


def start(job: Callable[[], T], background: bool) -> Callable[[], T]:
    """Run `job` in a forked process while this one goes on, and return a function that waits
    for its result; or, without `background` or `fork`, run it here and now."""
    pool = forked_pool(1, job) if background else None
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
