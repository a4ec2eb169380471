"""What every export format shares: choosing items, identifiers, the text policy and
deterministic zip and XML bytes.

Determinism: the same items give the same bytes, so a bundle can be diffed, cached and signed.
Items are ordered by id; zip entries carry a fixed date (1980-01-01 00:00, the earliest a zip can
hold), fixed permissions (0644, Unix) and a fixed compression level; no content holds a clock time.

Text policy: item text is plain text. Nothing in an item is read as markup: `<b>` in a stem is
exported as the four characters `<`, `b`, `>` (escaped by the XML library, never by string
concatenation). The one structure read from text is the paragraph: a blank line separates
paragraphs. Characters that XML 1.0 cannot carry at all (most C0 controls) make the export of
that item fail with a message naming the item and field, rather than being silently dropped.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from cmas_bank.config import suggest
from cmas_bank.errors import UsageError
from cmas_bank.model import ID_PATTERN, Item, Status

if TYPE_CHECKING:
    from lxml import etree

DEFAULT_STATUSES: tuple[Status, ...] = ("approved",)
LANGUAGE = "en"
CATALOG = "cmas-bank"

# Identifiers the package adds next to the item ids. Item ids cannot contain ".", so these never
# collide with an item id in the manifest (xs:ID) or the test (QTI identifiers).
MANIFEST_IDENTIFIER = "cmas-bank.manifest"
TEST_IDENTIFIER = "cmas-bank.test"
TEST_PART_IDENTIFIER = "cmas-bank.part"

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_FILE_MODE = 0o100644  # regular file, rw-r--r--
ZIP_UNIX = 3  # "made by" Unix, whatever system runs the export
ZIP_LEVEL = 9


class ExportError(Exception):
    """The selected items cannot be written in the chosen format (exit 1, nothing written)."""


# --- choosing items ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Which items to export: all filters must hold. Empty `domains` means every work area;
    `ids` None means every id."""

    statuses: tuple[Status, ...] = DEFAULT_STATUSES
    domains: tuple[int, ...] = ()
    ids: tuple[str, ...] | None = None

    def accepts(self, item: Item) -> bool:
        return (
            item.status in self.statuses
            and (not self.domains or item.domain in self.domains)
            and (self.ids is None or item.id in self.ids)
        )

    def describe(self) -> dict[str, Any]:
        return {
            "status": list(self.statuses),
            "domain": sorted(self.domains),
            "ids": None if self.ids is None else sorted(self.ids),
        }


@dataclass(frozen=True)
class FormOrder:
    """An assembled form to export: its id, its item ids in delivery order, and the unscored
    (pretest) ones. Every format writes the items in this order and marks the pretest items where
    it can say so (points or weight 0, a `pretest` tag or category, a `scored` column)."""

    form: str
    order: tuple[str, ...]
    unscored: frozenset[str] = frozenset()

    def arrange(self, items: Iterable[Item]) -> list[Item]:
        """`items` in delivery order (every item must be on the form)."""
        index = {item_id: k for k, item_id in enumerate(self.order)}
        return sorted(items, key=lambda item: index[item.id])

    def scored(self, item_id: str) -> bool:
        return item_id not in self.unscored


def arrange(items: Iterable[Item], form: FormOrder | None, key: Any = None) -> list[Item]:
    """The form's delivery order when exporting a form, else sorted by `key` (default: id)."""
    if form is not None:
        return form.arrange(items)
    return sorted(items, key=key or (lambda i: i.id))


PRETEST_TAG = "pretest"

MAX_ID_LIST_BYTES = 64 << 20  # a million ids and then some


def read_id_list(path: Path) -> tuple[str, ...]:
    """Ids from a file, one per line; blank lines and `#` comments are ignored."""
    from cmas_bank.fileio import read_regular

    try:
        text = read_regular(path, MAX_ID_LIST_BYTES).decode("utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read id list: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: id list is not UTF-8") from None
    ids: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not re.match(ID_PATTERN, line):
            raise UsageError(f"{path}:{number}: {line!r} is not an item id")
        ids.append(line)
    return tuple(dict.fromkeys(ids))


def select_items(items: Iterable[Item], selection: Selection) -> list[Item]:
    """The items the selection accepts, ordered by id.

    An id listed in `selection.ids` that is not among `items` is a usage error (a typo must not
    shrink an export silently)."""
    pool = {item.id: item for item in items}
    if selection.ids is not None:
        missing = [i for i in selection.ids if i not in pool]
        if missing:
            hint = suggest(missing[0], list(pool)) if len(missing) == 1 else ""
            listed = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
            raise UsageError(f"ids not found in the bank: {listed}{hint}")
    return [pool[i] for i in sorted(pool) if selection.accepts(pool[i])]


# --- identifiers ------------------------------------------------------------------------------

_NCNAME_START = re.compile(r"[A-Za-z_]")


def qti_identifier(item_id: str) -> str:
    """The QTI identifier of an item: its id. The item model already limits ids to a letter or
    `_` followed by letters, digits, `_` and `-`, which QTI 2.1 and 3.0 (xs:NCName) and IMS CP
    (xs:ID) accept; this guard keeps that promise explicit where the XML is built."""
    if not re.match(ID_PATTERN, item_id) or not _NCNAME_START.match(item_id):
        raise ExportError(f"{item_id!r} is not a valid QTI identifier")
    return item_id


