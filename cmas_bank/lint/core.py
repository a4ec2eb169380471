"""The pieces every lint rule is built from: the `Rule` declaration, the `Finding` a rule yields,
the per-item `ItemContext` rules read from, and `locate`, which turns a finding into a line and
column inside the file.

A rule is one decorated function in its family's module (stem, options, cues, hygiene, bank,
meta), as in yamllint: the decorator records its code, name, default severity and options, and
its docstring is its documentation (`cmas-bank rule CODE`, the README's rule table). Per-item
rules take an `ItemContext` and are pure functions of one file, so `check` can cache their
results per file; bank rules take every item at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from cmas_bank.diagnostics import Severity
from cmas_bank.lint.text import (
    content_stems,
    letters_mentioned,
    parse_numeric,
    without_articles,
    words,
)
from cmas_bank.loader import JsonPath, LoadedFile, Position, position_of
from cmas_bank.model import OPTION_KEYS, Item

if TYPE_CHECKING:
    from cmas_bank.bankitem import BankItem
    from cmas_bank.validate import ItemFile

Scope = Literal["item", "bank"]
Options = Mapping[str, Any]


@dataclass(frozen=True)
class Finding:
    """What a rule found: the JSON path of the value it concerns and, where it can say, the
    character span inside that value (`start`, `end`), so the report points at the exact words."""

    path: JsonPath
    message: str
    start: int | None = None
    end: int | None = None
    severity: Severity | None = None  # overrides the rule's default (e.g. IW103 in capitals)
    at: tuple[int, int, int] | None = None  # a raw (line, column, end column), for line rules
    key: bool = False  # point at the key of `path` rather than its value (suppress entries)


@dataclass(frozen=True)
class Rule:
    """One lint rule: its identity, defaults and check function. The docstring of `check` is the
    rule's documentation: a summary line, then What/Why/Bad/Good paragraphs."""

    code: str
    name: str
    severity: Severity
    check: Callable[..., Iterator[Any]]
    scope: Scope = "item"
    options: Mapping[str, Any] = field(default_factory=dict)
    fixable: bool = False
    incremental: bool = False  # a bank rule that takes `memo=`: what it kept from the last run
    reads: Callable[[BankItem], Hashable] | None = None  # a bank rule: what it reads of an item
    opt_in: bool = False  # runs only when selected by its own code or name (too imprecise for the default)

    @property
    def doc(self) -> str:
        import inspect

        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n", 1)[0].replace("\n", " ").strip()

    @property
    def family(self) -> str:
        return self.code[:3]


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    scope: Scope = "item",
    fixable: bool = False,
    incremental: bool = False,
    reads: Callable[[BankItem], Hashable] | None = None,
    opt_in: bool = False,
    **options: Any,
) -> Callable[[Callable[..., Iterator[Any]]], Rule]:
    """Declare a rule. Options are given as Python keywords (`max_words=120`) and exposed, as in
    the config file, with hyphens (`max-words`). An `opt_in` rule is left out of every selection
    that does not name it by code or name (prefixes and `ALL` do not select it)."""

    def wrap(check: Callable[..., Iterator[Any]]) -> Rule:
        opts = {k.replace("_", "-"): v for k, v in options.items()}
        return Rule(
            code=code,
            name=name,
            severity=severity,
            check=check,
            scope=scope,
            options=opts,
            fixable=fixable,
            incremental=incremental,
            reads=reads,
            opt_in=opt_in,
        )

    return wrap


@dataclass
class BankMemo:
    """What incremental bank rules keep between runs (`check` keeps it in its cache): each
    rule's state by code, and the items (by display path) that changed since it was made;
    `changed=None` means unknown, so nothing kept is trusted."""

    changed: frozenset[str] | None = None
    state: dict[str, Any] = field(default_factory=dict)
    before: Mapping[str, BankItem | None] | None = None
    """The files edited since the last run, as it saw them (by display path; None: not a
    valid item then): a rule whose `reads` of each is unchanged keeps its last findings."""


# --- the item as rules see it ---------------------------------------------------------------

_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")


