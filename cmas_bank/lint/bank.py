"""IW5xx: patterns that only show across many items: answer-key balance, key runs, the share of
items whose key is the longest option, the share of negative stems, and one item cueing another.

Bank rules take every valid item at once, as `BankItem`s, and yield `(item, finding)` pairs;
each finding is reported in the file of the item it names, so it can be suppressed there like
any other. The statistics are judged for the whole bank and, with `per-area`, for each work area.
What the rules derive from one item (`LintFeatures`) is computed once per file by `features` and
cached with it by `check`, so the rules themselves only count and look up. Rules receive the
items sorted by id (`by_id`), as forms are often assembled.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property

from cmas_bank.bankitem import BankItem, LintFeatures
from cmas_bank.diagnostics import Severity
from cmas_bank.lint.core import BankMemo, Finding, ItemContext, Options, rule
from cmas_bank.lint.cues import key_is_longest
from cmas_bank.lint.stem import negative_lead_in
from cmas_bank.lint.text import ARTICLES, STOPWORDS, parse_numeric, stem_word, words
from cmas_bank.model import OPTION_KEYS

BankFindings = Iterator[tuple[BankItem, Finding]]


def _f(b: BankItem) -> LintFeatures:
    """The features of an item the bank rules are given (a valid item: `features` made them)."""
    found = b.lint
    if found is None:
        raise ValueError(f"{b.display}: a bank rule was given an item without lint features")
    return found


def features(ctx: ItemContext) -> LintFeatures:
    key_text = ctx.options[ctx.key]
    judged = ctx.numbers is None and _unique_longest(ctx)
    return LintFeatures(
        negative=is_negative(ctx),
        longest=key_is_longest(ctx, 1.0, 0) if judged else None,
        key_phrase=None if parse_numeric(key_text) is not None else _normal(_phrase(words(key_text))),
        stem_words=" ".join(_normal(words(ctx.item.stem))),
    )


def _phrase(key_words: list[str]) -> list[str]:
    while key_words and key_words[0] in STOPWORDS:
        key_words.pop(0)
    while key_words and key_words[-1] in STOPWORDS:
        key_words.pop()
    return key_words


def _normal(ws: list[str]) -> tuple[str, ...]:
    """Words as IW505 compares them: hyphenated words split, articles dropped, each word stemmed
    ("signed authorizations" meets "a signed authorization", "follow-up" "follow up")."""
    return tuple(stem_word(p) for w in ws for p in w.split("-") if p and p not in ARTICLES)


def _unique_longest(ctx: ItemContext) -> bool:
    lengths = sorted((len(v.strip()) for v in ctx.options.values()), reverse=True)
    return lengths[0] > lengths[1]


def is_negative(ctx: ItemContext) -> bool:
    return any(True for _ in negative_lead_in.check(ctx, negative_lead_in.options))


def chi_square_p(counts: Sequence[int]) -> float:
    """P-value of the chi-square goodness-of-fit test of four counts against equal shares
    (3 degrees of freedom, closed form, so no scipy at lint time)."""
    n = sum(counts)
    if n == 0:
        return 1.0
    expected = n / len(counts)
    x = sum((c - expected) ** 2 / expected for c in counts)
    return math.erfc(math.sqrt(x / 2)) + math.sqrt(2 * x / math.pi) * math.exp(-x / 2)


def binomial_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p): exact for small n, normal approximation beyond."""
    if k <= 0:
        return 1.0
    if n <= 1000:
        return min(1.0, sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)))
    mean, sd = n * p, math.sqrt(n * p * (1 - p))
    return 0.5 * math.erfc((k - 0.5 - mean) / (sd * math.sqrt(2)))


