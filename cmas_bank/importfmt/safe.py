"""Reading files from other systems without obeying them.

- `read_input`: a regular file of at most 256 MiB (a FIFO or a device is refused, not read).
- `Package`: a zip archive opened only after every entry was checked: at most MAX_ENTRIES
  entries and MAX_UNPACKED bytes unpacked in all (zip's own size fields are what Python's zipfile
  holds each entry to, so a lying header cannot unpack more), no encrypted entry, no two entries
  of one name, and no entry name that is absolute, holds `..` or a backslash or a drive letter
  (an entry that would climb out of the folder it is unpacked into). Nothing is ever unpacked to
  disk.
- `parse_xml`: lxml with entity resolution, network access and DTD loading off, and libxml2's
  size limits on (no `huge_tree`); a document whose DTD declares entities is refused outright
  (entity expansion and external entities), whatever it would expand to.
- `sniff`: what a file's bytes are (zip, XML, text, binary), so a file that is not what its
  extension says is refused with a message saying what it is.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

MAX_ENTRIES = 200_000  # a QTI package holds one file per item
MAX_UNPACKED = 512 << 20  # the shipped bank as a QTI package unpacks to under 2 MB
MAX_ENTRY = 64 << 20


class InputError(Exception):
    """A file or entry refused: a finding with its code, at (line, column) of `path`."""

    def __init__(self, code: str, message: str, path: str | None = None, line: int = 1, column: int = 1):
        super().__init__(message)
        self.code, self.message, self.path, self.line, self.column = code, message, path, line, column


# Codes (documented in cmas_bank/codetable.py).
NOT_THAT_FORMAT = "IM107"
UNSAFE_ARCHIVE = "IM108"
UNSAFE_XML = "IM109"
XML_SYNTAX = "IM110"


def sniff(data: bytes) -> str:
    """`zip`, `xml`, `binary` or `text`, from the bytes alone."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    head = data[:4096]
    if b"\x00" in head:
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return "xml" if stripped.startswith(b"<") else "text"


_DRIVE = re.compile(r"^[A-Za-z]:")


def safe_name(name: str) -> bool:
    """True for a relative entry name that stays inside the folder it is unpacked into."""
    if not name or name.startswith("/") or "\\" in name or _DRIVE.match(name) or "\x00" in name:
        return False
    return ".." not in name.split("/")


class Package:
    """A checked zip archive, read entry by entry into memory."""

    def __init__(self, data: bytes, display: str):
        self.display = display
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise InputError(NOT_THAT_FORMAT, f"not a readable zip archive: {exc}", display) from None
        if len(infos) > MAX_ENTRIES:
            raise InputError(UNSAFE_ARCHIVE, f"the archive holds {len(infos)} entries, over the limit of {MAX_ENTRIES}")
        total = sum(info.file_size for info in infos)
        if total > MAX_UNPACKED:
            message = f"the archive unpacks to {total} bytes, over the limit of {MAX_UNPACKED >> 20} MiB (a zip bomb?)"
            raise InputError(UNSAFE_ARCHIVE, message, display)
        for info in infos:
            where = self.where(info.filename)
            if not safe_name(info.filename):
                raise InputError(UNSAFE_ARCHIVE, "entry name climbs out of the folder it would unpack into", where)
            if info.flag_bits & 0x1:
                raise InputError(UNSAFE_ARCHIVE, "entry is encrypted", where)
            if info.file_size > MAX_ENTRY:
                raise InputError(
                    UNSAFE_ARCHIVE, f"entry unpacks to {info.file_size} bytes, over {MAX_ENTRY >> 20} MiB", where
                )
        self.names = [info.filename for info in infos if not info.is_dir()]
        repeated = (
            next((n for n in self.names if self.names.count(n) > 1), None)
            if len(set(self.names)) < len(self.names)
            else None
        )
        if repeated is not None:
            raise InputError(UNSAFE_ARCHIVE, "the archive holds two entries of this name", self.where(repeated))

    def where(self, name: str) -> str:
        """How findings name an entry: `package.zip!/items/x.xml`."""
        return f"{self.display}!/{name}"

    def read(self, name: str) -> bytes:
        try:
            return self.archive.read(name)
        except KeyError:
            raise InputError(
                NOT_THAT_FORMAT, "the package names this entry but does not hold it", self.where(name)
            ) from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
            raise InputError(NOT_THAT_FORMAT, f"entry cannot be unpacked: {exc}", self.where(name)) from None

    def resolve(self, base: str, href: str, referrer: str) -> str:
        """The entry an `href` in entry `base` points at; refused when it leaves the package."""
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(href)
        path = unquote(parts.path)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), path)) if path else ""
        if parts.scheme or parts.netloc or not path or not safe_name(joined) or joined.startswith("../"):
            raise InputError(UNSAFE_ARCHIVE, f"href {href!r} points outside the package", self.where(referrer))
        return joined


def parse_xml(data: bytes, where: str) -> etree._Element:
    """The document's root element, parsed without resolving entities, loading DTDs or using the
    network; a DTD that declares entities is refused (IM109), a syntax error located (IM110)."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (1, 1)
        if "entit" in str(exc).lower() and b"<!ENTITY" in data:
            raise InputError(UNSAFE_XML, "XML declares entities; refused (entity expansion)", where, line) from None
        raise InputError(XML_SYNTAX, f"not well-formed XML: {exc.msg}", where, line, max(column, 1)) from None
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or b"<!ENTITY" in data):  # type: ignore[union-attr]
        raise InputError(
            UNSAFE_XML, "XML declares entities in its DTD; refused (entity expansion, external entities)", where
        )
    return root


def local(element: etree._Element) -> str:
    """An element's name without its namespace ("" for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def line_of(element: etree._Element) -> int:
    """An element's line in its document (1 when lxml does not know it)."""
    value = element.sourceline
    return value if isinstance(value, int) and value > 0 else 1
