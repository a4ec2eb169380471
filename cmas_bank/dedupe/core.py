"""Exact and near-duplicate items, at bank scale.

Three stages, each chosen for cost and for what it can tell apart:

1. **Exact**: every item gets a key (its stem's plain tokens and the sorted set of its options'
   plain tokens); equal keys are exact duplicates. A dict, linear in the bank.
2. **Candidates**: MinHash LSH (datasketch) over small features: the masked content words of the
   stem (word 1-shingles by default, never across a sentence end, stop words left out) and the
   masked words of the key. A copy with 1-3 words changed keeps most *words* but loses many
   3-shingles, and words reordered or numbers changed lose none, so small shingles catch copies
   at a Jaccard where the LSH buckets stay small. Cost grows linearly with the bank.
   In incremental mode with few files, each file is compared with every stem instead
   (rapidfuzz `cdist`, in C), which is exhaustive and still takes well under a second.
3. **Verification** of each candidate pair with exact measures: the stems' word-bag similarity
   (rapidfuzz Indel over sorted masked words, so reordered sentences and changed numbers
   score 1), option similarity (each option matched to its closest counterpart), and the answer
   gate: a near duplicate must have the same key text, or be a copy whose stem and key differ
   only in numbers and dates, or have the same stem. The gate is what keeps hard negatives out:
   the same scenario asking for a different form locator shares nearly every word, but not the
   key.

Pairs that list each other in `enemies` are acknowledged variants and are never reported.
"""

from __future__ import annotations

import os
import time
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cmas_bank.dedupe.settings import DedupeSettings
from cmas_bank.dedupe.text import (
    NUMBER,
    analyse_normal,
    normal,
    plain_and_masked,
    plain_tokens,
    shingles_of,
    word_diff,
    words,
)
from cmas_bank.diagnostics import Diagnostic, Severity, sort_key
from cmas_bank.loader import position_of
from cmas_bank.outline import Outline
from cmas_bank.validate import ItemFile

EXACT_DUPLICATE = "ID101"
NEAR_DUPLICATE = "ID102"
UNKNOWN_ENEMY = "ID201"

RULES: dict[str, tuple[Severity, str]] = {
    EXACT_DUPLICATE: (Severity.ERROR, "exact duplicate after normalising case, punctuation, spacing, Unicode and option order"),
    NEAR_DUPLICATE: (Severity.ERROR, "near duplicate (reworded copy) not acknowledged in enemies"),
    UNKNOWN_ENEMY: (Severity.WARNING, "enemies names an id that no item in the bank has"),
}

EXHAUSTIVE_LIMIT = 200
"""Incremental runs with at most this many files compare each with every stem (exhaustive);
more files use the LSH index like a whole-bank run."""

Kind = Literal["exact", "near"]


# --- items as seen by dedupe --------------------------------------------------------------------


@dataclass(eq=False)
class Entry:
    """What dedupe needs of one item.

    Built in two steps: `make_entry` takes what is cheap and serves exact duplicates and the
    choice of which items an incremental run must look at (plain stem, options, key);
    `analyse_entry` adds the sentence-level views that near-duplicate search needs."""

    index: int
    file: ItemFile
    item_id: str
    stem: str
    options: dict[str, str]
    answer: str | None
    enemies: frozenset[str]
    stem_normal: str  # NFKC, case-folded
    stem_plain: tuple[str, ...]
    exact_key: str
    key_plain: tuple[str, ...] | None
    key_masked: tuple[str, ...] | None
    options_masked: tuple[str, ...]
    stem_bag: tuple[str, ...] = ()  # masked words, sorted: a word bag that rapidfuzz compares in C
    features: frozenset[str] = frozenset()
    analysed: bool = False

    @property
    def display(self) -> str:
        return self.file.loaded.display

    @property
    def numeric_key(self) -> bool:
        return self.key_masked is not None and NUMBER in self.key_masked