class ById(list[BankItem]):
    """Items sorted by id (then path): the order bank rules receive them in, sorted once by the
    engine rather than by each rule, with their grouping by work area made once too."""

    @cached_property
    def areas(self) -> dict[int, list[BankItem]]:
        areas: dict[int, list[BankItem]] = defaultdict(list)
        for b in self:
            areas[b.domain].append(b)  # type: ignore[index]
        return dict(sorted(areas.items()))


def by_id(items: Sequence[BankItem]) -> ById:
    return ById(sorted(items, key=lambda b: (b.id, b.display)))


def _areas(ordered: Sequence[BankItem]) -> dict[int, list[BankItem]]:
    """Items by work area, in work-area order, each list in the order given."""
    return (ordered if isinstance(ordered, ById) else ById(ordered)).areas


def _scopes(ordered: Sequence[BankItem], per_area: bool) -> Iterator[tuple[str, Sequence[BankItem]]]:
    yield "the bank", ordered
    if per_area:
        areas = _areas(ordered)
        if len(areas) == 1:
            return  # one work area: its figures are the bank's, already judged
        for number, scope in areas.items():
            yield f"work area {number}", scope


def _shares(counts: Counter[str | None], n: int) -> str:
    return ", ".join(f"{k} {counts[k]} ({counts[k] / n:.0%})" for k in OPTION_KEYS)


# What each rule reads of an item (its `reads`): an edit that leaves it unchanged for every
# edited item leaves the rule's findings as they were. Each rule also reads the id (the order
# it takes items in) and the work area; where a finding names another item, where that stands.


def _by_key(b: BankItem) -> tuple[object, ...]:
    return (b.id, b.domain, b.answer)


def _by_longest(b: BankItem) -> tuple[object, ...]:
    return (b.id, b.domain, b.answer, _f(b).longest)


def _by_negative(b: BankItem) -> tuple[object, ...]:
    return (b.id, b.domain, _f(b).negative)


def _by_cue(b: BankItem) -> tuple[object, ...]:
    key = b.options.get(b.answer) if b.answer is not None else None
    return (b.id, _f(b).key_phrase, _f(b).stem_words, b.enemies, key, b.position(("stem",)))


@rule(
    "IW501",
    "key-balance",
    Severity.WARNING,
    scope="bank",
    reads=_by_key,
    margin=0.05,
    alpha=0.05,
    min_items=12,
    per_area=True,
)
def key_balance(items: Sequence[BankItem], opts: Options) -> BankFindings:
    """The answer keys are unevenly spread over A to D.

    What: in the bank, and in each work area with `per-area`, a letter's share of the keys is
    more than `margin` away from 1/4, or a chi-square test of the four counts against equal
    shares gives p < `alpha`. Scopes with fewer than `min-items` items are skipped. Reported
    at the first item of the scope.

    Why: when one letter is the key more often, guessing that letter beats chance, and
    candidates who notice it gain marks unrelated to knowledge.

    Bad:
        work area 4: A 4 (9%), B 21 (49%), C 10 (23%), D 8 (19%)

    Good:
        work area 4: A 11 (26%), B 10 (23%), C 11 (26%), D 11 (26%)
    """
    margin, alpha = opts["margin"], opts["alpha"]
    for name, scope in _scopes(items, opts["per-area"]):
        n = len(scope)
        if n < opts["min-items"]:
            continue
        counts = Counter(b.answer for b in scope)
        values = [counts[k] for k in OPTION_KEYS]
        p = chi_square_p(values)
        off = [k for k in OPTION_KEYS if abs(counts[k] / n - 0.25) > margin + 1e-9]
        if off or p < alpha:
            reason = (
                f"{', '.join(off)} outside {0.25 - margin:.0%}-{0.25 + margin:.0%}"
                if off
                else f"chi-square p = {p:.3f}"
            )
            yield (
                scope[0],
                Finding(
                    ("answer",),
                    f"answer keys in {name} ({n} items) are unbalanced: {_shares(counts, n)}; {reason}; re-key some items",
                ),
            )


