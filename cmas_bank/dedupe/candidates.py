"""Which pairs of items are worth scoring: never all pairs of the bank.

- `lsh_candidates`: MinHash LSH (`minhash.py`, on numpy) over each item's features (`Entry.features`); the
  whole-bank path. Cost grows linearly with the bank: each item is hashed into a fixed number of
  bands, and with key-conditioned features only items with the same answer can collide.
- `same_bag_candidates`: items whose stems have the same masked word bag (numbers or dates
  changed, or the same stem), whatever their keys: a dict.
- `incremental_candidates`: a few changed files against the bank. Only items that could pass
  the answer gate with one of them are looked at (same key, same stem, or a quantity key), and
  those are compared with every changed file (rapidfuzz `cdist`, in C): exhaustive and quick.

A group of items that the first two put together (one masked stem, or one LSH band) is expanded
into all its pairs only up to `BUCKET_LIMIT` members: a stem shared by a thousand items ("Which of
the following is correct?") says nothing about which of them are copies, and all their pairs
would be half a million comparisons. A larger group is blocked on what still tells its members
apart (`blocked_pairs`): items with the same options and key are joined in a chain of n - 1
pairs, and the rest are paired only when they share a rare option text or sort next to each
other by their options, so the work stays linear in the group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from cmas_bank.dedupe.entries import Entry, spanning_pairs
from cmas_bank.dedupe.settings import DedupeSettings

Pairs = set[tuple[int, int]]
FEW_QUERIES = 8
BUCKET_LIMIT = 50
"""A candidate group with more members than this is blocked (`blocked_pairs`), not expanded into all
pairs; a stem with more items than this is generic (`verify.compare` then judges on the options)."""
WINDOW = 4
"""In a blocked group, each kind of item is paired with this many neighbours in the order of its
options (reworded options that share no text exactly)."""


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


SKETCH_CHUNK = 500  # entries whose MinHash signatures are made at once (x features x num_perm x 4 bytes)


def lsh_candidates(entries: Sequence[Entry], settings: DedupeSettings, queries: Iterable[Entry] | None = None) -> Pairs:
    """Pairs of entry indexes whose features collide in a MinHash LSH band (for `queries` only,
    when given).

    An item whose key no other item has cannot collide with key-conditioned features, so it is
    left out (exact, and it saves the per-band work). crc32 hashes the features: deterministic
    (Python's `hash` is salted per process), in C, and good enough because the signatures mix
    every input hash with the Murmur3 finaliser first.

    `minhash.py` makes the signatures and chooses the bands (the optimal b x r for the threshold
    and weights, as datasketch's `MinHashLSH` does); the banding is a sort per band with numpy,
    instead of 2 x b dictionary operations per item in Python."""
    import numpy as np

    from cmas_bank.dedupe.minhash import band_shape

    if settings.uses_answer:
        counts = Counter(e.key_plain for e in entries)
        entries = [e for e in entries if counts[e.key_plain] > 1]
    signatures, usable = _signatures(entries, settings)
    if len(usable) < 2:
        return set()
    # False negatives cost a missed duplicate; false positives only verification time.
    bands, rows = band_shape(settings.candidate_threshold, settings.num_perm, (0.3, 0.7))
    indexes = np.array([e.index for e in usable])
    wanted = None if queries is None else {e.index for e in queries}
    by_index = {e.index: e for e in usable}
    groups: set[tuple[int, ...]] = set()  # a group that recurs in several bands is expanded once
    pairs: Pairs = set()
    for band in range(bands):
        for members in _collisions(signatures[:, band * rows : (band + 1) * rows]):
            found = tuple(indexes[members].tolist())
            if found not in groups:
                groups.add(found)
                pairs |= group_pairs([by_index[i] for i in found], wanted)
    return pairs


def _signatures(entries: Sequence[Entry], settings: DedupeSettings) -> tuple[Any, list[Entry]]:
    """The MinHash signature of each entry with features (one row each, in one array), and
    those entries. Made a chunk of entries at a time: the feature sets and their permuted hashes
    for a whole bank at once would take most of a large run's memory."""
    import numpy as np

    from cmas_bank.dedupe.minhash import signatures as sketch

    rows = np.empty((len(entries), settings.num_perm), dtype=np.uint64)
    usable: list[Entry] = []
    for start in range(0, len(entries), SKETCH_CHUNK):
        chunk = [(e, f) for e in entries[start : start + SKETCH_CHUNK] if (f := e.features(settings))]
        if not chunk:
            continue
        rows[len(usable) : len(usable) + len(chunk)] = sketch(
            [list(f) for _, f in chunk], settings.num_perm, settings.seed
        )
        usable.extend(e for e, _ in chunk)
    return rows[: len(usable)], usable


def _collisions(band: Any) -> list[Any]:
    """Groups of rows (two or more) whose values in this band are all equal. Each row is folded
    into one 64-bit number first (so equal rows fold equal; a rare fold collision only adds a
    candidate that verification rejects), and the numbers are sorted to find the equal ones."""
    import numpy as np

    folded = np.zeros(band.shape[0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in band.T:
            folded = folded * np.uint64(0x100000001B3) + column.astype(np.uint64)
    order = np.argsort(folded, kind="stable")
    ordered = folded[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(ordered)])
    return [order[start : start + size] for start, size in zip(starts.tolist(), sizes.tolist()) if size > 1]


def same_bag_candidates(entries: Sequence[Entry], queries: Iterable[Entry] | None = None) -> Pairs:
    """Pairs whose stems have the same masked word bag: copies with only numbers or dates
    changed, or the same stem (whatever their keys)."""
    groups: dict[tuple[str, ...], list[Entry]] = {}
    for e in entries:
        groups.setdefault(e.stem_bag, []).append(e)
    wanted = None if queries is None else {e.index for e in queries}
    pairs: Pairs = set()
    for members in groups.values():
        if len(members) > 1 and (wanted is None or any(e.index in wanted for e in members)):
            pairs |= group_pairs(members, wanted)
    return pairs


def group_pairs(members: Sequence[Entry], wanted: set[int] | None = None) -> Pairs:
    """The candidate pairs of one group (with a member in `wanted`, when given): all of them up to
    `BUCKET_LIMIT` members, else those `blocked_pairs` picks."""
    if len(members) > BUCKET_LIMIT:
        found = blocked_pairs(members)
        return found if wanted is None else {p for p in found if p[0] in wanted or p[1] in wanted}
    pairs: Pairs = set()
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            if wanted is None or a.index in wanted or b.index in wanted:
                pairs.add(_pair(a.index, b.index))
    return pairs


def blocked_pairs(members: Sequence[Entry]) -> Pairs:
    """Candidate pairs of a large group, in time linear in its size.

    - Members with the same masked stem, key and set of options are joined in a chain
      (`spanning_pairs`: n - 1 pairs for n copies), and the first of each such kind stands for
      it below.
    - Kinds that share an option text that at most `BUCKET_LIMIT` kinds have are paired (an option
      as common as "All of the above" says as little as a generic stem).
    - Kinds are sorted by their options, and by their stems, and each is paired with its `WINDOW`
      next ones in both orders, for options reworded so that none is shared exactly.

    The result depends only on the members, not on their order, so an incremental run that
    re-reads the group finds the same pairs as a whole-bank run."""
    kinds: dict[tuple[object, ...], list[Entry]] = {}
    for e in members:
        kinds.setdefault((e.stem_bag, e.key_masked, frozenset(e.options_masked)), []).append(e)
    pairs: Pairs = set()
    heads = []
    for same in kinds.values():
        pairs.update(_pair(a.index, b.index) for a, b in spanning_pairs(same))
        heads.append(min(same, key=lambda e: (e.item_id, e.display)))
    heads.sort(key=lambda e: (sorted(e.options_masked), e.stem_bag, e.item_id, e.display))
    by_option: dict[str, list[int]] = {}
    for e in heads:
        for option in set(e.options_masked):
            by_option.setdefault(option, []).append(e.index)
    for sharing in by_option.values():
        if 1 < len(sharing) <= BUCKET_LIMIT:
            pairs.update(_pair(a, b) for i, a in enumerate(sharing) for b in sharing[i + 1 :])
    by_stem = sorted(heads, key=lambda e: (e.stem_bag, sorted(e.options_masked), e.item_id, e.display))
    for order in (heads, by_stem):
        for i, e in enumerate(order):
            pairs.update(_pair(e.index, other.index) for other in order[i + 1 : i + 1 + WINDOW])
    return pairs


def _bag_text(e: Entry) -> str:
    """What an incremental run compares: the content words (as verification does), or the masked
    word bag of a stem without content words."""
    return " ".join(e.content_bag or e.stem_bag)


def exhaustive_candidates(entries: Sequence[Entry], queries: Sequence[Entry], settings: DedupeSettings) -> Pairs:
    """Pairs of each query with every entry whose stem could still reach the threshold.

    The bound is loose (character-level similarity of the content-word bags, in C): the
    verification stage decides. A few queries (a pre-commit run) are scored one by one; more use `cdist` on
    both cores, which needs numpy, a tenth of a second to import."""
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    if not queries or not entries:
        return set()
    weight = settings.effective_stem_weight
    floor = max(0.0, (settings.near_threshold - (1 - weight)) / weight if weight else 0.0) - 0.2
    cutoff = max(floor, 0.0)
    choices = [_bag_text(e) for e in entries]
    texts = [_bag_text(q) for q in queries]
    if len(queries) <= FEW_QUERIES:
        hits = [
            [
                col
                for _, _, col in process.extract(
                    text, choices, scorer=Indel.normalized_similarity, score_cutoff=cutoff, limit=None
                )
            ]
            for text in texts
        ]
    else:
        import numpy as np

        scores = process.cdist(
            texts, choices, scorer=Indel.normalized_similarity, score_cutoff=cutoff, dtype=np.float32, workers=-1
        )
        hits = [np.nonzero(row)[0].tolist() for row in scores]
    pairs: Pairs = set()
    for query, cols in zip(queries, hits):
        pairs.update(_pair(query.index, entries[col].index) for col in cols if entries[col].index != query.index)
    return pairs


def incremental_candidates(entries: Sequence[Entry], queries: Sequence[Entry], settings: DedupeSettings) -> Pairs:
    """Candidate pairs between `queries` (a few changed files) and the bank.

    The answer gate accepts only the same key, a quantity key with the same masked stem (a
    calculation with other figures), or the same stem; so the bank is filtered on the cheap views
    first, and only what is left is compared."""
    if not queries:
        return set()
    if not settings.uses_answer:
        return exhaustive_candidates(entries, queries, settings)
    keys = {q.key_plain for q in queries}
    same_key = [e for e in entries if e.key_plain in keys]
    pairs = exhaustive_candidates(same_key, queries, settings)
    pairs |= _same_stem(entries, queries)
    pairs |= _same_wording(entries, queries)
    query_index = {q.index for q in queries}
    return {p for p in pairs if p[0] != p[1] and (p[0] in query_index or p[1] in query_index)}


def _same_stem(entries: Sequence[Entry], queries: Sequence[Entry]) -> Pairs:
    """Each query with every entry whose stem is the query's (the answer gate's same-stem case)."""
    by_stem: dict[str, list[Entry]] = {}
    for q in queries:
        by_stem.setdefault(q.stem_plain, []).append(q)
    pairs: Pairs = set()
    for e in entries:
        for q in by_stem.get(e.stem_plain, ()):
            pairs.add(_pair(q.index, e.index))
    return pairs


def _same_wording(entries: Sequence[Entry], queries: Sequence[Entry]) -> Pairs:
    """Calculations with other figures: the same masked stem wording and a key of the same masked
    form (or any quantity key, when a query's key is one)."""
    masked_keys = {q.key_masked for q in queries}
    numeric = any(q.numeric_key for q in queries)
    wordings = {q.wording for q in queries}
    clones = [
        e for e in entries if (e.key_masked in masked_keys or (numeric and e.numeric_key)) and e.wording in wordings
    ]
    if not clones:
        return set()
    among = {e.index for e in clones}
    return same_bag_candidates([*clones, *(q for q in queries if q.index not in among)], queries)