def _fields_of(f: ItemFile) -> tuple[str, str, dict[str, str], str | None, list[str]] | None:
    """Id, stem, options, answer and enemies, from the model or, for an item that failed
    validation, from whatever well-formed parts its data has (validate reports the rest)."""
    if f.item is not None:
        item = f.item
        return item.id, item.stem, item.options.as_dict(), item.answer, list(item.enemies)
    data = f.loaded.data if f.loaded.ok else None
    if not isinstance(data, dict) or not isinstance(data.get("stem"), str) or not data["stem"].strip():
        return None
    raw_id = data.get("id")
    item_id = raw_id if isinstance(raw_id, str) else f.loaded.display
    raw_options = data.get("options")
    options = (
        {str(k): v for k, v in raw_options.items() if isinstance(v, str)} if isinstance(raw_options, dict) else {}
    )
    answer = data.get("answer") if isinstance(data.get("answer"), str) else None
    raw_enemies = data.get("enemies")
    enemies = [e for e in raw_enemies if isinstance(e, str)] if isinstance(raw_enemies, list) else []
    return item_id, data["stem"], options, answer, enemies


def make_entry(index: int, f: ItemFile, settings: DedupeSettings) -> Entry | None:
    """The cheap normalised views of one item, or None when it has no usable stem."""
    found = _fields_of(f)
    if found is None:
        return None
    item_id, stem, options, answer, enemies = found
    stem_normal = normal(stem)
    stem_plain = tuple(words(stem_normal))
    if not stem_plain:
        return None
    option_tokens = {k: plain_and_masked(v) for k, v in options.items()}
    exact_key = " ".join(stem_plain)
    if settings.uses_options:
        exact_key += "\x1e" + "\x1f".join(sorted(" ".join(plain) for plain, _ in option_tokens.values()))
    key = option_tokens.get(answer) if answer is not None else None
    return Entry(
        index=index,
        file=f,
        item_id=item_id,
        stem=stem,
        options=options,
        answer=answer,
        enemies=frozenset(enemies),
        stem_normal=stem_normal,
        stem_plain=stem_plain,
        exact_key=exact_key,
        key_plain=tuple(key[0]) if key is not None else None,
        key_masked=tuple(key[1]) if key is not None else None,
        options_masked=tuple(" ".join(masked) for _, masked in option_tokens.values()),
    )


def analyse_entry(entry: Entry, settings: DedupeSettings) -> Entry:
    """Add the masked word bag and the candidate features.

    With the answer among the fields, every feature carries the key's text: items with
    different keys then share no feature and never become LSH candidates, which is what keeps the
    candidate count near-linear (most pairs of a big bank share words, few share a key). Pairs
    with different keys that can still be duplicates (numbers changed, same stem) are found by
    grouping equal word bags instead."""
    if entry.analysed:
        return entry
    sentences = analyse_normal(entry.stem_normal)
    entry.stem_bag = tuple(sorted(t for _, masked in sentences for t in masked))
    features = shingles_of((masked for _, masked in sentences), settings.shingle_size)
    if settings.uses_answer:
        prefix = " ".join(entry.key_plain or ()) + "\x1f"
        features = {prefix + f for f in features}
    entry.features = frozenset(features)
    entry.analysed = True
    return entry


def acknowledged(a: Entry, b: Entry) -> bool:
    """True when either item lists the other in `enemies`: a deliberate variant."""
    return b.item_id in a.enemies or a.item_id in b.enemies


# --- results ------------------------------------------------------------------------------------


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


@dataclass
class DedupeResult:
    clusters: list[Cluster]
    diagnostics: list[Diagnostic]
    items: int = 0
    candidates: int = 0
    analysed: int = 0  # items analysed for near duplicates (all, or those an incremental run needs)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def pairs(self) -> list[Pair]:
        return [p for c in self.clusters for p in c.pairs]


# --- stage 2: candidates ------------------------------------------------------------------------