@rule("IW502", "key-run", Severity.WARNING, scope="bank", reads=_by_key, max_run=3)
def key_run(items: Sequence[BankItem], opts: Options) -> BankFindings:
    """More than `max-run` items in a row (by id, within a work area) have the same key.

    What: sorting each work area's items by id, a run of the same answer letter longer than
    `max-run`. Reported at the item that makes the run too long.

    Why: forms are often assembled in id order; a long run of one letter looks like a pattern
    to candidates and makes them doubt right answers.

    Bad:
        CMAS-04-0010 C, CMAS-04-0011 C, CMAS-04-0012 C, CMAS-04-0013 C

    Good:
        CMAS-04-0010 C, CMAS-04-0011 A, CMAS-04-0012 C, CMAS-04-0013 D
    """
    max_run = opts["max-run"]
    for number, scope in _areas(items).items():
        name = f"work area {number}"
        run: list[BankItem] = []
        for b in scope:
            if run and b.answer != run[-1].answer:
                run = []
            run.append(b)
            if len(run) == max_run + 1:
                yield (
                    b,
                    Finding(
                        ("answer",),
                        f"{len(run)} items in a row in {name} have key {b.answer} ({run[0].id} to {b.id}); "
                        f"re-key one so no run is longer than {max_run}",
                    ),
                )


@rule(
    "IW503",
    "key-longest-share",
    Severity.WARNING,
    scope="bank",
    reads=_by_longest,
    max_share=0.35,
    alpha=0.05,
    min_items=8,
    per_area=True,
)
def key_longest_share(items: Sequence[BankItem], opts: Options) -> BankFindings:
    """Too many items have the longest option as their key.

    What: among items whose options are not numbers and have one longest option, the share
    whose key is that option exceeds `max-share` and a binomial test against 1/4 gives
    p < `alpha`, in the bank or (with `per-area`) a work area of at least `min-items` items.
    The binomial test keeps small scopes honest: of 8 items, 5 keys that are the longest option
    are reported (p = 0.03), 4 are not.

    Why: even when no single item trips IW301, a bank where the key is usually the longest
    option teaches candidates to pick the longest.

    Bad:
        the bank: the key is the longest option in 61 of 140 items (44%)

    Good:
        the bank: the key is the longest option in 36 of 140 items (26%)
    """
    for name, scope in _scopes(items, opts["per-area"]):
        eligible = [b for b in scope if _f(b).longest is not None]
        n = len(eligible)
        if n < opts["min-items"]:
            continue
        hits = [b for b in eligible if _f(b).longest]
        share = len(hits) / n
        if share > opts["max-share"] and binomial_sf(len(hits), n, 0.25) < opts["alpha"]:
            yield (
                hits[0],
                Finding(
                    ("options", hits[0].answer),  # type: ignore[arg-type]
                    f"in {name} the key is the longest option in {len(hits)} of {n} items ({share:.0%}); "
                    "shorten keys or lengthen distractors",
                ),
            )


@rule(
    "IW504",
    "negative-stem-share",
    Severity.WARNING,
    scope="bank",
    reads=_by_negative,
    max_share=0.10,
    min_items=20,
    per_area=True,
)
def negative_stem_share(items: Sequence[BankItem], opts: Options) -> BankFindings:
    """Too many items have a negative lead-in.

    What: the share of items whose lead-in is negative (IW103, in capitals or not) exceeds
    `max-share` in the bank or (with `per-area`) a work area of at least `min-items` items.

    Why: negative items test whether a candidate can spot the exception rather than know the
    rule; a few are acceptable, a bank full of them is not (Haladyna et al. 2002).

    Bad:
        work area 2: 6 of 18 items (33%) have a negative lead-in

    Good:
        work area 2: 1 of 18 items (6%) has a negative lead-in
    """
    for name, scope in _scopes(items, opts["per-area"]):
        n = len(scope)
        if n < opts["min-items"]:
            continue
        negative = [b for b in scope if _f(b).negative]
        if len(negative) / n > opts["max-share"]:
            yield (
                negative[0],
                Finding(
                    ("stem",),
                    f"{len(negative)} of {n} items ({len(negative) / n:.0%}) in {name} {'has' if len(negative) == 1 else 'have'} a negative lead-in "
                    f"(limit {opts['max-share']:.0%}); rewrite some as positive questions",
                ),
            )


