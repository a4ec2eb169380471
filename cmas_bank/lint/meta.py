"""IW9xx: rules about suppressions themselves (ruff's RUF100 and friends).

An item silences a rule with its `suppress:` mapping, `CODE: reason`. These rules keep that
mapping honest: a suppression that no longer suppresses anything, one that names no lint rule,
and one whose reason says nothing. They run after the other rules, on what those found.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cmas_bank.diagnostics import Severity
from cmas_bank.lint.core import Finding, ItemContext, Options, rule
from cmas_bank.lint.text import words

_PLACEHOLDERS = frozenset(
    {
        "todo",
        "tbd",
        "fixme",
        "x",
        "ok",
        "okay",
        "n/a",
        "na",
        "none",
        "reason",
        "because",
        "-",
        "?",
        "ignore",
        "fine",
        "wip",
    }
)


@rule("IW901", "unused-suppression", Severity.WARNING)
def unused_suppression(item: object, opts: Options, *, used: set[str], judged: set[str]) -> Iterator[Finding]:
    """A suppression no longer suppresses anything.

    What: the item's `suppress:` names a rule that ran on the item and found nothing to
    silence. Suppressions of rules that are not selected are not judged, and those of
    bank-wide rules (IW5xx) only when the whole bank is linted.

    Why: a stale suppression hides the next real finding of that rule in the item; remove it
    once the item is fixed.

    Bad:
        suppress: {IW301: "the key names the full form"}   # but the key is no longer longest

    Good:
        suppress: {}
    """
    # `judged` holds codes of the item's own suppress entries that ran, so the item itself (an
    # ItemContext or, for bank rules, a BankItem) is not read.
    for code in sorted(judged - used):
        yield Finding(
            ("suppress", code),
            f"suppression of {code} is unused: the rule finds nothing in this item; remove it",
            key=True,
        )


@rule("IW902", "unknown-suppression", Severity.ERROR)
def unknown_suppression(ctx: ItemContext, opts: Options, *, known: Mapping[str, str]) -> Iterator[Finding]:
    """A suppression names a code that is not a lint rule.

    What: a `suppress:` key that is not a lint rule code (a typo, a validation code such as
    IV206, which cannot be suppressed, or an IW9xx code, since suppressions cannot silence
    the rules that check them). A close match is suggested.

    Why: a misspelt code silences nothing while looking as if it did.

    Bad:
        suppress: {IW3O1: "long key is the full legal name"}

    Good:
        suppress: {IW301: "long key is the full legal name"}
    """
    from cmas_bank.config import suggest

    for code in ctx.item.suppress:
        if code in known and not code.startswith("IW9"):
            continue
        if code.startswith("IV"):
            why = "validation findings cannot be suppressed"
        elif code.startswith("IW9"):
            why = "suppression rules cannot themselves be suppressed"
        else:
            why = f"no lint rule has this code{suggest(code, list(known))}"
        yield Finding(("suppress", code), f"{code} is not a suppressible lint rule: {why}", key=True)


@rule("IW903", "suppression-without-reason", Severity.WARNING, min_words=3)
def suppression_without_reason(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """A suppression's reason says nothing.

    What: the reason given for a suppression has fewer than `min-words` words or is a
    placeholder such as "TODO", "ok" or "n/a".

    Why: the reason is what a reviewer reads to decide whether the finding was rightly set
    aside; "ok" tells them nothing.

    Bad:
        suppress: {IW301: ok}

    Good:
        suppress: {IW301: "the key is the full name of the form, the distractors its abbreviations"}
    """
    for code, reason in ctx.item.suppress.items():
        n = len(words(reason))
        if n < opts["min-words"] or reason.strip().lower() in _PLACEHOLDERS:
            yield Finding(
                ("suppress", code),
                f'the reason for suppressing {code} ("{reason.strip()}") is too short; say why the finding does not apply',
                key=True,
            )