def lsh_candidates(entries: Sequence[Entry], settings: DedupeSettings, queries: Iterable[Entry] | None = None) -> set[tuple[int, int]]:
    """Pairs of entry indexes whose features collide in a MinHash LSH band.

    crc32 hashes the features: deterministic (Python's `hash` is salted per process), in C, and
    good enough because datasketch mixes every input hash with the Murmur3 finaliser first."""
    from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

    usable = [e for e in entries if e.features]
    if len(usable) < 2:
        return set()
    sketches = MinHash.bulk(
        ([f.encode() for f in e.features] for e in usable),
        num_perm=settings.num_perm,
        seed=settings.seed,
        hashfunc=zlib.crc32,
    )
    # False negatives cost a missed duplicate; false positives only verification time.
    lsh = MinHashLSH(threshold=settings.candidate_threshold, num_perm=settings.num_perm, weights=(0.3, 0.7))
    with lsh.insertion_session() as session:
        for entry, sketch in zip(usable, sketches):
            session.insert(entry.index, sketch, check_duplication=False)
    wanted = None if queries is None else {e.index for e in queries}
    pairs: set[tuple[int, int]] = set()
    for entry, sketch in zip(usable, sketches):
        if wanted is not None and entry.index not in wanted:
            continue
        for other in lsh.query(sketch):
            if other != entry.index:
                pairs.add((min(entry.index, other), max(entry.index, other)))
    return pairs


def exhaustive_candidates(entries: Sequence[Entry], queries: Sequence[Entry], settings: DedupeSettings) -> set[tuple[int, int]]:
    """Pairs of each query with every entry whose stem could still reach the threshold.

    The bound is loose (character-level similarity of the word bags, in C on both cores): the
    verification stage decides."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    if not queries or not entries:
        return set()
    weight = settings.effective_stem_weight
    floor = max(0.0, (settings.near_threshold - (1 - weight)) / weight if weight else 0.0) - 0.2
    scores = process.cdist(
        [" ".join(q.stem_bag) for q in queries],
        [" ".join(e.stem_bag) for e in entries],
        scorer=Indel.normalized_similarity,
        score_cutoff=max(floor, 0.0),
        dtype=np.float32,
        workers=-1,
    )
    pairs: set[tuple[int, int]] = set()
    for row, query in enumerate(queries):
        for col in np.nonzero(scores[row])[0].tolist():
            other = entries[col].index
            if other != query.index:
                pairs.add((min(query.index, other), max(query.index, other)))
    return pairs


def same_bag_candidates(entries: Sequence[Entry], queries: Iterable[Entry] | None = None) -> set[tuple[int, int]]:
    """Pairs whose stems have the same masked word bag: copies with only numbers or dates
    changed, or the same stem (whatever their keys). A dict, no LSH needed."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for e in entries:
        groups.setdefault(e.stem_bag, []).append(e.index)
    wanted = None if queries is None else {e.index for e in queries}
    pairs: set[tuple[int, int]] = set()
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if wanted is None or a in wanted or b in wanted:
                    pairs.add((min(a, b), max(a, b)))
    return pairs


def _sharing_a_key(entries: Sequence[Entry], settings: DedupeSettings) -> Sequence[Entry]:
    """With key-conditioned features, an item whose key no other item has cannot collide in
    LSH: leave it out of the index (exact, and it saves the per-band work)."""
    if not settings.uses_answer:
        return entries
    counts = Counter(e.key_plain for e in entries)
    return [e for e in entries if counts[e.key_plain] > 1]


def could_match(entry: Entry, queries: Sequence[Entry], settings: DedupeSettings) -> bool:
    """Whether `entry` can be a near duplicate of one of `queries` at all, judged from its cheap
    views: the answer gate accepts only the same key, numeric keys (a copy with other figures),
    or the same stem. Incremental runs analyse only such entries."""
    if not settings.uses_answer:
        return True
    return any(
        entry.key_plain == q.key_plain
        or entry.stem_plain == q.stem_plain
        or (entry.key_masked is not None and entry.key_masked == q.key_masked)
        or (entry.numeric_key and q.numeric_key)
        for q in queries
    )