@rule(
    "IW505", "cross-item-cue", Severity.WARNING, scope="bank", incremental=True, reads=_by_cue, min_words=2, min_chars=8
)
def cross_item_cue(items: Sequence[BankItem], opts: Options, memo: BankMemo | None = None) -> BankFindings:
    """An item's key appears in another item's stem.

    What: the key's text (at least `min-words` words and `min-chars` characters once leading
    and trailing stop words are dropped, and not a plain number) appears in the stem of another
    item, word for word once articles, hyphens and word endings are set aside ("Signed
    authorizations" in "after a signed authorization arrives"). Items that list each other in `enemies` are skipped: they never
    share a form.

    Why: on a form holding both items, the second item's stem hands candidates the first
    item's answer (Haladyna et al. 2002: keep items independent of each other).

    Bad:
        CMAS-06-0003: "Which form does a new employee complete to set federal withholding?"
          answer: Form W-4
        CMAS-06-0011: "After completing Form W-4, a new employee asks ..."

    Good:
        CMAS-06-0011 lists CMAS-06-0003 in `enemies`, or its stem says "the withholding form".
    """
    min_words, min_chars = opts["min-words"], opts["min-chars"]
    owners: dict[tuple[str, ...], list[int]] = defaultdict(list)  # distinct key phrases
    judged: dict[str, bool] = {}  # keys repeat: each judged once

    def telling(key_text: str) -> bool:
        # counted as written: "ICD-10-CM" is one word, though it is matched as "icd 10 cm"
        written = _phrase(words(key_text))
        return (
            len(written) >= min_words and len(" ".join(written)) >= min_chars and not all(w.isdigit() for w in written)
        )

    for i, b in enumerate(items):
        phrase = _f(b).key_phrase
        if phrase is None:  # a numeric key cues nothing
            continue
        key_text = b.options.get(b.answer, "") if b.answer is not None else ""
        ok = judged.get(key_text)
        if ok is None:
            ok = judged[key_text] = telling(key_text)
        if ok:
            owners[phrase].append(i)
    contained = _contained(items, frozenset(owners), memo)
    tellers: dict[Phrase, list[int]] = defaultdict(list)  # phrase -> the items whose stem holds it
    for j in sorted(contained):
        for phrase in contained[j]:
            tellers[phrase].append(j)
    # Each item is cued by the first teller (in bank order) of any of its key's phrases that is
    # not itself, not an enemy and not a copy of its id: per phrase, the first such teller, and
    # the lowest of those over the phrases. Linear in owners and tellers: a common key phrase
    # in many stems costs one pass, not owners x tellers.
    cued: dict[int, int] = {}  # item -> the first item whose stem gives its key away
    for phrase, found in tellers.items():
        for i in owners[phrase]:
            cued_item = items[i]
            for j in found:
                teller = items[j]
                if (
                    i == j
                    or teller.id in cued_item.enemies
                    or cued_item.id in teller.enemies
                    or teller.id == cued_item.id
                ):
                    continue
                if j < cued.get(i, j + 1):
                    cued[i] = j
                break
    for i in sorted(cued):
        b, other = items[i], items[cued[i]]
        line = other.position(("stem",))[0]
        yield (
            b,
            Finding(
                ("options", b.answer),  # type: ignore[arg-type]
                f'the key "{b.options[b.answer].strip()}" appears in the stem of {other.id} '  # type: ignore[index]
                f"({other.display}:{line}), which gives the answer away on a form with both; "
                "reword one of them or list them as enemies",
            ),
        )


