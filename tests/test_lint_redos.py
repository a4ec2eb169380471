"""Every lint rule runs in time linear in the text it reads: no regular expression may backtrack
without bound (a "ReDoS") on hostile text. Each rule in the registry is fed items whose every
text field holds 100 KB of adversarial text (runs of spaces, tabs and line breaks, repeated
punctuation and words, long digit runs, nested parentheses, unicode), and each must finish within
a budget computed from how long a linear pass over the same bytes takes here (CPU time, so
that other work on a shared machine does not count).

Why the budget separates the two: 100 KB of text is 10^5 characters. A linear rule makes a few
passes over it (milliseconds); a regex that backtracks quadratically makes ~10^10 steps (minutes
to hours), and an exponential one never ends. The budget is 2 s, or 40 times the time the loader
takes to read and validate the same items (one linear pass, which measures this machine's
speed at the moment), whichever is larger: hundreds of times what a linear rule needs, a
thousandth of what a quadratic one does."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lintcheck import FIELDS, OUTLINE

from cmas_bank.lint import REGISTRY, ItemContext, bank_features, lint_bank_items
from cmas_bank.lint.settings import build_settings
from cmas_bank.loader import MAX_BYTES, LoadedFile, load_bytes
from cmas_bank.validate import ItemFile, validate_loaded

SIZE = 100_000  # characters in each adversarial text field

PATTERNS: dict[str, Callable[[int], str]] = {
    "spaces": lambda n: "A" + " " * n + "B",
    "spaces-between-words": lambda n: ("word " + " " * 50) * (n // 56),
    "leading-spaces": lambda n: " " * n + "x",
    "number-then-spaces": lambda n: "5" + " " * n + "x",
    "money-then-spaces": lambda n: "about $5 %" + " " * n + "mg x",
    "range-then-spaces": lambda n: "5 to 6" + " " * n + "x",
    "article-then-spaces": lambda n: "Which is an" + " " * n + "x",
    "letter-then-spaces": lambda n: "A and" + " " * n + "B x",
    "negative-then-spaces": lambda n: "Which is not" + " " * n + "x",
    "tabs": lambda n: "A" + "\t" * n + "B",
    "newlines": lambda n: "A" + "\n" * n + "B",
    "blank-lines-with-spaces": lambda n: "A" + "\n  " * (n // 3) + "B",
    "mixed-whitespace": lambda n: "A" + " \t\n\u00a0" * (n // 4) + "B",
    "dots": lambda n: "A" + "." * n,
    "punctuation": lambda n: "A" + "?!.,;:-_'\"" * (n // 10),
    "quotes": lambda n: "A" + "\u201c\u2019'\"" * (n // 4),
    "hyphens": lambda n: "a" + "-a" * (n // 2),
    "repeated-word": lambda n: "not " * (n // 4),
    "repeated-phrase": lambda n: "all of the above and none of the above except " * (n // 46),
    "capitalised-words": lambda n: "Ab Cd. " * (n // 7),
    "digits": lambda n: "1" * n,
    "digit-groups": lambda n: "123-45-6789 555-0100 " * (n // 21),
    "numbers": lambda n: "$1,000.50 to 1.5 mg or 2-3 % " * (n // 29),
    "email-like": lambda n: "a.b+c-" * (n // 6) + "@x",
    "parentheses": lambda n: "(" * (n // 2) + ")" * (n // 2),
    "brackets-and-letters": lambda n: "(A) a) ii) [B] " * (n // 15),
    "underscores": lambda n: "a " + "_" * n + " ...",
    "accented": lambda n: "\u00e9" * n,
    "mixed-scripts": lambda n: "d\u0430ys 6\u200b0 \u03b1b " * (n // 10),
    "zero-width": lambda n: "a" + "\u200b\u200d\u00ad" * (n // 3),
}


def _texts(text: str) -> list[str]:
    """Three distinct non-empty texts (options must differ) made of `text`."""
    return [f"{text} {tag}" for tag in ("first", "second", "third")]


def _items(pattern: str, size: int = SIZE) -> list[ItemFile]:
    """Three items holding the pattern in every text field between them, each under the loader's
    size cap: stem and two options; two options and the rationale; references, an author, a
    review's notes and a suppression's reason."""
    text = PATTERNS[pattern](size)
    one, two, three = _texts(text)
    base = {
        **FIELDS,
        "options": {k: v.strip('"') for k, v in FIELDS["options"].items()},
        "authors": ["A. Writer"],
        "reviews": [{"reviewer": "R. Poe", "date": "2026-01-02", "verdict": "approved", "notes": "Checked."}],
        "created": "2026-01-01",
        "updated": "2026-01-02",
    }
    datas = [
        {**base, "id": "T-1", "stem": one, "options": {**base["options"], "A": two, "B": three}},
        {**base, "id": "T-2", "rationale": one, "options": {**base["options"], "C": two, "D": three}},
        {
            **base,
            "id": "T-3",
            "references": [one],
            "authors": [text[:2000] + " x"],
            "reviews": [{"reviewer": "R. Poe", "date": "2026-01-02", "verdict": "approved", "notes": two}],
            "suppress": {"IW101": three, "IW999": text[:5000] + " y"},
        },
    ]
    files = []
    for i, data in enumerate(datas):
        raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
        assert len(raw) <= MAX_BYTES, (pattern, len(raw))
        loaded = load_bytes(raw, LoadedFile(path=Path(f"t{i}.yaml"), display=f"t{i}.yaml"))
        file = validate_loaded(loaded, OUTLINE)
        assert file.item is not None, (pattern, [d.message for d in file.diagnostics])
        files.append(file)
    return files


def _extra(code: str, ctx: ItemContext) -> dict[str, Any]:
    """The keywords the suppression rules take besides the item (as the engine passes them)."""
    if code == "IW901":
        return {"used": set(), "judged": set(ctx.item.suppress)}
    if code == "IW902":
        return {"known": REGISTRY}
    return {}


def _time_rules(files: list[ItemFile]) -> dict[str, float]:
    """Seconds each rule takes over `files`: an item rule on each file's context, a bank rule
    over all of them (the features it reads are made beforehand and timed as `features`)."""
    settings = build_settings({}, select=["IW"])
    took: dict[str, float] = {}
    contexts = [ItemContext(f, f.item) for f in files if f.item is not None]
    for rule in REGISTRY.values():
        if rule.scope != "item":
            continue
        opts = settings.options[rule.code]
        start = time.process_time()
        for ctx in contexts:
            ctx.forget()  # what a rule derives is timed with the rule that asks for it
            for _ in rule.check(ctx, opts, **_extra(rule.code, ctx)):
                pass
        took[rule.code] = time.process_time() - start
    start = time.process_time()
    items = [b for b in (bank_features(f, ctx) for f, ctx in zip(files, contexts, strict=True)) if b is not None]
    took["features"] = time.process_time() - start
    for rule in REGISTRY.values():
        if rule.scope == "bank":
            start = time.process_time()
            lint_bank_items(items, build_settings({}, select=[rule.code]))
            took[rule.code] = time.process_time() - start
    return took


def test_every_rule_is_timed() -> None:
    took = _time_rules(_items("spaces-between-words"))
    assert set(REGISTRY) <= set(took)


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_every_rule_is_linear_on_hostile_text(pattern: str) -> None:
    """Sizes grow to 100 KB, so a rule that backtracks fails in seconds at a small size rather
    than running for hours at the full one."""
    for size in (250, 1_000, 4_000, 16_000, SIZE):
        start = time.process_time()
        files = _items(pattern, size)
        budget = max(2.0, 40 * (time.process_time() - start))
        took = _time_rules(files)
        slow = {code: round(seconds, 2) for code, seconds in took.items() if seconds > budget}
        assert not slow, f"{pattern} at {size:,} characters: over the {budget:.1f} s budget: {slow}"


def rule_times(pattern: str, size: int) -> dict[str, Any]:  # pragma: no cover - for profiling by hand
    return _time_rules(_items(pattern, size))


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_dedupe_text_is_linear_on_hostile_text(pattern: str) -> None:
    """The text functions of `dedupe` (and `check`), the word diff it prints included."""
    from cmas_bank.dedupe import text as dedupe_text

    text = PATTERNS[pattern](SIZE)
    start = time.process_time()
    _items(pattern)
    budget = max(2.0, 40 * (time.process_time() - start))
    start = time.process_time()
    dedupe_text.analyse(text)
    dedupe_text.shingles(text, 3)
    diff = dedupe_text.word_diff(text, text[: len(text) // 2] + " changed " + text[len(text) // 2 :])
    took = time.process_time() - start
    assert took < budget, f"{pattern}: {took:.1f} s, over the {budget:.1f} s budget"
    assert "changed" in diff