# --- stage 3: verification ----------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    score: float
    stem_similarity: float
    option_similarity: float
    reason: str


def option_similarity(a: Entry, b: Entry) -> float:
    """How alike the option sets are, order ignored: each option is matched to its closest
    counterpart in the other item, both ways, and the similarities averaged. Shuffled options
    score 1; one distractor replaced scores about 0.8."""
    from rapidfuzz.distance import Indel

    if not a.options_masked or not b.options_masked:
        return 1.0 if a.options_masked == b.options_masked else 0.0
    sim = Indel.normalized_similarity
    rows = [max(sim(x, y) for y in b.options_masked) for x in a.options_masked]
    cols = [max(sim(x, y) for x in a.options_masked) for y in b.options_masked]
    return (sum(rows) + sum(cols)) / (len(rows) + len(cols))


def _numeric_keys(a: Entry, b: Entry) -> bool:
    """Keys that agree once numbers are masked, or are both quantities ("61 to 90 days", "over
    120 days"): with stems that differ only in numbers, such items are one calculation with other
    figures. Keys without numbers that differ ("diagnosis codes" for item 21, "billing provider"
    for item 33) mean the number in the stem named a different thing: not a copy."""
    if a.key_masked is None or b.key_masked is None:
        return False
    return a.key_masked == b.key_masked or (NUMBER in a.key_masked and NUMBER in b.key_masked)


def compare(a: Entry, b: Entry, settings: DedupeSettings) -> Match | None:
    """Whether two items are near duplicates, and how close they are."""
    from rapidfuzz.distance import Indel

    weight = settings.effective_stem_weight
    stem_sim = Indel.normalized_similarity(a.stem_bag, b.stem_bag)
    if weight * stem_sim + (1 - weight) < settings.near_threshold:
        return None  # even identical options could not lift it over the threshold
    same_stem = a.stem_plain == b.stem_plain
    if settings.uses_answer:
        if a.key_plain is not None and a.key_plain == b.key_plain:
            reason = "same answer"
        elif a.stem_bag == b.stem_bag and _numeric_keys(a, b):
            reason = "only numbers or dates differ"
        elif same_stem:
            reason = "same stem, different answer"
        else:
            return None
    else:
        reason = "same stem" if same_stem else "similar stem"
    opt_sim = option_similarity(a, b) if settings.uses_options else 1.0
    score = weight * stem_sim + (1 - weight) * opt_sim
    if score < settings.near_threshold:
        return None
    return Match(score=score, stem_similarity=stem_sim, option_similarity=opt_sim, reason=reason)


# --- clusters and findings ----------------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def _member(e: Entry) -> Member:
    return Member(e.item_id, e.display, position_of(e.file.loaded, ("stem",))[0])


def _pair(a: Entry, b: Entry, kind: Kind, match: Match) -> Pair:
    first, second = sorted((a, b), key=lambda e: (e.item_id, e.display))
    opts_a, opts_b = _option_difference(first, second)
    return Pair(
        a=_member(first),
        b=_member(second),
        kind=kind,
        score=match.score,
        stem_similarity=match.stem_similarity,
        option_similarity=match.option_similarity,
        reason=match.reason,
        diff=word_diff(first.stem, second.stem),
        options_only_a=opts_a,
        options_only_b=opts_b,
    )


def _option_difference(a: Entry, b: Entry) -> tuple[tuple[str, ...], tuple[str, ...]]:
    norm_a = {" ".join(plain_tokens(v)): v for v in a.options.values()}
    norm_b = {" ".join(plain_tokens(v)): v for v in b.options.values()}
    only_a = tuple(sorted(v for k, v in norm_a.items() if k not in norm_b))
    only_b = tuple(sorted(v for k, v in norm_b.items() if k not in norm_a))
    return only_a, only_b


