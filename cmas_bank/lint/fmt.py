"""`cmas-bank fmt` and `cmas-bank lint --fix`: rewrite item files without changing what they say.

Both go through ruamel.yaml's round trip, the one YAML library that keeps comments, quotes and
block styles, and both check their own work: the rewritten text is parsed again with the
project's loader and must give exactly the data the file gave before (after the intended value
fixes); otherwise the file is left alone and the problem is reported. Writes are atomic and an
unchanged file is not touched.

The canonical layout (`fmt`):
- keys in the order of the item model (`Item.model_fields`), options A to D, review fields in
  model order; unknown keys keep their place after the known ones;
- comments kept, and moved with the key they stand above;
- any text holding a line break, and a `stem` or `rationale` too long for its key's line
  (over 100 characters), as a literal block (`|-`);
- two-space indentation, list items indented under their key, line feeds, one trailing newline.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmas_bank.lint.hygiene import DOUBLE_SPACE, STRAIGHTEN
from cmas_bank.loader import LoadedFile, load_bytes
from cmas_bank.model import FIELD_NAMES, OPTION_KEYS, Review

BLOCK_FIELDS = ("stem", "rationale")
LINE_LENGTH = 100  # a stem or rationale longer than fits on its key's line becomes a `|-` block
REVIEW_FIELDS: tuple[str, ...] = tuple(Review.model_fields)


class FormatError(Exception):
    """The file cannot be rewritten safely (it does not parse, or a rewrite would change it)."""


@dataclass
class Rewrite:
    path: Path
    display: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.display}",
                tofile=f"b/{self.display}",
            )
        )


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap long lines: the writer chose the line breaks
    yaml.allow_unicode = True
    return yaml


def _parse(text: str, display: str) -> LoadedFile:
    loaded = load_bytes(text.encode("utf-8"), LoadedFile(path=Path(display), display=display))
    if loaded.diagnostics:
        d = loaded.diagnostics[0]
        raise FormatError(f"{display}:{d.line}:{d.column}: {d.code} {d.message}")
    return loaded


def _round_trip(text: str, edit: Callable[[Any], None]) -> str:
    yaml = _yaml()
    doc = yaml.load(text)
    edit(doc)
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _verify(display: str, after: str, expected: Any, before: str) -> None:
    got = _parse(after, display).data
    if got != expected:
        raise FormatError(f"{display}: rewriting would change the item's data; left unchanged (please report this)")
    _verify_comments(display, before, after)


# --- comments -----------------------------------------------------------------------------------

_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\n]*", re.MULTILINE)
_MARKER_REST = re.compile(r"[ \t]*(#[^\n]*)?(?:\n|\Z)")


def _scalar_spans(text: str) -> tuple[list[int], list[int], list[Any]]:
    """Where each scalar token starts and ends (character offsets), and the marker tokens
    (document start and end, directives), from libyaml's scanner."""
    import yaml

    starts: list[int] = []
    ends: list[int] = []
    markers: list[Any] = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for token in yaml.scan(text, Loader=loader):
        if isinstance(token, yaml.ScalarToken):
            starts.append(token.start_mark.index)
            ends.append(token.end_mark.index)
        elif isinstance(token, (yaml.DocumentStartToken, yaml.DocumentEndToken, yaml.DirectiveToken)):
            markers.append(token)
    return starts, ends, markers


def comments_of(text: str) -> list[tuple[int, int, str]]:
    """Every comment in a YAML text as (line, column, text without trailing blanks), 1-based:
    a `#` at a line's start or after a blank, outside every scalar (so never a `#` inside
    quotes or a block scalar)."""
    import bisect

    text = text.removeprefix("\ufeff")
    starts, ends, _ = _scalar_spans(text)
    found = []
    for match in _COMMENT.finditer(text):
        at = match.start()
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and at < ends[i]:
            continue  # inside a scalar
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        found.append((line, column, match.group().rstrip(" \t\r")))
    return found


