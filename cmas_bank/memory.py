"""Memory management for bank-sized runs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: a bank-sized run allocates hundreds of thousands
    of small objects (parsed items, cached entries; few reference cycles), and each automatic
    collection walks the whole heap, which cost seconds on a 100,000-item bank (and made reading
    the check cache seven times slower). The collector runs again when the block ends.

    In the console command, whose runs' heaps are kept until it exits anyway (`defer_teardown`),
    what the block leaves alive is frozen first (`gc.freeze`): otherwise the first collection
    after the block walks all of it (a second after a stem edit at 100,000 items). Frozen
    objects are still freed by reference counting (`release`); only a reference cycle among
    them would wait for the exit."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if _defer:
                gc.freeze()
            gc.enable()


# A bank-sized run leaves a heap of millions of small objects (the cached records of every
# file, dedupe's index), and freeing them one by one when the run ends took longer than the
# warm run itself at 100,000 items. The console entry point asks for that teardown to be
# skipped: the run's objects are kept until the process exits, and it exits without freeing
# them (as mypy does). Library callers (and tests) are not affected: nothing is kept for them.
_kept: list[object] = []
_defer = False


def defer_teardown() -> None:
    """Called by the console entry point alone: keep runs' heaps until the process exits."""
    global _defer
    _defer = True


def keep_until_exit(heap: object) -> None:
    if _defer:
        _kept[:] = [heap]  # one run's worth at most


def release() -> None:
    """Let go of the kept heap: for a command that goes on to other large work after its run (an
    export reads and renders the chosen items once the engine's records of the whole bank are no
    longer needed), so that the two never share the peak."""
    _kept.clear()


def kept() -> bool:
    return bool(_kept)