def _clusters(entries: Sequence[Entry], found: list[tuple[Entry, Entry, Kind, Match]]) -> list[Cluster]:
    uf = _UnionFind()
    for a, b, _, _ in found:
        uf.union(a.index, b.index)
    groups: dict[tuple[Kind, int], list[tuple[Entry, Entry, Kind, Match]]] = {}
    for a, b, kind, match in found:
        groups.setdefault((kind, uf.find(a.index)), []).append((a, b, kind, match))
    clusters = []
    for (kind, _), edges in groups.items():
        members = {e.index: e for edge in edges for e in edge[:2]}
        ordered = sorted(members.values(), key=lambda e: (e.item_id, e.display))
        pairs = sorted((_pair(a, b, k, m) for a, b, k, m in edges), key=lambda p: (-p.score, p.a.item_id, p.b.item_id))
        clusters.append(Cluster(kind=kind, members=tuple(_member(e) for e in ordered), pairs=tuple(pairs)))
    return sorted(clusters, key=lambda c: (c.kind, c.ids, c.members[0].path))


def _diagnostics(
    found: list[tuple[Entry, Entry, Kind, Match]], report: set[int] | None, settings: DedupeSettings
) -> list[Diagnostic]:
    partners: dict[tuple[int, Kind], list[tuple[float, Entry, Entry, Match]]] = {}
    for a, b, kind, match in found:
        partners.setdefault((a.index, kind), []).append((match.score, a, b, match))
        partners.setdefault((b.index, kind), []).append((match.score, b, a, match))
    out = []
    for (index, kind), links in partners.items():
        if report is not None and index not in report:
            continue
        links.sort(key=lambda t: (-t[0], t[2].item_id, t[2].display))
        me = links[0][1]
        named = []
        for score, _, other, match in links[:3]:
            where = f"{other.item_id} ({other.display}:{position_of(other.file.loaded, ('stem',))[0]})"
            if kind == "exact":
                named.append(where + (f", answer {other.answer} vs {me.answer} here" if _answers_differ(me, other) else ""))
            else:
                named.append(f"{where}, similarity {score:.2f}, {match.reason}")
        more = f" and {len(links) - 3} more" if len(links) > 3 else ""
        if kind == "exact":
            code, severity = EXACT_DUPLICATE, Severity.ERROR
            message = (
                f"exact duplicate of {'; '.join(named)}{more} "
                "(same stem and options once case, punctuation, spacing and option order are ignored)"
            )
        else:
            code, severity = NEAR_DUPLICATE, settings.near_severity
            message = (
                f"near duplicate of {'; '.join(named)}{more}; "
                "merge or rewrite them, or list each other in `enemies` if they are deliberate variants"
            )
        pos = position_of(me.file.loaded, ("stem",))
        out.append(me.file.loaded.diag(code, message, pos, severity=severity))
    return out


def _answers_differ(a: Entry, b: Entry) -> bool:
    return a.key_plain != b.key_plain


def unknown_enemies(files: Sequence[ItemFile]) -> list[Diagnostic]:
    """An enemy id that no item has: a typo, or an item that was renamed or removed."""
    known = {f.loaded.data.get("id") for f in files if f.loaded.ok}
    out = []
    for f in files:
        data = f.loaded.data if f.loaded.ok else None
        enemies = data.get("enemies") if data else None
        if not isinstance(enemies, list):
            continue
        for i, enemy in enumerate(enemies):
            if isinstance(enemy, str) and enemy not in known:
                pos = position_of(f.loaded, ("enemies", i))
                message = f"enemy {enemy!r} is not the id of any item in the bank"
                out.append(f.loaded.diag(UNKNOWN_ENEMY, message, pos, severity=Severity.WARNING))
    return out


# --- entry point --------------------------------------------------------------------------------


def _wanted_paths(paths: Iterable[Path]) -> set[str]:
    """Absolute and real forms of the few `only` paths, so that each bank file needs only
    `abspath` (string work: resolving 100,000 paths would cost seconds of system calls)."""
    return {form for p in paths for form in (os.path.abspath(p), os.path.realpath(p))}