def _verify_comments(display: str, before: str, after: str) -> None:
    """Refuse a rewrite that would lose a comment, naming the first one lost."""
    from collections import Counter

    kept = Counter(c for _, _, c in comments_of(after))
    for line, column, comment in comments_of(before):
        if kept[comment]:
            kept[comment] -= 1
            continue
        shown = comment if len(comment) <= 60 else comment[:57] + "..."
        raise FormatError(
            f"{display}:{line}:{column}: the rewrite would lose the comment {shown!r}; "
            "left unchanged (move the comment next to a key, or please report this)"
        )


def split_markers(text: str) -> tuple[str, str, str]:
    """(head, body, tail): the text up to and with its document start line `---`, the document,
    and the text from its document end line `...` on. ruamel.yaml drops the comments above `---`
    and after `...`, so only the body goes through its round trip. No head (or no tail) when
    there is no such marker, or when the marker's line holds more than a comment."""
    if "---" not in text and "..." not in text:
        return "", text, ""
    _, _, markers = _scalar_spans(text)
    head_end, tail_start = 0, len(text)
    for marker in markers:
        rest = _MARKER_REST.match(text, marker.end_mark.index)
        if type(marker).__name__ == "DirectiveToken" or rest is None or marker.start_mark.column != 0:
            continue
        if type(marker).__name__ == "DocumentStartToken" and head_end == 0:
            head_end = rest.end()
        elif type(marker).__name__ == "DocumentEndToken" and tail_start == len(text):
            tail_start = marker.start_mark.index
    if tail_start < head_end:
        return "", text, ""
    return text[:head_end], text[head_end:tail_start], text[tail_start:]


def _drop_marker_lines(part: str) -> str:
    """A head or tail without its `---` or `...` line (a comment on that line kept as a line);
    as it is when it holds a directive, which needs the `---`."""
    if part.lstrip().startswith("%") or "\n%" in part:
        return part
    lines = []
    for line in part.splitlines(keepends=True):
        if line.startswith(("---", "...")):
            rest = line[3:].strip()
            if rest:
                lines.append(rest + "\n")
        else:
            lines.append(line)
    return "".join(lines)


# --- fmt ----------------------------------------------------------------------------------------


def format_text(text: str, display: str = "<string>") -> str:
    """The canonical form of one item file's text. Raises FormatError when it cannot be made
    safely (the file does not parse, or the rewrite would change its data)."""
    loaded = _parse(text, display)
    _refuse_huge(loaded, display)
    original = loaded.data
    head, body, tail = split_markers(strip_blank_ends(text.removeprefix("\ufeff")))
    head, tail = _drop_marker_lines(head), _drop_marker_lines(tail)
    try:
        after = _one_trailing_newline(head + _round_trip(body, _canonical) + tail)
    except Exception as exc:  # noqa: BLE001 - ruamel raises many types (and date errors); report, never crash
        raise FormatError(f"{display}: cannot format: {' '.join(str(exc).split())}") from None
    try:
        _verify(display, after, original, text)
    except FormatError:
        # A value that a literal block cannot carry exactly: keep the styles as written.
        plain = _round_trip(body, lambda doc: _canonical(doc, blocks=False))
        after = _one_trailing_newline(head + plain + tail)
        _verify(display, after, original, text)
    return after


MAX_VALUES = 20_000
"""Keys and values a file may hold for `fmt` and `lint --fix` to rewrite it. An item holds about a
hundred; ruamel.yaml's round trip costs some 0.1 ms a value, so 200,000 tags took half a minute."""


def _refuse_huge(loaded: LoadedFile, display: str) -> None:
    count = len(loaded.values) + len(loaded.keys)
    if count > MAX_VALUES:
        raise FormatError(
            f"{display}:1:1: holds {count:,} keys and values, more than the {MAX_VALUES:,} fmt rewrites "
            "(an item holds about a hundred); left unchanged"
        )


