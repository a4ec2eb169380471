"""Exact and near duplicates, and unknown enemies (ID codes); its extra is the clusters.

Incremental where it pays: a pair of two files that did not change cannot have changed, so
after a few edits only the edited files are compared with the bank and the pairs found
between the others last time (its kept state, `links`) stand. From `BACKGROUND_MIN` items it
works in a forked process while the other stages run."""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

from cmas_bank.bankitem import BankItem
from cmas_bank.stages import Output, StageInput

INCREMENTAL_LIMIT = 50  # changed files up to which only they are compared against the bank
BACKGROUND_MIN = 20_000  # items from which dedupe runs in a forked process beside the others
# (below, forking and the copy-on-write of a smaller heap cost what the overlap saves)


def find(
    items: Sequence[BankItem], changed: frozenset[str] | None, links: Any, settings: Any, focus: frozenset[str] | None
) -> Output:
    """Duplicates among `items`: only those of the `focus` files when given (nothing is kept
    then: the pairs between other files were not looked for), else of the whole set,
    incrementally after a few changes."""
    from cmas_bank.dedupe import find_duplicates

    if focus is not None:
        result = find_duplicates(items, settings, only={Path(b.path) for b in items if b.display in focus})
        return Output(result.diagnostics, state=None, extra=(result.clusters, result.items))
    if changed is not None and links is not None and len(changed) <= max(INCREMENTAL_LIMIT, len(items) // 20):
        only = {Path(b.path) for b in items if b.display in changed}
        result = find_duplicates(items, settings, only=only, previous=links)
    else:
        result = find_duplicates(items, settings)
    return Output(result.diagnostics, state=result.links, extra=(result.clusters, result.items))


class Dedupe:
    name: str = "dedupe"
    codes: tuple[str, ...] = ("ID",)

    def view(self, b: BankItem) -> Hashable:
        from cmas_bank.dedupe.entries import dedupe_view

        return dedupe_view(b)

    def start(self, run: StageInput) -> Callable[[], Output]:
        from functools import partial

        from cmas_bank.engine.workers import start

        background = len(run.items) >= BACKGROUND_MIN and (os.cpu_count() or 1) > 1
        assert run.dedupe is not None  # the engine reads the dedupe settings when this stage runs
        return start(partial(find, run.items, run.changed, run.kept.get(self.name), run.dedupe, run.focus), background)


STAGE = Dedupe()