class ItemContext:
    """One valid item and its file, with derived views computed once and only when a rule asks
    (word lists, the lead-in, numeric readings of the options)."""

    __slots__ = ("__dict__", "file", "item", "key", "loaded", "options")

    def __init__(self, file: ItemFile, item: Item):
        self.file = file
        self.item = item
        self.loaded: LoadedFile = file.loaded
        self.options: dict[str, str] = {k: getattr(item.options, k) for k in OPTION_KEYS}
        self.key: str = item.answer

    def forget(self) -> None:
        """Drop everything derived (word lists, joined text, lines); it is recomputed if asked."""
        self.__dict__.clear()

    @cached_property
    def lines(self) -> list[str] | None:
        return self.loaded.text.split("\n") if self.loaded.text is not None else None

    @property
    def distractors(self) -> dict[str, str]:
        return {k: v for k, v in self.options.items() if k != self.key}

    @cached_property
    def lead_in(self) -> tuple[str, int]:
        """The last sentence of the stem (the question itself) and its offset in the stem."""
        stem = self.item.stem.rstrip()
        start = 0
        for match in _SENTENCE_END.finditer(stem):
            if match.end() < len(stem):
                start = match.end()
        return stem[start:], start

    @cached_property
    def option_words(self) -> dict[str, list[str]]:
        return {k: words(v) for k, v in self.options.items()}

    @cached_property
    def option_normal(self) -> dict[str, tuple[str, ...]]:
        """Each option's words without articles (IW204, IW205)."""
        return {k: without_articles(ws) for k, ws in self.option_words.items()}

    @cached_property
    def option_content(self) -> dict[str, set[str]]:
        return {k: content_stems(ws) for k, ws in self.option_words.items()}

    @cached_property
    def numbers(self) -> dict[str, Any] | None:
        """Each option read as a number with its unit, when all four are numeric options."""
        if not all(_DIGIT.search(v) for v in self.options.values()):
            return None  # an option without a digit is not a number: skip the parse
        parsed = {k: parse_numeric(v) for k, v in self.options.items()}
        if any(p is None for p in parsed.values()):
            return None
        return parsed

    @cached_property
    def options_joined(self) -> str:
        """The four options on four lines: one regex search over it tells whether any option
        needs a closer look."""
        return "\n".join(self.options.values())

    @cached_property
    def rationale_letters(self) -> set[str]:
        return letters_mentioned(self.item.rationale)

    @cached_property
    def stem_words(self) -> list[str]:
        return words(self.item.stem)

    @cached_property
    def rationale_words(self) -> list[str]:
        return words(self.item.rationale)

    @cached_property
    def rationale_stems(self) -> set[str]:
        return content_stems(self.rationale_words)

    @cached_property
    def rationale_folded(self) -> str:
        return self.item.rationale.casefold()

    @cached_property
    def all_texts(self) -> list[tuple[JsonPath, str]]:
        return list(self.texts())

    @cached_property
    def joined(self) -> str:
        """Every free-text value in one string, for cheap "is there anything to look at" tests
        before the slower per-value scans."""
        return "\n".join(t for _, t in self.all_texts)

    def texts(self) -> Iterator[tuple[JsonPath, str]]:
        """Every free-text value of the item, with its path."""
        item = self.item
        yield ("stem",), item.stem
        for k, v in self.options.items():
            yield ("options", k), v
        yield ("rationale",), item.rationale
        for i, ref in enumerate(item.references):
            yield ("references", i), ref
        for i, review in enumerate(item.reviews):
            if review.notes:
                yield ("reviews", i, "notes"), review.notes


# --- positions inside values ------------------------------------------------------------------


def locate(
    loaded: LoadedFile,
    path: JsonPath,
    value: Any,
    start: int | None,
    lines: list[str] | None = None,
    end: int | None = None,
) -> tuple[Position, Position | None]:
    """The (line, column) of character `start` of the string `value` at `path`, and of its end
    when the span lies on one line. Exact for literal block scalars (`|`) and single-line
    scalars; otherwise the span's text is searched for from where the value starts; failing
    that, the value's own position."""
    pos = position_of(loaded, path)
    if start is None or not isinstance(value, str):
        return pos, None
    if lines is None and loaded.text is not None:
        lines = loaded.text.split("\n")
    if lines is None or pos[0] > len(lines):
        return pos, None
    return _locate_in(lines, pos, value, start, end)


def _locate_in(
    lines: list[str], pos: Position, value: str, start: int, end: int | None
) -> tuple[Position, Position | None]:
    line_no, col = pos
    head = lines[line_no - 1][col - 1 :]
    before = value[:start]
    span_line = value[start : end if end is not None and end > start else len(value)].split("\n", 1)[0]
    if head[:1] in "|>" and head[:1]:
        # Block scalar: content starts on the next line, indented.
        content = [i for i in range(line_no, min(len(lines), line_no + value.count("\n") + 64)) if lines[i].strip()]
        if not content:
            return pos, None
        first = lines[content[0]]
        indent = len(first) - len(first.lstrip(" "))
        if head[0] == "|":
            k = before.count("\n")
            c = start - (before.rfind("\n") + 1)
            target_line = line_no + 1 + k
            if target_line <= len(lines):
                text = lines[target_line - 1]
                if text[indent + c : indent + c + len(span_line)] == span_line:
                    stop = (target_line, indent + c + len(span_line) + 1) if span_line else None
                    return (target_line, indent + c + 1), stop
    elif "\n" not in value:
        quoted = 1 if head[:1] in "\"'" else 0
        at = col - 1 + quoted + start
        text = lines[line_no - 1]
        if span_line and text[at : at + len(span_line)] == span_line:
            return (line_no, at + 1), (line_no, at + len(span_line) + 1)
    # Fallback: search the span's words from the value's start.
    needle = span_line.strip()
    if needle:
        for i in range(line_no - 1, min(len(lines), line_no + value.count("\n") + 64)):
            hay = lines[i] if i != line_no - 1 else " " * (col - 1) + lines[i][col - 1 :]
            found = hay.find(needle)
            if found >= 0:
                return (i + 1, found + 1), (i + 1, found + len(needle) + 1)
    return pos, None


def value_at(data: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
