"""Read item files fast, keeping the line and column of every key and value.

Why not ruamel.yaml here: a round-trip parse costs about 1.4 ms a file (144 s for 100,000 files),
while libyaml's C composer (PyYAML's `CSafeLoader`) builds the same node graph, marks included,
in a twentieth of that. So every file is composed once with libyaml and turned into plain data
here, keeping a map from each JSON path to its position. ruamel.yaml's round trip is used only
where a file is rewritten (`fmt`, `lint --fix`, `import`), because only it keeps comments.

The data model is deliberately small and strict: one document, a mapping at the top, YAML 1.2
core scalars (so `No` and `1:30` stay strings, as in ruamel.yaml), no anchors or aliases, no
custom tags, no duplicate keys. Every breach becomes a located Diagnostic, never a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cmas_bank.diagnostics import READ_ERROR, Diagnostic, Severity
from cmas_bank.fileio import FileTooLarge, NotRegularFile, read_regular

try:  # libyaml ships in PyYAML's wheels; the pure-Python fallback is slower but equivalent.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only on a PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_BYTES = 1 << 20  # an item is a few KiB; a megabyte is a mistake or an attack
MAX_DEPTH = 32  # items nest three levels; deeper input is rejected before it can recurse
_FLOW_SCAN_THRESHOLD = 64  # this many [ or { makes the deep-nesting pre-scan worth doing

JsonPath = tuple[str | int, ...]
Position = tuple[int, int]

# Load codes: one per way a file can fail to be an item document.
# Finding codes; their names and documentation are in cmas_bank/codetable.py (`cmas-bank rules`).
ENCODING = "IV102"
SYNTAX = "IV103"
DUPLICATE_KEY = "IV104"
ALIAS = "IV105"
CUSTOM_TAG = "IV106"
MULTIPLE_DOCUMENTS = "IV107"
NOT_A_MAPPING = "IV108"
TOO_LARGE = "IV109"
NUMBER_TOO_LONG = "IV202"  # validate's INVALID_VALUE: the value's form is wrong
_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value", "map", "seq")}

# YAML 1.2 core schema resolution of plain scalars.
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


@dataclass
class LoadedFile:
    """A file read as far as it could be: data and positions, or the diagnostics that stopped it."""

    path: Path
    display: str
    text: str | None = None
    data: Any = None
    values: dict[JsonPath, Position] = field(default_factory=dict)
    keys: dict[JsonPath, Position] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.diagnostics and isinstance(self.data, dict)

    def diag(self, code: str, message: str, pos: Position = (1, 1), **kw: Any) -> Diagnostic:
        item_id = self.data.get("id") if isinstance(self.data, dict) else None
        return Diagnostic(
            path=self.display,
            line=pos[0],
            column=pos[1],
            code=code,
            message=message,
            item_id=item_id if isinstance(item_id, str) else None,
            **kw,
        )


class _LoadError(Exception):
    def __init__(self, code: str, message: str, pos: Position):
        super().__init__(message)
        self.code, self.message, self.pos = code, message, pos


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def load_file(path: Path, display: str | None = None) -> LoadedFile:
    """Read and parse one file; never raises for anything the file contains."""
    loaded = LoadedFile(path=path, display=display if display is not None else path.as_posix())
    raw = read_bytes(loaded)
    return loaded if raw is None else load_bytes(raw, loaded)


def read_bytes(loaded: LoadedFile) -> bytes | None:
    """The file's bytes, or None with a diagnostic on `loaded`: READ_ERROR when it cannot be
    read or is not a regular file (a FIFO, a device, a folder), TOO_LARGE past MAX_BYTES (found
    before parsing, and never reading more than one byte past the limit)."""
    try:
        return read_regular(loaded.path, MAX_BYTES)
    except FileTooLarge as exc:
        loaded.diagnostics.append(loaded.diag(TOO_LARGE, _too_large(exc.size)))
    except NotRegularFile as exc:
        loaded.diagnostics.append(loaded.diag(READ_ERROR, str(exc.strerror)))
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        what = "folder" if os.path.isdir(loaded.path) else "file"  # a folder discovery could not list
        loaded.diagnostics.append(loaded.diag(READ_ERROR, f"cannot read {what}: {reason}"))
    return None


def _too_large(size: int) -> str:
    return f"file is {size:,} bytes; an item file may be at most {MAX_BYTES:,}"


def load_bytes(raw: bytes, loaded: LoadedFile) -> LoadedFile:
    """Parse `raw` into `loaded` (data, positions, or diagnostics)."""
    if len(raw) > MAX_BYTES:
        loaded.diagnostics.append(loaded.diag(TOO_LARGE, _too_large(len(raw))))
        return loaded
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        loaded.diagnostics.append(loaded.diag(ENCODING, *_encoding_error(raw, exc)))
        return loaded
    loaded.text = text.removeprefix("\ufeff")
    try:
        _check_characters(loaded.text)
        _prescan(loaded.text)
        root = yaml.compose(loaded.text, Loader=_Loader)
        if root is None:
            raise _LoadError(NOT_A_MAPPING, "file is empty; an item file holds one YAML mapping", (1, 1))
        if not isinstance(root, yaml.MappingNode):
            kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
            raise _LoadError(
                NOT_A_MAPPING,
                f"the document is {kind}; an item file holds one mapping of fields",
                _pos(root.start_mark),
            )
        loaded.data = _Builder(loaded).build(root)
    except _LoadError as exc:
        loaded.data = None
        loaded.diagnostics.append(loaded.diag(exc.code, exc.message, exc.pos))
    except yaml.MarkedYAMLError as exc:
        loaded.data = None
        loaded.diagnostics.append(loaded.diag(*_syntax_error(exc, loaded.text)))
    except yaml.YAMLError as exc:  # unmarked reader errors: a control character
        loaded.data = None
        loaded.diagnostics.append(loaded.diag(*_reader_error(loaded.text, exc)))
    return loaded


# What YAML does not allow in a stream (outside its printable set): C0 controls but tab, line
# feed and carriage return; DEL; C1 controls but NEL; surrogates; U+FFFE and U+FFFF. libyaml
# stops at the first of them without a place; it is looked for only then.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# Line breaks to YAML 1.1 (libyaml reads `a<U+2028>b: c` as two lines, a key `b` included) that
# editors and ruamel.yaml (which `fmt` rewrites with) do not all read as line breaks.
_BREAK_NAMES = {
    "\x85": "next-line character U+0085",
    "\u2028": "line separator U+2028",
    "\u2029": "paragraph separator U+2029",
}


def _check_characters(text: str) -> None:
    """Reject, at their line and column, what YAML libraries read differently: a second byte
    order mark, and line breaks other than CR and LF. (Cheap: most files are ASCII.)"""
    if text.startswith("\ufeff"):
        raise _LoadError(ENCODING, "the file starts with a second byte order mark (U+FEFF); remove it", (1, 1))
    if text.isascii():
        return
    found = [i for i in map(text.find, _BREAK_NAMES) if i >= 0]
    if found:
        offset = min(found)
        message = (
            f"{_BREAK_NAMES[text[offset]]} is read as a line break by some tools and not others; use a plain line break"
        )
        raise _LoadError(SYNTAX, message, _offset_position(text, offset))


def _reader_error(text: str, exc: yaml.YAMLError) -> tuple[str, str, Position]:
    """The diagnostic for an unmarked error of libyaml's reader: a control character, placed."""
    bad = _NOT_PRINTABLE.search(text)
    if bad is None:
        return (SYNTAX, "YAML error: " + " ".join(str(exc).split()), (1, 1))
    code = ord(bad.group())
    escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    message = f"control character U+{code:04X} is not allowed; remove it, or write {escape} in double quotes"
    return (SYNTAX, message, _offset_position(text, bad.start()))