Phrase = tuple[str, ...]
FEW_NEW_PHRASES = 64  # new key phrases looked for in every kept stem; more: every stem is scanned


def _contained(
    items: Sequence[BankItem], universe: frozenset[Phrase], memo: BankMemo | None
) -> dict[int, tuple[Phrase, ...]]:
    """For each item whose stem holds any of the key phrases in `universe`, those phrases.

    Which phrases a stem holds depends on the stem and the universe alone, so with a `memo` of
    the last run only the changed stems are scanned; the kept ones are searched for the phrases
    that are new since (a key that was edited) and lose those that are gone."""
    kept = memo.state.get("IW505") if memo is not None and memo.changed is not None else None
    changed: frozenset[str] = memo.changed if kept is not None else frozenset()  # type: ignore[union-attr,assignment]
    by_display: dict[str, tuple[Phrase, ...]] = kept[1] if kept is not None else {}
    added = [f" {' '.join(p)} " for p in universe - kept[0]] if kept is not None else []
    if len(added) > FEW_NEW_PHRASES:
        kept = None
    scan = _scanner(universe)
    out: dict[int, tuple[Phrase, ...]] = {}
    for j, b in enumerate(items):
        if kept is not None and b.display not in changed:
            found = [p for p in by_display.get(b.display, ()) if p in universe]
            if added:
                padded = f" {_f(b).stem_words} "
                found += [tuple(needle.split()) for needle in added if needle in padded]
        else:
            found = scan(_f(b).stem_words)
        if found:
            out[j] = tuple(found)
    if memo is not None:
        memo.state["IW505"] = (universe, {items[j].display: found for j, found in out.items()})
    return out


SHORT_PHRASE = 8  # words: a key phrase up to this long is compared word by word where it may start


def _scanner(universe: frozenset[Phrase]) -> Callable[[str], list[Phrase]]:
    """A function giving the phrases of `universe` that a stem's words hold. Phrases are indexed
    by their first two words, so each stem position costs one dictionary lookup whatever the
    size of the bank."""
    index: dict[tuple[str, str | None], list[Phrase]] = defaultdict(list)
    for phrase in universe:
        index[(phrase[0], phrase[1] if len(phrase) > 1 else None)].append(phrase)
    firsts = {p[0] for p in universe}

    def scan(stem_words: str) -> list[Phrase]:
        tokens = stem_words.split()
        last = len(tokens) - 1
        found: dict[Phrase, None] = {}
        judged: set[int] = set()  # long phrases (by id: a tuple's hash costs its length), looked for once
        padded = ""
        for pos in _positions(tokens, firsts):
            token = tokens[pos]
            following = tokens[pos + 1] if pos < last else None
            candidates = index.get((token, following), [])
            if following is not None:
                candidates = candidates + index.get((token, None), [])
            for phrase in candidates:
                if len(phrase) <= SHORT_PHRASE:
                    if tuple(tokens[pos : pos + len(phrase)]) == phrase:
                        found[phrase] = None
                elif id(phrase) not in judged:
                    # Compared word by word at every place it could start, a long phrase would cost
                    # its length times the stem's (minutes for hostile text): one substring search.
                    judged.add(id(phrase))
                    padded = padded or f" {' '.join(tokens)} "
                    if f" {' '.join(phrase)} " in padded:
                        found[phrase] = None
        return list(found)

    return scan


def _positions(tokens: list[str], wanted: set[str]) -> Iterator[int]:
    """Where any word of `wanted` stands in `tokens`. The set intersection and `list.index` run
    in C, and most stems hold few of the words looked for: far cheaper than a loop over words."""
    for token in wanted.intersection(tokens):
        pos = tokens.index(token)
        while True:
            yield pos
            try:
                pos = tokens.index(token, pos + 1)
            except ValueError:
                break