def strip_blank_ends(text: str) -> str:
    """`text` without the spaces and tabs that end its lines outside every scalar (where they
    carry nothing). libyaml, which validates, reads `domain: 1<tab>`; ruamel.yaml's scanner, which
    rewrites, refuses it ("found character '\\t' that cannot start any token"), so they go before
    the round trip, and so do those after a block scalar's header (`stem: |-<tab>`, refused too).
    Blanks inside a scalar (a block scalar's text, a quoted line) stay. Linear in
    the text (no regular expression that backtracks over a run of blanks)."""
    import bisect

    lines = text.split("\n")
    if not any(line.rstrip("\r").endswith((" ", "\t")) for line in lines):
        return text
    starts, ends, _ = _scalar_spans(text)
    out, offset = [], 0
    for line in lines:
        body = line.removesuffix("\r")
        stripped = body.rstrip(" \t")
        blank_start, line_end = offset + len(stripped), offset + len(body)
        i = bisect.bisect_left(starts, line_end) - 1  # the last scalar that starts before the line's end
        header = i >= 0 and starts[i] >= offset and text[starts[i]] in "|>"  # a block scalar's first line
        inside = i >= 0 and ends[i] > blank_start and not header
        out.append(line if inside or stripped == body else stripped + line[len(body) :])
        offset += len(line) + 1
    return "\n".join(out)


def _one_trailing_newline(text: str) -> str:
    """Line feeds only (comments keep a Windows file's carriage returns otherwise), and one
    newline at the end."""
    text = text.replace("\r\n", "\n")
    return text.rstrip("\n") + "\n" if text.strip() else text


def _canonical(doc: Any, blocks: bool = True) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(doc, CommentedMap):
        return
    _reorder(doc, FIELD_NAMES)
    options = doc.get("options")
    if isinstance(options, CommentedMap):
        _reorder(options, OPTION_KEYS, nested=True)
    reviews = doc.get("reviews")
    if isinstance(reviews, CommentedSeq):
        for review in reviews:
            if isinstance(review, CommentedMap):
                _reorder(review, REVIEW_FIELDS, nested=True)
    if blocks:
        _literal_blocks(doc)


def _literal_blocks(node: Any, key: object = None) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(node, CommentedMap):
        for k in list(node):
            value = node[k]
            if isinstance(value, str) and not isinstance(value, LiteralScalarString):
                long = k in BLOCK_FIELDS and key is None and len(str(k)) + 2 + len(value) > LINE_LENGTH
                if ("\n" in value or long) and literal_safe(value) and not _has_eol_comment(node, k):
                    node[k] = LiteralScalarString(value)
            else:
                _literal_blocks(value, k)
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(node):
            if isinstance(value, str) and "\n" in value and literal_safe(value):
                node[i] = LiteralScalarString(value)
            else:
                _literal_blocks(value, i)


def _has_eol_comment(node: Any, key: Any) -> bool:
    """A comment on the value's own line would have nowhere to go in a literal block."""
    entry = node.ca.items.get(key)
    token = entry[2] if entry and len(entry) > 2 else None
    return token is not None and not isinstance(token, list) and "#" in str(token.value).split("\n", 1)[0]


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\ufeff]")


def literal_safe(value: str) -> bool:
    """A literal block holds the text exactly unless it has control characters, trailing
    spaces on a line, or leading/trailing blank lines (the chomping would change them)."""
    if not value.strip() or _UNPRINTABLE.search(value):
        return False
    if value != value.strip("\n") or value[:1] in " \t":
        return False
    return not any(line != line.rstrip(" \t") for line in value.split("\n"))


def _reorder(node: Any, order: Iterable[str], nested: bool = False) -> None:
    """Put `node`'s keys in `order` (unknown keys after, as they were), moving full-line
    comments with the key they stand above and keeping end-of-map comments at the end.

    The comments above a nested mapping's first key move with that key; those above the
    document's first key stay at the top (a file header, such as the schema comment), and the
    comments of a key moved to the top go after them."""
    keys = list(node)
    rank = {k: i for i, k in enumerate(order)}
    place = {k: i for i, k in enumerate(keys)}
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(rank)), place[k]))
    if wanted == keys:
        return
    eol: dict[Any, str] = {}
    following: dict[Any, str] = {}
    for k in keys:
        text = _tail_text(node, k)
        cut = text.find("\n")
        eol[k], following[k] = (text[: cut + 1], text[cut + 1 :]) if cut >= 0 else (text, "")
    lead = {keys[i + 1]: following[keys[i]] for i in range(len(keys) - 1)}
    head_eol, lead[keys[0]] = _head_text(node) if nested else ("", "")
    end = following[keys[-1]]
    for k in wanted:
        node.move_to_end(k)
    for i, k in enumerate(wanted):
        after = lead.get(wanted[i + 1], "") if i + 1 < len(wanted) else end
        text = (eol[k] or "\n") + after if after else eol[k]
        _set_tail_text(node, k, text if text.strip() else "")
    if nested:
        _set_head_text(node, head_eol, lead[wanted[0]])
    elif lead.get(wanted[0], "").strip():
        _set_head_text(node, *_head_text(node, appending=lead[wanted[0]]))


