"""One Diagnostic type for every check, and the renderers that print lists of them.

Every command (validate, lint, dedupe, coverage, check) produces `Diagnostic` records; each output
format is a function from a list of records to text, so a new format serves every command.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import Any

from cmas_bank import __version__


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A finding at a place in a file. Lines and columns are 1-based."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR
    item_id: str | None = None
    end_line: int | None = None
    end_column: int | None = None
    fix: str | None = field(default=None, compare=False)

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from a tuple of its fields: a cache of many findings unpickles far faster.
        return (_rebuild, tuple(getattr(self, name) for name in _FIELDS))

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


_FIELDS = tuple(f.name for f in fields(Diagnostic))


def _rebuild(*values: object) -> Diagnostic:
    d = Diagnostic.__new__(Diagnostic)
    d.__dict__.update(zip(_FIELDS, values))
    return d


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.column, d.code, d.message)


# A file that cannot be read is an I/O error: the run exits 2, not 1, whatever else it found.
READ_ERROR = "IV101"


def exit_code(diagnostics: Iterable[Diagnostic], fail_on: Severity = Severity.ERROR) -> int:
    """2 when a file could not be read, else 1 when anything at or above `fail_on` was found,
    else 0."""
    found = list(diagnostics)
    if any(d.code == READ_ERROR for d in found):
        return 2
    return 1 if any(d.severity.rank >= fail_on.rank for d in found) else 0


def summary_line(diagnostics: Sequence[Diagnostic], files: int) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    if not diagnostics:
        return f"All clean: {files} file{'s' if files != 1 else ''} checked."
    parts = [f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    return f"Found {', '.join(parts)} in {files} file{'s' if files != 1 else ''}."


# --- renderers --------------------------------------------------------------------------------

# What a terminal or a CI log would obey rather than show: C0 controls (a line feed forges a line,
# an escape sets colours), DEL, C1 controls, Unicode line and paragraph separators, and the bidi
# marks and overrides that reorder what is shown (U+202E makes `exe.yaml` read `lmay.exe`).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """`text` with every character a terminal would act on written as an escape (`\\n`,
    `\\x1b`, `\\u202e`), so a file name or a value can neither forge a line nor colour one."""
    return _UNPRINTABLE.sub(_escape_char, text) if _UNPRINTABLE.search(text) else text


_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def render_text(diagnostics: Sequence[Diagnostic], colour: bool = False) -> str:
    """`path:line:col: CODE message`, one per line, as compilers and ruff print them."""
    if not colour:
        # One escape pass per line (line and column are numbers, the suffix is ours): the same
        # text as escaping path, code and message apart, at a third of the cost.
        suffixes = {s: "" if s is Severity.ERROR else f" [{s.value}]" for s in Severity}
        plain = [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}{suffixes[d.severity]}" for d in diagnostics]
        search = _UNPRINTABLE.search
        text = "\n".join([_UNPRINTABLE.sub(_escape_char, line) if search(line) else line for line in plain])
        return text + ("\n" if plain else "")
    lines = []
    for d in diagnostics:
        where = f"{_BOLD}{printable(d.path)}:{d.line}:{d.column}:{_RESET}"
        code = f"{_COLOURS[d.severity]}{printable(d.code)}{_RESET}"
        suffix = "" if d.severity is Severity.ERROR else f" [{d.severity.value}]"
        lines.append(f"{where} {code} {printable(d.message)}{suffix}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    doc = {
        "tool": "cmas-bank",
        "version": __version__,
        "diagnostics": [d.to_dict() for d in diagnostics],
        "summary": {s.value: sum(1 for d in diagnostics if d.severity is s) for s in Severity},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _github_escape(text: str, property_value: bool = False) -> str:
    """Data (`property_value` False) or a property's value, escaped as GitHub's workflow
    commands require: `%`, CR and LF, and `:` and `,` too in properties. Other control
    characters are shown as escapes (`printable`): the log would obey them."""
    text = printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands; `path:line:col` is repeated in the message so the plain
    log stays readable. Every value is escaped, so no file name or value can end the command and
    start another; the message shows line breaks as `\\n` too, while `file` keeps them (as
    `%0A`) so the annotation finds its file."""
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for d in diagnostics:
        file, title = _github_escape(d.path, True), _github_escape(d.code, True)
        props = f"file={file},line={d.line},col={d.column},title={title}"
        msg = _github_escape(printable(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}"))
        out.append(f"::{kind[d.severity]} {props}::{msg}")
    return "\n".join(out) + ("\n" if out else "")


def render_sarif(diagnostics: Sequence[Diagnostic], rules: Sequence[Mapping[str, Any]] = ()) -> str:
    """SARIF 2.1.0 for GitHub code scanning. `rules`: the rule table (SARIF `reportingDescriptor`s,
    each with its `id`), which `cmas_bank.output` makes from the code registry; a code found that
    the table lacks gets an entry of its id alone."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    table = {str(r["id"]): r for r in rules}
    for code in {d.code for d in diagnostics} - set(table):
        table[code] = {"id": code}
    codes = sorted(table)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for d in diagnostics:
        region: dict[str, int] = {"startLine": d.line, "startColumn": d.column}
        if d.end_line:
            region["endLine"] = d.end_line
        if d.end_column:
            region["endColumn"] = d.end_column
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": level[d.severity],
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": Path(d.path).as_posix()},
                            "region": region,
                        }
                    }
                ],
            }
        )
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cmas-bank",
                        "version": __version__,
                        "informationUri": "https://github.com/cmas-bank/cmas-bank",
                        "rules": [table[c] for c in codes],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


OUTPUT_FORMATS: dict[str, Callable[[Sequence[Diagnostic]], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}


def display_path(path: Path | str, root: Path | str | None = None) -> str:
    """A path relative to `root` (default: the working directory) where it lies inside it, so
    GitHub annotations and editors can find the file. String work, not pathlib: this runs once
    per file of a 100,000-item bank."""
    text = os.fspath(path)
    if not os.path.isabs(text):
        return Path(text).as_posix()
    base = os.fspath(root or os.getcwd()).rstrip(os.sep) + os.sep
    if text.startswith(base):
        return text[len(base) :].replace(os.sep, "/")
    try:
        return Path(os.path.relpath(text, base)).as_posix()
    except ValueError:
        return Path(text).as_posix()
