"""Question text in HTML (Moodle, GIFT `[html]`, Canvas) or QTI's XHTML, read back as the bank's
plain text: the inverse of the exports' text policy (`cmas_bank.export.lms`).

Each block (`p`, `div`, a heading, a list item, `pre`, `blockquote`) is a paragraph, and
paragraphs are joined by a blank line; `<br>` is a line break; every other element gives its
text (so `<b>x</b>` is `x`). Entities and character references are read as the characters they
stand for (`&lt;b&gt;` is the text `<b>`). Content the bank cannot hold as text, an image,
media, a formula, a table, a script or a form field, raises Unsupported naming it: the
question is skipped, never imported without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmas_bank.importfmt.safe import local

if TYPE_CHECKING:
    from lxml import etree

BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "li", "dd", "dt"}
LISTS = {"ul", "ol", "dl"}
UNSUPPORTED = {
    "img": "an image",
    "image": "an image",
    "svg": "an image",
    "picture": "an image",
    "object": "embedded media",
    "embed": "embedded media",
    "video": "embedded media",
    "audio": "embedded media",
    "iframe": "embedded media",
    "math": "a formula (MathML)",
    "table": "a table",
    "script": "a script",
    "input": "a form field",
    "textarea": "a form field",
    "select": "a form field",
    "matimage": "an image",
    "mataudio": "embedded media",
    "matvideo": "embedded media",
    "matapplet": "embedded media",
}
REFERENCES_HEADING = "References:"


class Unsupported(Exception):
    """Content the bank cannot hold as plain text; the message says what it is."""


def check_content(root: etree._Element) -> None:
    for element in root.iter():
        what = UNSUPPORTED.get(local(element).lower())
        if what:
            raise Unsupported(f"it holds {what} (<{local(element)}>)")


def _inline(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        name = local(child).lower()
        if name == "br":
            parts.append("\n")
        elif name:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def blocks(root: etree._Element) -> list[tuple[str, str]]:
    """(block name, text) of each paragraph under `root`, in order; text outside any block is a
    paragraph of its own (`p`), and a block that holds blocks (`<div><p>a</p><p>b</p></div>`, as
    Moodle's `text_to_html` wraps text) gives their paragraphs."""
    check_content(root)
    found: list[tuple[str, str]] = []
    _collect(root, found)
    return [(name, text) for name, text in found if text]


def _holds_blocks(element: etree._Element) -> bool:
    return any(local(child).lower() in BLOCKS or local(child).lower() in LISTS for child in element)


def _collect(root: etree._Element, found: list[tuple[str, str]]) -> None:
    loose: list[str] = [root.text or ""]

    def flush() -> None:
        text = "".join(loose).strip()
        loose.clear()
        if text:
            found.append(("p", text))

    for child in root:
        name = local(child).lower()
        if (name in BLOCKS or name in LISTS) and _holds_blocks(child):
            flush()
            _collect(child, found)
        elif name in BLOCKS:
            flush()
            found.append((name, _inline(child).strip()))
        elif name == "br":
            loose.append("\n")
        elif name:
            loose.append(_inline(child))
        loose.append(child.tail or "")
    flush()


def paragraphs_text(found: list[tuple[str, str]]) -> str:
    return "\n\n".join(text for _, text in found)


def html_root(fragment: str) -> etree._Element:
    """An HTML fragment parsed (lxml's HTML parser: no DTD, no entity declarations) under a `div`."""
    from lxml import etree
    from lxml import html as lxml_html

    if not fragment.strip():
        return etree.Element("div")
    if "<!ENTITY" in fragment.upper():
        raise Unsupported("its HTML declares entities (refused)")
    try:
        return lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError) as exc:
        raise Unsupported(f"its HTML cannot be read: {exc}") from None


def html_text(fragment: str) -> str:
    """A question text or option in HTML as plain text."""
    return paragraphs_text(blocks(html_root(fragment)))


def split_feedback(found: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """General feedback as (rationale, references): the exports write the references after the
    rationale as a paragraph `References:` and a list; anything else is all rationale."""
    for index in range(len(found) - 1, -1, -1):
        name, text = found[index]
        if name == "p" and text == REFERENCES_HEADING:
            tail = found[index + 1 :]
            if tail and all(n == "li" for n, _ in tail):
                return paragraphs_text(found[:index]), [t for _, t in tail]
            break
    return paragraphs_text(found), []


def feedback_parts(fragment: str) -> tuple[str, list[str]]:
    return split_feedback(blocks(html_root(fragment)))
