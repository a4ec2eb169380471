"""Responses from QTI results reporting XML: QTI 2.1 and QTI 3.0 `assessmentResult` documents.

A document holds one `assessmentResult` per candidate session (several, under any root, are read
in turn). The candidate is `context/@sourcedId` (else the first `sessionIdentifier/@identifier`);
each `itemResult/@identifier` is an item id, as our `qti21`/`qti30` exports write it; its response
is the `responseVariable` named `RESPONSE`, whose `candidateResponse/value` is the chosen
`simpleChoice` identifier, `A` to `D` as those exports write them. No value is an omission.
Element and attribute names are compared without their namespace, case or hyphens and a `qti-`
prefix, so the 2.1 (`imsqti_result_v2p1`) and 3.0 (`imsqti_result_v3p0`) spellings read alike.

Parsing is safe: lxml without entity resolution, DTD loading or network access, and a document
with a DOCTYPE (where entities are declared) is refused (IA114) before anything is read from it.
Findings are at `file:line` (column 1): IA113 malformed XML, IA112 XML that is not a results
report, IA115 an `itemResult` without identifier or a single response with several values.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from cmas_bank.analyze.responses import (
    LETTERS,
    NO_CANDIDATE,
    NOT_OPTION,
    OMIT,
    RESULT_INCOMPLETE,
    UNKNOWN_FORMAT,
    XML_REFUSED,
    XML_SYNTAX,
    Scorer,
    _diag,
)

if TYPE_CHECKING:
    from lxml import etree

RESPONSE = "RESPONSE"  # the response identifier cmas_bank/export/qti.py writes
_DOCTYPE = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_REFUSED = "XML with a DOCTYPE (entity declarations) is refused: results reports have none"


def _name(tag: object) -> str:
    """A tag or attribute name as compared: no namespace, no `qti-` prefix, no hyphens, lower case."""
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    local = tag.rsplit("}", 1)[-1].lower()
    return local.removeprefix("qti-").replace("-", "").replace("_", "")


def _attr(element: etree._Element, name: str) -> str:
    for key, value in element.attrib.items():
        if _name(key) == name:
            return str(value).strip()
    return ""


def _line(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) and line > 0 else 1


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (child for child in element if _name(child.tag) == name)


def _parse(raw: bytes, source: str, scorer: Scorer) -> etree._Element | None:
    from lxml import etree

    if any(mark in raw for mark in _DOCTYPE):  # refused before the parser sees it
        line = next((n for n, text in enumerate(raw.split(b"\n"), 1) if any(m in text for m in _DOCTYPE)), 1)
        scorer.out.report(_diag(source, XML_REFUSED, _REFUSED, line))
        return None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        tree = etree.fromstring(raw, parser).getroottree()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        message = f"XML syntax error: {exc.msg}"
        scorer.out.report(_diag(source, XML_SYNTAX, message, line, max(1, exc.offset or 1)))
        return None
    if getattr(tree.docinfo, "doctype", "") or tree.docinfo.internalDTD is not None:
        scorer.out.report(_diag(source, XML_REFUSED, _REFUSED, 1))
        return None
    return tree.getroot()


def _candidate(result: etree._Element) -> str:
    for context in _children(result, "context"):
        name = _attr(context, "sourcedid")
        if name:
            return name
        for session in _children(context, "sessionidentifier"):
            if _attr(session, "identifier"):
                return _attr(session, "identifier")
    return ""


def _values(item_result: etree._Element) -> tuple[list[str], int]:
    """The values of the item's RESPONSE variable and the line of the variable (or of the item)."""
    for variable in _children(item_result, "responsevariable"):
        if _attr(variable, "identifier") == RESPONSE:
            values = [
                (value.text or "").strip()
                for response in _children(variable, "candidateresponse")
                for value in _children(response, "value")
            ]
            return [v for v in values if v], _line(variable)
    return [], _line(item_result)


def _item_code(scorer: Scorer, source: str, item_result: etree._Element) -> tuple[str, int, int] | None:
    """(item id, option code, line) of one itemResult, or None when it cannot be scored (reported)."""
    out = scorer.out
    line = _line(item_result)
    ident = _attr(item_result, "identifier")
    if not ident:
        out.report(
            _diag(source, RESULT_INCOMPLETE, "itemResult has no identifier: which item it answers is unknown", line)
        )
        return None
    key = scorer.check_item(source, ident, line, 1)
    if key is None:
        return None
    values, line = _values(item_result)
    if not values:
        return key.id, OMIT, line
    if len(values) > 1:
        message = f"{len(values)} values for {key.id}'s single response ({', '.join(values[:4])})"
        out.report(_diag(source, RESULT_INCOMPLETE, message, line, 1, key.id))
        return key.id, 255, line
    if values[0] not in LETTERS:
        message = (
            f"choice identifier {values[0][:40]!r} is not an option of {key.id} "
            "(A to D, as the qti21 and qti30 exports name the choices)"
        )
        out.report(_diag(source, NOT_OPTION, message, line, 1, key.id))
        return key.id, 255, line
    return key.id, LETTERS.index(values[0]), line


def read_qti(raw: bytes, source: str, scorer: Scorer) -> None:
    """Add the responses of a QTI results report to `scorer.out` (see the module's docstring)."""
    root = _parse(raw, source, scorer)
    if root is None:
        return
    out = scorer.out
    results = [root] if _name(root.tag) == "assessmentresult" else list(_children(root, "assessmentresult"))
    if not results:
        message = (
            f"XML root <{_name(root.tag) or root.tag}> is not a QTI results report (assessmentResult): "
            "give a QTI 2.1 or 3.0 results file, or a CSV"
        )
        out.report(_diag(source, UNKNOWN_FORMAT, message, _line(root)))
        return
    cands: list[int] = []
    items: list[int] = []
    codes: list[int] = []
    lines: list[int] = []
    for result in results:
        name = _candidate(result)
        if not name:
            message = "assessmentResult has no candidate: no context sourcedId or sessionIdentifier"
            out.report(_diag(source, NO_CANDIDATE, message, _line(result)))
            continue
        cand = out.candidate(name)
        for item_result in _children(result, "itemresult"):
            found = _item_code(scorer, source, item_result)
            if found is not None:
                cands.append(cand)
                items.append(out.item_index(found[0]))
                codes.append(found[1])
                lines.append(found[2])
    out.add(source, cands, items, codes, lines, [1] * len(cands))
