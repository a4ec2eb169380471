"""What the LMS formats (Moodle XML, GIFT, Aiken, Canvas QTI 1.2) share: item text as an HTML
fragment, the rationale and references as general feedback, and the category of a work area.

Item text is plain text. Where a format carries HTML, the fragment is built with lxml, so every
`<`, `>` and `&` in the item is escaped as text and never read as markup. The text policy is the
QTI exports' (`common.py`): a blank line separates paragraphs (`<p>`); a single line break stays
a line break inside its paragraph, which HTML shows as a space (the bank wraps long lines, so a
single break is layout, not meaning).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cmas_bank.export.common import ExportError, check_xml_text, paragraphs
from cmas_bank.model import Item
from cmas_bank.outline import Outline

_LINE_BREAK = re.compile(r"\r\n?|\n")


def plain_lines(text: str) -> list[str]:
    """The lines of a text, whatever its line endings."""
    return _LINE_BREAK.split(text)


def _paragraph(parent: object, tag: str, text: str) -> None:
    from lxml import etree

    assert isinstance(parent, etree._Element)
    etree.SubElement(parent, tag).text = _normalise(text)


def _fragment(build: list[tuple[str, str]], references: Sequence[str] = ()) -> str:
    from lxml import etree

    root = etree.Element("div")
    for tag, text in build:
        _paragraph(root, tag, text)
    if references:
        _paragraph(root, "p", "References:")
        listing = etree.SubElement(root, "ul")
        for ref in references:
            _paragraph(listing, "li", ref)
    return "".join(etree.tostring(child, method="html", encoding="unicode") for child in root)


def html_text(text: str) -> str:
    """A plain-text field as an HTML fragment: one `<p>` per paragraph."""
    return _fragment([("p", p) for p in paragraphs(_normalise(text))])


def html_inline(text: str) -> str:
    """A short plain-text field (an option) as inline HTML: the text, escaped."""
    from lxml import etree

    holder = etree.Element("span")
    _paragraph(holder, "span", _normalise(text))
    (span,) = holder
    inner = etree.tostring(span, method="html", encoding="unicode")
    return inner[len("<span>") : -len("</span>")]


def feedback_html(item: Item) -> str:
    """The rationale, then the references as a list: what a learner sees after answering."""
    return _fragment([("p", p) for p in paragraphs(_normalise(item.rationale))], item.references)


def _normalise(text: str) -> str:
    return "\n".join(plain_lines(text))


def area_names(item: Item, outline: Outline) -> tuple[str, str]:
    """The work area and sub-area of an item as people read them: `1. Name`, `1A Name`."""
    area = outline.areas.get(item.domain)
    if area is None:
        raise ExportError(f"item {item.id}: work area {item.domain} is not in outline {outline.id}")
    sub = next((s for s in area.subareas if s.code == item.subdomain), None)
    return f"{area.number}. {area.name}", f"{item.subdomain} {sub.name}" if sub else item.subdomain


def check_text(items: Sequence[Item]) -> None:
    """Refuse the control characters that no LMS format carries (the QTI rule, shared)."""
    check_xml_text(items)


def ordered(items: Sequence[Item]) -> list[Item]:
    """Work area, sub-area, then id: the order categories are written in."""
    return sorted(items, key=lambda i: (i.domain, i.subdomain, i.id))
