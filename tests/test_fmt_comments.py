"""`fmt` and `lint --fix` keep every comment, wherever it stands: a unique comment is put at each
place a comment can go in a real item (above the document start marker, on it, after the
document end marker, above and beside every line, keys that `fmt` moves included, inside lists
and mappings, beside block scalars' headers and after their text, at the end of the file), in the
canonical layout and in a scrambled one that `fmt` reorders; each must survive, and the data
must stay the same."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

from cmas_bank.lint.fmt import FormatError, fix_text, format_text
from cmas_bank.loader import LoadedFile, load_bytes

ITEM = FIXTURES / "items" / "01-medical-assisting-foundations" / "CMAS-01-0001.yaml"  # as shipped on 2026-12-01


def data(text: str) -> object:
    loaded = load_bytes(text.encode("utf-8"), LoadedFile(path=Path("x.yaml"), display="x.yaml"))
    assert not loaded.diagnostics, loaded.diagnostics
    return loaded.data


def scrambled(text: str) -> str:
    """The item with `id` moved to the end, options D to A and each review's fields reversed:
    everything `fmt` puts back in order."""
    lines = text.rstrip("\n").split("\n")
    id_line = next(line for line in lines if line.startswith("id:"))
    lines.remove(id_line)
    start = lines.index("options:") + 1
    lines[start : start + 4] = reversed(lines[start : start + 4])
    groups: list[list[str]] = []  # a line each, or a review's fields
    for line in [*lines, id_line]:
        if line.startswith("    ") and groups[-1][0].startswith("  - reviewer:"):
            groups[-1].append(line)
        else:
            groups.append([line])
    out: list[str] = []
    for group in groups:
        fields = [field[4:] for field in reversed(group)] if len(group) > 1 else []
        out.extend(["  - " + fields[0], *("    " + f for f in fields[1:])] if fields else group)
    return "\n".join(out) + "\n"


def inner_lines(text: str) -> set[int]:
    """0-based lines that lie inside a scalar after its first line (a block scalar's text), where
    a `#` would be text, not a comment."""
    inside: set[int] = set()
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):
        if isinstance(token, yaml.ScalarToken):
            first, last = token.start_mark.line, token.end_mark.line
            last = last if token.end_mark.column else last - 1
            inside.update(range(first + 1, last + 1))
    return inside


def positions(text: str) -> list[tuple[str, str]]:
    """(name, text with one unique comment `# mark-N` added) for every place a comment can go."""
    lines = text.rstrip("\n").split("\n")
    inside = inner_lines(text)
    found: list[tuple[str, str]] = [
        ("above-document-start", "# mark-0 licence header\n---\n" + text),
        ("on-document-start", "--- # mark-0 on the marker\n" + text),
        ("after-document-end", text + "...\n# mark-0 after the end\n"),
        ("on-document-end", text + "... # mark-0 on the end marker\n"),
        ("end-of-file", text + "# mark-0 end of file\n"),
        ("end-of-file-after-blank", text + "\n# mark-0 end of file after a blank line\n"),
    ]
    for i, line in enumerate(lines):
        if i in inside:
            continue
        key = line.strip().split(":")[0].lstrip("- ") or "blank"
        indent = " " * (len(line) - len(line.lstrip(" ")))
        above = [*lines[:i], f"{indent}# mark-{i + 1} above {key}", *lines[i:]]
        found.append((f"line{i + 1}-above-{key}", "\n".join(above) + "\n"))
        if line.strip() and not line.lstrip().startswith("#"):
            beside = [*lines[:i], f"{line}  # mark-{i + 1} beside {key}", *lines[i + 1 :]]
            found.append((f"line{i + 1}-beside-{key}", "\n".join(beside) + "\n"))
    return found


SOURCE = ITEM.read_text(encoding="utf-8")
LAYOUTS = {"canonical": SOURCE, "scrambled": scrambled(SOURCE)}
CASES = [(layout, name, text) for layout, source in LAYOUTS.items() for name, text in positions(source)]


def test_the_cases_cover_every_kind_of_place() -> None:
    names = {name for _, name, _ in CASES}
    assert data(LAYOUTS["scrambled"]) == data(SOURCE)
    assert format_text(LAYOUTS["scrambled"]) == SOURCE  # the scrambled layout is one fmt puts back
    for expected in ("above-id", "beside-id", "above-A", "beside-D", "above-reviewer", "beside-notes", "above-tags"):
        assert any(expected in name for name in names), expected
    assert "line8-beside-stem" in names  # the `stem: |-` header line
    assert "line17-above-answer" in names  # just after the options mapping
    assert "line18-above-rationale" in names  # after `answer`, before a block scalar
    assert "line25-above-references" in names  # just after the rationale's block text
    assert len(CASES) > 140


def _mark(text: str) -> str:
    return next(line for line in text.split("\n") if "# mark-" in line).split("# ", 1)[1]


@pytest.mark.parametrize(("layout", "name", "text"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_fmt_keeps_a_comment_at_every_place(layout: str, name: str, text: str) -> None:
    assert data(text) == data(SOURCE)  # the comment is a comment, not text
    mark = _mark(text)
    after = format_text(text, "item.yaml")
    assert after.count("# " + mark) == 1, f"{name}: comment {mark!r} lost:\n{after}"
    assert data(after) == data(SOURCE)
    assert format_text(after) == after


FIXABLE = {"Cut into": "Cut  into", "The suffix -ectomy": "The suffix \u2018-ectomy\u2019"}


@pytest.mark.parametrize(("layout", "name", "text"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_lint_fix_keeps_a_comment_at_every_place(layout: str, name: str, text: str) -> None:
    mark = _mark(text)
    for good, bad in FIXABLE.items():
        text = text.replace(good, bad, 1)
    assert data(text) != data(SOURCE)
    after = fix_text(text, ["IW408", "IW409"], "item.yaml")
    assert after.count("# " + mark) == 1, f"{name}: comment {mark!r} lost:\n{after}"
    fixed = data(after)
    expected = data(SOURCE.replace("The suffix -ectomy", "The suffix '-ectomy'", 1))
    assert fixed == expected


def test_every_place_at_once() -> None:
    """All the line positions together, in the scrambled layout, with the markers around them."""
    lines = LAYOUTS["scrambled"].rstrip("\n").split("\n")
    inside = inner_lines(LAYOUTS["scrambled"])
    out = ["# c-head licence", "--- # c-start"]
    for i, line in enumerate(lines):
        if i in inside:
            out.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")))
        out += [f"{indent}# c-above-{i}", f"{line}  # c-beside-{i}"]
    out += ["# c-last", "... # c-end-marker", "# c-after-end"]
    text = "\n".join(out) + "\n"
    wanted = [line.split("# ", 1)[1] for line in out if "# c-" in line]
    for after in (format_text(text), fix_text(text.replace("Cut into", "Cut  into"), ["IW408"])):
        lost = [c for c in wanted if len(re.findall(re.escape("# " + c) + r"(?!\d)", after)) != 1]
        assert not lost, f"lost {lost}:\n{after}"
        assert data(after) == data(SOURCE)


def test_a_comment_that_cannot_be_kept_is_refused_with_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """The safety net: were ruamel.yaml to drop a comment, the file is refused, not rewritten."""
    from cmas_bank.lint import fmt

    real = fmt._round_trip
    monkeypatch.setattr(fmt, "_round_trip", lambda text, edit: real(text.replace("# dropped\n", ""), edit))
    text = SOURCE.replace("answer: B\n", "# dropped\nanswer: B\n")
    with pytest.raises(FormatError, match=r"item.yaml:17:1: the rewrite would lose the comment '# dropped'"):
        format_text(text, "item.yaml")
    with pytest.raises(FormatError, match=r"item.yaml:17:1: .* '# dropped'"):
        fix_text(text.replace("Cut into", "Cut  into"), ["IW408"], "item.yaml")