def _token_text(token: Any) -> str:
    """A comment token's lines as they stand in the file (the first one's indentation is kept
    as the token's column)."""
    value = str(token.value)
    return " " * token.column + value if value.startswith("#") else value


def _head_text(node: Any, appending: str = "") -> tuple[str, str]:
    """The comments above a mapping's first key, as (the rest of the line above, which holds the
    parent key, and the comment lines), with `appending` added after the lines."""
    slots = node.ca.comment or [None, None]
    rest, lines = "", ""
    if slots[0] is not None:
        value = str(slots[0].value)
        cut = value.find("\n")
        rest, lines = (value[: cut + 1], value[cut + 1 :]) if cut >= 0 else (value, "")
    if len(slots) > 1 and slots[1]:
        lines += "".join(_token_text(t) for t in slots[1] if t is not None)
    return rest, lines + appending


def _set_head_text(node: Any, rest: str, lines: str) -> None:
    """Make `rest` + `lines` the comments above the mapping's first key (see `_head_text`)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    lines = lines if lines.strip() else ""
    slots = node.ca.comment
    if slots is None:
        if not lines:
            return
        slots = node.ca.comment = [None, None]
    if rest and slots[0] is not None:
        slots[0].value = rest + lines
        tokens: list[Any] = []
    else:
        stripped = lines.lstrip(" ")
        tokens = [CommentToken(stripped, CommentMark(len(lines) - len(stripped)), None)] if lines else []
    if isinstance(slots[1], list):
        slots[1][:] = tokens  # the same list is the parent entry's slot 3
    else:
        slots[1] = tokens


def _tail_holder(node: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment that follows `key`'s value: on the deepest last entry
    when the value is a non-empty collection (slot 2 of a mapping entry, 0 of a list entry)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    value = node[key]
    if isinstance(value, CommentedMap) and len(value):
        return _tail_holder(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and len(value):
        last = len(value) - 1
        if isinstance(value[last], (CommentedMap, CommentedSeq)) and len(value[last]):
            return _tail_holder(value, last)
        return value, last, 0
    if isinstance(node, CommentedSeq):
        return node, key, 0
    return node, key, 2


def _tail_text(node: Any, key: Any) -> str:
    owner, k, slot = _tail_holder(node, key)
    entry = owner.ca.items.get(k)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None:
        return ""
    if isinstance(token, list):  # some slots hold a list of tokens
        return "".join(t.value for t in token if t is not None)
    return str(token.value)


def _set_tail_text(node: Any, key: Any, text: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    owner, k, slot = _tail_holder(node, key)
    entry = owner.ca.items.get(k)
    if not text:
        if entry and len(entry) > slot:
            entry[slot] = None
        return
    if entry is None:
        entry = owner.ca.items[k] = [None, None, None, None]
    old = entry[slot]
    column = old.column if old is not None and not isinstance(old, list) else 0
    entry[slot] = CommentToken(text, CommentMark(column), None)


# --- safe fixes (lint --fix) ---------------------------------------------------------------------

_TRAILING = re.compile(r"[ \t]+(?=\n|$)")

FIXES: dict[str, Callable[[str], str]] = {
    "IW407": lambda s: _TRAILING.sub("", s),
    "IW408": lambda s: DOUBLE_SPACE.sub(" ", s),
    "IW409": lambda s: s.translate(STRAIGHTEN),
}
"""The only fixes `lint --fix` applies: whitespace and quote characters, which cannot change
what an item means."""


def _fix_value(value: Any, fixes: list[Callable[[str], str]]) -> Any:
    if isinstance(value, str):
        for fix in fixes:
            value = fix(value)
        return value
    if isinstance(value, dict):
        return {k: _fix_value(v, fixes) for k, v in value.items()}
    if isinstance(value, list):
        return [_fix_value(v, fixes) for v in value]
    return value


_TEXT_ROOTS = ("stem", "options", "rationale", "references", "reviews")


def _fix_doc(doc: Any, fixes: list[Callable[[str], str]]) -> None:
    for key in _TEXT_ROOTS:
        if key in doc:
            _fix_node(doc, key, fixes)


def _fix_node(parent: Any, key: Any, fixes: list[Callable[[str], str]]) -> None:
    value = parent[key]
    if isinstance(value, str):
        new = _fix_value(str(value), fixes)
        if new != str(value):
            parent[key] = type(value)(new) if type(value) is not str else new
    elif isinstance(value, dict):
        for k in list(value):
            _fix_node(value, k, fixes)
    elif isinstance(value, list):
        for i in range(len(value)):
            _fix_node(value, i, fixes)


def fix_text(text: str, codes: Iterable[str], display: str = "<string>") -> str:
    """Apply the safe fixes for `codes` (IW407 trailing whitespace, IW408 doubled spaces, IW409
    smart quotes) to one item file's text, keeping everything else as it is."""
    chosen = [c for c in sorted(set(codes)) if c in FIXES]
    if not chosen:
        return text
    loaded = _parse(text, display)
    _refuse_huge(loaded, display)
    fixes = [FIXES[c] for c in chosen]
    expected = dict(loaded.data)
    for key in _TEXT_ROOTS:
        if key in expected:
            expected[key] = _fix_value(expected[key], fixes)
    value_fixes = [FIXES[c] for c in chosen]
    after = text
    if expected != loaded.data:
        head, body, tail = split_markers(strip_blank_ends(text))
        try:
            after = head + _round_trip(body, lambda doc: _fix_doc(doc, value_fixes)) + tail
        except Exception as exc:  # noqa: BLE001 - as in format_text: a message, never a traceback
            raise FormatError(f"{display}: cannot fix: {' '.join(str(exc).split())}") from None
    if "IW407" in chosen:
        after = "\n".join(
            line.rstrip(" \t") if not line.endswith("\r") else line[:-1].rstrip(" \t") + "\r"
            for line in after.split("\n")
        )
    _verify(display, after, expected, text)
    return after