def _offset_position(text: str, offset: int) -> Position:
    """The 1-based line and column of character `offset` of `text`, lines ending at LF."""
    line_start = text.rfind("\n", 0, offset) + 1
    return (text.count("\n", 0, offset) + 1, offset - line_start + 1)


def _encoding_error(raw: bytes, exc: UnicodeDecodeError) -> tuple[str, Position]:
    before = raw[: exc.start]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    byte = raw[exc.start : exc.start + 1].hex()
    return (f"file is not valid UTF-8 (byte 0x{byte}); save it as UTF-8", (line, column))


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, str, Position]:
    mark = exc.problem_mark or exc.context_mark
    pos = _pos(mark) if mark else (1, 1)
    problem = exc.problem or str(exc)
    if "expected a single document" in str(exc):
        return (MULTIPLE_DOCUMENTS, "file holds more than one YAML document; keep one item per file", pos)
    if "maximum nesting depth" in problem:  # libyaml's own limit (PyYAML 6.0.4 and later)
        return (TOO_LARGE, f"nested more than {MAX_DEPTH} levels deep", pos)
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return (SYNTAX, "tab character in indentation; YAML indents with spaces", pos)
    context = f" ({exc.context})" if exc.context else ""
    return (SYNTAX, f"YAML syntax error: {problem}{context}", pos)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _prescan(text: str) -> None:
    """Reject anchors, aliases and deep flow nesting before composing.

    libyaml's composer resolves aliases silently and recurses on flow nesting, so files that
    might hold either are first streamed as events (flat, no recursion). Most item files contain
    none of the trigger characters and skip this."""
    if not ("&" in text or "*" in text or text.count("[") + text.count("{") > _FLOW_SCAN_THRESHOLD):
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise _LoadError(ALIAS, "aliases (*name) are not allowed; write the value out", _pos(event.start_mark))
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _LoadError(ALIAS, f"anchors (&{anchor}) are not allowed; write the value out", _pos(event.start_mark))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _LoadError(TOO_LARGE, f"nested more than {MAX_DEPTH} levels deep", _pos(event.start_mark))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Builder:
    """Turns a composed node graph into plain data, recording positions and rejecting what the
    item format does not allow."""

    def __init__(self, loaded: LoadedFile):
        self.values = loaded.values
        self.keys = loaded.keys

    def build(self, node: yaml.Node) -> Any:
        return self._node(node, (), 0)

    def _node(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _LoadError(TOO_LARGE, f"nested more than {MAX_DEPTH} levels deep", _pos(node.start_mark))
        if node.tag not in _ALLOWED_TAGS:
            raise _LoadError(
                CUSTOM_TAG,
                f"tag {node.tag.replace(_STD, '!!')} is not allowed; remove it and write a plain value",
                _pos(node.start_mark),
            )
        self.values[path] = _pos(node.start_mark)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self._node(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _LoadError(SYNTAX, "keys must be plain words, not lists or mappings", _pos(key_node.start_mark))
            key = key_node.value
            if key in result:
                first = self.keys[(*path, key)]
                raise _LoadError(
                    DUPLICATE_KEY,
                    f"duplicate key {key!r} (first at line {first[0]}); keep one",
                    _pos(key_node.start_mark),
                )
            if key_node.tag not in _ALLOWED_TAGS:
                raise _LoadError(CUSTOM_TAG, f"tag {key_node.tag} is not allowed on a key", _pos(key_node.start_mark))
            self.keys[(*path, key)] = _pos(key_node.start_mark)
            result[key] = self._node(value_node, (*path, key), depth + 1)
        return result


def _scalar(node: yaml.ScalarNode) -> Any:
    value: str = node.value
    if node.style:  # quoted or block scalars are always strings
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        try:
            return int(value)
        except ValueError:  # past Python's limit on digits converted (4,300)
            digits = len(value.lstrip("+-"))
            raise _LoadError(
                NUMBER_TOO_LONG,
                f"number too long ({digits:,} digits); put it in quotes if it is text",
                _pos(node.start_mark),
            ) from None
    if _OCT.match(value):
        return int(value, 0)
    if _HEX.match(value):
        return int(value, 0)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


def position_of(loaded: LoadedFile, path: JsonPath) -> Position:
    """Where the value at `path` starts, or its nearest existing parent (a missing field is
    reported at the mapping that lacks it)."""
    return nearest(loaded.values, path)


def nearest(values: dict[JsonPath, Position], path: JsonPath) -> Position:
    """The position of `path` in `values`, or of its nearest parent there."""
    path = tuple(path)
    while path:
        if path in values:
            return values[path]
        path = path[:-1]
    return values.get((), (1, 1))


def key_position(loaded: LoadedFile, path: JsonPath) -> Position:
    """Where the key of `path` stands (for unknown or misspelt keys), else its value."""
    return loaded.keys.get(tuple(path)) or position_of(loaded, path)


__all__ = ["LoadedFile", "Severity", "key_position", "load_bytes", "load_file", "nearest", "position_of"]
