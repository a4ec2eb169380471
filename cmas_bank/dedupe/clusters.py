"""Dedupe's results: the members, pairs and clusters of duplicates.

A module of its own, importing nothing heavy, because `check` keeps clusters in its cache: a run
that reads them back (nothing changed) must not import the dedupe machinery (rapidfuzz, numpy)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from cmas_bank.dedupe.verify import Match

Kind = Literal["exact", "near", "possible"]
"""exact: ID101; near: ID102; possible: a possible paraphrase, ID103 (`paraphrase.py`)."""


@dataclass(frozen=True)
class Member:
    item_id: str
    path: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.item_id, "path": self.path, "line": self.line}


@dataclass(frozen=True)
class Pair:
    """Two items found to be duplicates, with why and what differs."""

    a: Member
    b: Member
    kind: Kind
    score: float
    stem_similarity: float
    option_similarity: float
    reason: str
    diff: str
    options_only_a: tuple[str, ...] = ()
    options_only_b: tuple[str, ...] = ()

    @property
    def match(self) -> Match:
        from cmas_bank.dedupe.verify import Match

        return Match(self.score, self.stem_similarity, self.option_similarity, self.reason)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.item_id,
            "b": self.b.item_id,
            "kind": self.kind,
            "score": round(self.score, 4),
            "stem_similarity": round(self.stem_similarity, 4),
            "option_similarity": round(self.option_similarity, 4),
            "reason": self.reason,
            "stem_diff": self.diff,
            "options_only_a": list(self.options_only_a),
            "options_only_b": list(self.options_only_b),
        }


@dataclass(frozen=True)
class Cluster:
    """Items joined by duplicate pairs (transitively). `score` is the closest pair's."""

    kind: Kind
    members: tuple[Member, ...]
    pairs: tuple[Pair, ...]

    @property
    def score(self) -> float:
        return max(p.score for p in self.pairs)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.item_id for m in self.members)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "score": round(self.score, 4),
            "members": [m.to_dict() for m in self.members],
            "pairs": [p.to_dict() for p in self.pairs],
        }
