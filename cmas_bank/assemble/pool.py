"""What assembly reads of the bank: valid items read through the engine, and the pairs that may
never share a form (enemies, listed on either side, and dedupe's duplicate clusters)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cmas_bank.config import Config
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from cmas_bank.bankitem import BankItem
    from cmas_bank.dedupe import Cluster


@dataclass(frozen=True)
class PoolItem:
    id: str
    domain: int
    subdomain: str
    status: str
    difficulty: str
    cognitive_level: str
    answer: str
    display: str


@dataclass
class Pool:
    """Every valid item of the bank by id, with the groups of ids no form may hold two of."""

    items: dict[str, PoolItem]
    groups: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (why, ids): at most one per form
    invalid: int = 0

    def conflicts(self) -> dict[str, list[tuple[str, str]]]:
        """id -> [(other id, why)] for every group it is in."""
        out: dict[str, list[tuple[str, str]]] = {}
        for why, ids in self.groups:
            for a in ids:
                out.setdefault(a, []).extend((b, why) for b in ids if b != a)
        return out


def _pool_item(b: BankItem) -> PoolItem | None:
    if not b.valid or b.id is None or b.domain is None:
        return None
    return PoolItem(
        id=b.id,
        domain=b.domain,
        subdomain=b.subdomain or "",
        status=b.status or "",
        difficulty=b.difficulty or "",
        cognitive_level=b.cognitive_level or "",
        answer=b.answer or "",
        display=b.display,
    )


def build_pool(bank_items: Iterable[BankItem], clusters: Sequence[Cluster]) -> Pool:
    """A pool from the engine's `BankItem`s and dedupe's clusters."""
    items: dict[str, PoolItem] = {}
    enemies: dict[str, tuple[str | None, ...]] = {}
    invalid = 0
    for b in bank_items:
        p = _pool_item(b)
        if p is None:
            invalid += 1
        elif p.id not in items:  # a repeated id: validate reports it; the first file stands
            items[p.id] = p
            enemies[p.id] = b.enemies
    groups: set[tuple[str, tuple[str, ...]]] = set()
    for a, listed in enemies.items():
        for other in listed:
            if other is not None and other in items and other != a:
                groups.add(("enemies", tuple(sorted((a, other)))))
    for cluster in clusters:
        ids = tuple(sorted({i for i in cluster.ids if i in items}))
        if len(ids) > 1:
            groups.add(("duplicates", ids))
    return Pool(items=dict(sorted(items.items())), groups=sorted(groups), invalid=invalid)


def read_pool(config: Config, outline: Outline, paths: Sequence[Path] | None = None, use_cache: bool = True) -> Pool:
    """Read the bank through the engine (dedupe for the duplicate clusters), valid items only."""
    from cmas_bank.engine.run import Job, run_check

    result = run_check(
        list(paths or [config.bank]), config, outline, job=Job(stages=("dedupe",), items=True), use_cache=use_cache
    )
    return build_pool(result.items, result.clusters)


def seeded_key(seed: int, *parts: object) -> int:
    """A stable pseudo-random number for `parts` under `seed` (the same on every machine and run)."""
    text = "\x1f".join(str(p) for p in (seed, *parts))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