# --- files --------------------------------------------------------------------------------------


def format_file(path: Path, display: str) -> Rewrite:
    before = _read(path, display)
    return Rewrite(path, display, before, format_text(before, display))


def fix_file(path: Path, display: str, codes: Iterable[str]) -> Rewrite:
    before = _read(path, display)
    return Rewrite(path, display, before, fix_text(before, codes, display))


def _read(path: Path, display: str) -> str:
    from cmas_bank.fileio import FileTooLarge, NotRegularFile, read_regular
    from cmas_bank.loader import MAX_BYTES

    try:
        raw = read_regular(path, MAX_BYTES)  # as the loader reads: no FIFO, device or huge file
    except (FileTooLarge, NotRegularFile) as exc:
        raise FormatError(f"{display}: {exc.strerror}") from None
    except OSError as exc:
        raise FormatError(f"{display}: cannot read file: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError(f"{display}: file is not valid UTF-8") from None


def write(rewrite: Rewrite) -> bool:
    """Write a changed file atomically (through a symbolic link to its target; in place when it
    has other hard links); False when it already holds these bytes. FormatError when it cannot."""
    from cmas_bank.fileio import atomic_write_text

    if not rewrite.changed:
        return False
    try:
        return atomic_write_text(rewrite.path, rewrite.after)
    except OSError as exc:
        raise FormatError(f"{rewrite.display}: cannot write file: {exc.strerror or exc}") from None