def find_duplicates(
    files: Sequence[ItemFile], settings: DedupeSettings | None = None, only: set[Path] | None = None
) -> DedupeResult:
    """Exact and near duplicates among `files` (the library entry point behind `dedupe` and
    `check`).

    With `only`, just those files are compared against all of `files` (incremental mode for
    pre-commit): pairs between two other files are not looked for, findings are reported on
    `only`'s files alone, and unknown enemies are not checked (that needs the whole bank)."""
    settings = settings or DedupeSettings()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    entries = [e for e in (make_entry(i, f, settings) for i, f in enumerate(files)) if e is not None]
    by_index = {e.index: e for e in entries}
    queries: list[Entry] | None = None
    if only is not None:
        wanted = _wanted_paths(only)
        queries = [e for e in entries if e.file.path is not None and os.path.abspath(e.file.path) in wanted]
    report = None if queries is None else {e.index for e in queries}
    timings["normalise"] = time.perf_counter() - start

    mark = time.perf_counter()
    found: list[tuple[Entry, Entry, Kind, Match]] = []
    exact_groups: dict[str, list[Entry]] = {}
    for e in entries:
        exact_groups.setdefault(e.exact_key, []).append(e)
    exact_group_of = {e.index: id(group) for group in exact_groups.values() if len(group) > 1 for e in group}
    for group in exact_groups.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if report is not None and a.index not in report and b.index not in report:
                    continue
                if not acknowledged(a, b):
                    found.append((a, b, "exact", Match(1.0, 1.0, 1.0, "exact")))
    timings["exact"] = time.perf_counter() - mark

    mark = time.perf_counter()
    pool: Sequence[Entry] = entries
    if queries is not None:
        pool = [e for e in entries if e.index in (report or ()) or could_match(e, queries, settings)]
    for entry in pool:
        analyse_entry(entry, settings)
    timings["analyse"] = time.perf_counter() - mark

    mark = time.perf_counter()
    if queries is not None and len(queries) <= EXHAUSTIVE_LIMIT:
        candidates = exhaustive_candidates(pool, queries, settings)
    else:
        candidates = lsh_candidates(_sharing_a_key(pool, settings), settings, queries)
    candidates |= same_bag_candidates(pool, queries)
    timings["candidates"] = time.perf_counter() - mark

    mark = time.perf_counter()
    for i, j in sorted(candidates):
        a, b = by_index[i], by_index[j]
        same_exact = exact_group_of.get(i)
        if same_exact is not None and same_exact == exact_group_of.get(j):
            continue  # already an exact duplicate
        if acknowledged(a, b):
            continue
        match = compare(a, b, settings)
        if match is not None:
            found.append((a, b, "near", match))
    timings["verify"] = time.perf_counter() - mark

    mark = time.perf_counter()
    clusters = _clusters(entries, found)
    diagnostics = _diagnostics(found, report, settings)
    if only is None:
        diagnostics.extend(unknown_enemies(files))
    timings["report"] = time.perf_counter() - mark
    return DedupeResult(
        clusters=clusters,
        diagnostics=sorted(diagnostics, key=sort_key),
        items=len(entries),
        candidates=len(candidates),
        analysed=len(pool),
        timings=timings,
    )


def dedupe_paths(
    bank: Path, paths: Sequence[Path] | None, outline: Outline, settings: DedupeSettings | None = None
) -> tuple[DedupeResult, list[ItemFile]]:
    """`cmas-bank dedupe`: the whole bank, or `paths` compared against the bank (and each other).

    Returns the result and the files read; a file that is not a readable item is left out of the
    comparison (validate reports why)."""
    from cmas_bank.validate import discover, validate_paths

    given = discover(paths) if paths else None
    if given is not None and not bank.is_dir():
        bank_files: list[Path] = []  # nothing to compare against but each other
    else:
        bank_files = discover([bank])
    chosen: dict[str, Path] = {}
    for path in [*bank_files, *(given or [])]:
        chosen.setdefault(str(path.resolve()), path)
    files = validate_paths(sorted(chosen.values()), outline).files
    only = None if given is None else set(given)
    return find_duplicates(files, settings, only), files