def section_identifier(area: int) -> str:
    return f"cmas-bank.area-{area}"


def item_href(item_id: str) -> str:
    return f"items/{item_id}.xml"


# --- text -------------------------------------------------------------------------------------

_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def text_fields(item: Item) -> Iterable[tuple[str, str]]:
    """(field path, text) for every string an export may carry."""
    yield "id", item.id
    yield "subdomain", item.subdomain
    yield "stem", item.stem
    for key, text in item.options.as_dict().items():
        yield f"options.{key}", text
    yield "rationale", item.rationale
    for i, ref in enumerate(item.references):
        yield f"references[{i}]", ref
    for i, author in enumerate(item.authors):
        yield f"authors[{i}]", author
    for i, review in enumerate(item.reviews):
        yield f"reviews[{i}].reviewer", review.reviewer
        yield f"reviews[{i}].notes", review.notes
    for i, tag in enumerate(item.tags):
        yield f"tags[{i}]", tag
    for code, reason in item.suppress.items():
        yield f"suppress.{code}", reason


def check_xml_text(items: Iterable[Item]) -> None:
    """Raise ExportError naming the first item field that holds a character XML 1.0 forbids."""
    for item in items:
        for where, text in text_fields(item):
            bad = _XML_FORBIDDEN.search(text)
            if bad:
                raise ExportError(
                    f"item {item.id}: {where} contains the control character U+{ord(bad.group()):04X}, "
                    "which XML cannot carry; remove it from the item"
                )


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text field: split at blank lines, outer blank lines dropped. Single
    line breaks stay inside a paragraph (XML renders them as spaces)."""
    parts = [p.strip("\n") for p in _PARAGRAPH_BREAK.split(text.strip("\n"))]
    return [p for p in parts if p.strip()] or [text]


# --- bytes ------------------------------------------------------------------------------------


def xml_bytes(root: etree._Element) -> bytes:
    """A UTF-8 XML document with a declaration; lxml escapes every text and attribute value."""
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@contextmanager
def xml_stream(out: IO[bytes]) -> Iterator[etree.xmlfile]:
    """An XML document written as it is made (lxml's incremental writer): the declaration, then
    what the caller writes, then a final newline; the same bytes `xml_bytes` gives for the same
    tree when the caller writes each child with `write_child`. lxml escapes every text and
    attribute value; nothing is assembled from strings."""
    from lxml import etree

    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        yield xf
    out.write(b"\n")


def write_child(xf: etree.xmlfile, element: etree._Element, level: int) -> None:
    """Write `element` (a subtree built for one item, then dropped) at nesting `level` inside the
    open elements of `xf`, indented as `xml_bytes` indents. A subtree in a namespace declares it
    on itself (lxml writes a subtree with the declarations it needs)."""
    from lxml import etree

    etree.indent(element, level=level)
    xf.write("\n" + INDENT * level, element)


def emit_child(xf: etree.xmlfile, element: etree._Element, level: int) -> None:
    """`write_child` for a subtree whose elements should use the prefixes already declared above
    them (no declaration of their own): each element is opened inside `xf` in turn. Slower than
    `write_child`, so for the few elements of a document's head and foot, not for every item."""
    xf.write("\n" + INDENT * level)
    with xf.element(element.tag, {str(k): str(v) for k, v in element.attrib.items()}):
        if element.text:
            xf.write(element.text)
        for child in element:
            emit_child(xf, child, level + 1)
        if len(element):
            xf.write("\n" + INDENT * level)


def close_level(xf: etree.xmlfile, level: int) -> None:
    """The line break and indent before the closing tag of an element whose children were written
    at `level + 1`."""
    xf.write("\n" + INDENT * level)


INDENT = "  "


class PackageWriter:
    """A zip archive written entry by entry into `out` (never held whole in memory), with the
    fixed date, mode and compression of `zip_bytes`: the same entries give the same bytes."""

    def __init__(self, out: IO[bytes]) -> None:
        self.archive = zipfile.ZipFile(out, "w")
        self.names: set[str] = set()

    def _info(self, name: str) -> zipfile.ZipInfo:
        if name in self.names:
            raise ExportError("two package entries share a name")
        self.names.add(name)
        info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = ZIP_UNIX
        info.external_attr = ZIP_FILE_MODE << 16
        return info

    def add(self, name: str, data: bytes) -> None:
        self.archive.writestr(self._info(name), data, compresslevel=ZIP_LEVEL)

    @contextmanager
    def entry(self, name: str, size: int = 0) -> Iterator[IO[bytes]]:
        """An entry written as a stream (an XML document made element by element). `size`, when
        known, is the entry's size in bytes: it decides whether the entry needs Zip64, as `add`
        decides from its data (an entry of 2 GiB or more needs it)."""
        info = self._info(name)
        info.file_size = size
        info._compresslevel = ZIP_LEVEL  # type: ignore[attr-defined]  # what writestr's compresslevel sets
        with self.archive.open(info, "w") as fh:
            yield fh

    def close(self) -> None:
        self.archive.close()


def zip_bytes(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip archive of `entries` in the given order, the same bytes for the same entries."""
    buffer = io.BytesIO()
    package = PackageWriter(buffer)
    for name, data in entries:
        package.add(name, data)
    package.close()
    return buffer.getvalue()


def to_bytes(write: Callable[[IO[bytes]], None]) -> bytes:
    """What `write(out)` writes, as bytes (for tests and small exports)."""
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()
