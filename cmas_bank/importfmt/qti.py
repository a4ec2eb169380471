"""QTI as questions: QTI 2.1 and 3.0 content packages and item files, and Canvas Classic
Quizzes' QTI 1.2 zips (as `export --format canvas` and Canvas itself write them).

A package (zip) must hold `imsmanifest.xml` at its top. Each resource of type
`imsqti_item_xmlv2p*` or `imsqti_item_xmlv3p0` is one item, its file the resource's `href`
(resolved inside the package; one that leaves it is refused); its LOM metadata gives the id
(`general/identifier/entry` in catalog `cmas-bank`), tags (`general/keyword`), difficulty
(`educational/difficulty`: easy, medium, difficult -> hard) and work area and sub-area (the
`discipline` classification's taxon ids `4`, `4C`) and cognitive level (the classification
from source `cmas-bank cognitive level`). QTI 3.0's names (`qti-choice-interaction`,
`response-identifier`) are read as QTI 2.1's. An item is a single `choiceInteraction` with
`maxChoices` 1, four `simpleChoice`s and one correct response; its stem the body's paragraphs
before the interaction then the prompt, its rationale the one `modalFeedback` (references when
it ends with the exports' `References:` list). Anything else is skipped with its reason.

A package whose resources are QTI 1.2 (`imsqti_xmlv1p2`, Canvas's `.xml.qti` banks) is read
as Canvas's: every `item` of type `multiple_choice_question` (or, with no type, one single
`response_lid` of four labels), scored 100 on one label, with only general feedback
(`general_fb`); a quiz item that points at a bank item (`assessment_question_identifierref`)
is that item and is read once. Its id is `cmas_bank_id`, else the ident; work area and
sub-area from `cmas_bank_work_area` and `cmas_bank_sub_area`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cmas_bank.importfmt import Question
from cmas_bank.importfmt.safe import NOT_THAT_FORMAT, InputError, Package, line_of, local, parse_xml, sniff
from cmas_bank.importfmt.text import Unsupported, blocks, html_root, paragraphs_text, split_feedback

if TYPE_CHECKING:
    from lxml import etree

NOT_A_PACKAGE = "IM111"
MANIFEST = "imsmanifest.xml"
ITEM_TYPES = ("imsqti_item_xmlv2p", "imsqti_item_xmlv3p")
QTI12_TYPE = "imsqti_xmlv1p2"
DIFFICULTY = {"very easy": "easy", "easy": "easy", "medium": "medium", "difficult": "hard", "very difficult": "hard"}
LEVELS = ("recall", "application", "analysis")
RESPONSES = ("response_lid", "response_xy", "response_str", "response_num", "response_grp", "response_extension")


@dataclass
class Meta:
    """What a manifest says about one item."""

    ids: list[tuple[str, str]] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    difficulty: str | None = None
    cognitive_level: str | None = None


def name(element: etree._Element) -> str:
    """The QTI 2.1 name of an element of either version: `qti-simple-choice` -> `simpleChoice`."""
    tag = local(element)
    if not tag.startswith("qti-"):
        return tag
    head, *rest = tag[4:].split("-")
    return head + "".join(part.title() for part in rest)


def attr(element: etree._Element, camel: str, default: str = "") -> str:
    kebab = re.sub(r"(?<!^)([A-Z])", r"-\1", camel).lower()
    value = element.get(camel)
    return value if value is not None else element.get(kebab, default)


def children(element: etree._Element, wanted: str) -> list[etree._Element]:
    return [child for child in element if name(child) == wanted]


def read_qti(data: bytes, display: str, suffix: str) -> list[Question]:
    kind = sniff(data)
    if kind == "zip" and suffix not in (".xml", ".qti"):
        return _package(Package(data, display))
    if kind == "xml" and suffix != ".zip":
        return _document(parse_xml(data, display), display, Meta())
    what = {"zip": "a zip archive", "xml": "XML, not a zip archive", "binary": "binary data", "text": "plain text"}
    raise InputError(NOT_THAT_FORMAT, f"not a QTI package or item file: the file is {what[kind]}", display)


def _package(package: Package) -> list[Question]:
    if MANIFEST not in package.names:
        message = "no imsmanifest.xml at the top of the archive: not a QTI content package"
        raise InputError(NOT_A_PACKAGE, message, package.display)
    manifest = parse_xml(package.read(MANIFEST), package.where(MANIFEST))
    questions: list[Question] = []
    qti12: list[str] = []
    for resource in (e for e in manifest.iter() if local(e) == "resource"):
        kind = resource.get("type", "")
        hrefs = [resource.get("href", "")] + [f.get("href", "") for f in resource if local(f) == "file"]
        hrefs = [h for h in dict.fromkeys(hrefs) if h]
        if kind.startswith(ITEM_TYPES):
            if not hrefs:
                ident = resource.get("identifier", "")
                raise InputError(
                    NOT_A_PACKAGE, f"item resource {ident!r} names no file", package.where(MANIFEST), line_of(resource)
                )
            entry = package.resolve(MANIFEST, hrefs[0], MANIFEST)
            root = parse_xml(package.read(entry), package.where(entry))
            questions += _document(root, package.where(entry), _lom(resource))
        elif kind == QTI12_TYPE or any(h.endswith(".xml.qti") for h in hrefs):
            qti12 += [package.resolve(MANIFEST, h, MANIFEST) for h in hrefs if h.endswith((".xml", ".qti"))]
    if qti12:
        documents = [(package.where(e), parse_xml(package.read(e), package.where(e))) for e in dict.fromkeys(qti12)]
        questions += _canvas(documents)
    return questions


def _document(root: etree._Element, where: str, meta: Meta) -> list[Question]:
    kind = name(root)
    if kind == "assessmentItem":
        return [_item(root, where, meta)]
    if kind == "questestinterop":
        return _canvas([(where, root)])
    if kind in ("assessmentTest", "assessmentSection"):
        return []
    raise InputError(NOT_THAT_FORMAT, f"not a QTI item: the document element is <{local(root)}>", where, line_of(root))


# --- LOM metadata -----------------------------------------------------------------------------


def _strings(element: etree._Element) -> str:
    return " ".join(
        (e.text or "").strip() for e in element.iter() if local(e) in ("string", "value", "entry") and e.text
    )


def _lom(resource: etree._Element) -> Meta:
    meta = Meta()
    for element in resource.iter():
        tag = local(element)
        parent = element.getparent()
        if tag == "identifier" and parent is not None and local(parent) == "general":
            catalog = next((e.text or "" for e in element if local(e) == "catalog"), "")
            entry = next(((e.text or "").strip() for e in element if local(e) == "entry"), "")
            if catalog.strip() == "cmas-bank" and entry:
                meta.ids.append(("LOM identifier", entry))
        elif tag == "keyword":
            meta.tags += [(e.text or "").strip() for e in element if local(e) == "string"]
        elif tag == "difficulty":
            meta.difficulty = DIFFICULTY.get(_strings(element).removeprefix("LOMv1.0").strip())
        elif tag == "taxonPath":
            _taxon_path(element, meta)
    return meta


def _taxon_path(path: etree._Element, meta: Meta) -> None:
    source = next((_strings(e) for e in path if local(e) == "source"), "")
    taxa = [
        (
            next(((e.text or "").strip() for e in t if local(e) == "id"), ""),
            next((_strings(e) for e in t if local(e) == "entry"), ""),
        )
        for t in path
        if local(t) == "taxon"
    ]
    if source == "cmas-bank cognitive level":
        meta.cognitive_level = next((i for i, _ in taxa if i in LEVELS), None)
        return
    for ident, entry in taxa:
        meta.category.append(f"{ident}. {entry}" if ident.isdigit() else f"{ident} {entry}")


# --- QTI 2.1 / 3.0 items ----------------------------------------------------------------------


def _item(root: etree._Element, where: str, meta: Meta) -> Question:
    ident = attr(root, "identifier")
    question = Question(
        path=where,
        line=line_of(root),
        label=f"item {ident or attr(root, 'title')!r}",
        ids=[*meta.ids, ("identifier", ident)],
        category=meta.category,
        tags=meta.tags,
        difficulty=meta.difficulty,
        cognitive_level=meta.cognitive_level,
    )
    try:
        question.skip = _choice(root, question)
    except Unsupported as exc:
        question.skip = str(exc)
    return question


class Skip(Exception):
    """Why the bank cannot hold a question."""


def _interaction(root: etree._Element) -> tuple[etree._Element, etree._Element, list[etree._Element]]:
    """(item body, its one choice interaction, its four choices), else Skip."""
    body = next(iter(children(root, "itemBody")), None)
    if body is None:
        raise Skip("it has no item body")
    interactions = [e for e in body.iter() if name(e).endswith("Interaction")]
    if len(interactions) != 1 or name(interactions[0]) != "choiceInteraction":
        found = ", ".join(name(e) for e in interactions) or "none"
        raise Skip(f"the bank holds one choiceInteraction per item, not {found}")
    interaction = interactions[0]
    if attr(interaction, "maxChoices", "1") != "1":
        raise Skip(f"more than one answer may be chosen (maxChoices {attr(interaction, 'maxChoices')})")
    choices = children(interaction, "simpleChoice")
    if len(choices) != 4:
        raise Skip(f"it has {len(choices)} choices; the bank holds four options")
    return body, interaction, choices


def _correct(root: etree._Element, interaction: etree._Element, keys: list[str]) -> int:
    """Index of the one correct choice, else Skip."""
    response = attr(interaction, "responseIdentifier")
    declared = [d for d in children(root, "responseDeclaration") if attr(d, "identifier") == response]
    correct = [c for d in declared for c in children(d, "correctResponse")]
    values = [(v.text or "").strip() for c in correct for v in children(c, "value")]
    if len(values) != 1 or values[0] not in keys:
        raise Skip("it has no single correct response among its choices")
    return keys.index(values[0])


def _choice(root: etree._Element, question: Question) -> str | None:
    try:
        body, interaction, choices = _interaction(root)
        if any(name(e) in ("feedbackInline", "feedbackBlock") for e in root.iter()):
            raise Skip("it has feedback that depends on the answer; the bank has only a rationale")
        question.answer = _correct(root, interaction, [attr(c, "identifier") for c in choices])
        modals = children(root, "modalFeedback")
        if len(modals) > 1:
            raise Skip(
                f"it has {len(modals)} modal feedbacks (feedback that depends on the answer); one is a rationale"
            )
    except Skip as exc:
        return str(exc)
    scenario = copy.deepcopy(body)
    for element in [e for e in scenario.iter() if name(e) == "choiceInteraction"]:
        holder = element.getparent()
        if holder is not None:
            holder.remove(element)
    prompt = [b for p in children(interaction, "prompt") for b in blocks(p)]
    question.stem = paragraphs_text(blocks(scenario) + prompt)
    question.options = [paragraphs_text(blocks(c)) for c in choices]
    if modals:
        holder = next(iter(children(modals[0], "contentBody")), modals[0])
        question.rationale, question.references = split_feedback(blocks(holder))
    return None


# --- QTI 1.2 (Canvas) -------------------------------------------------------------------------


def _canvas(documents: list[tuple[str, etree._Element]]) -> list[Question]:
    found: list[tuple[Question, str | None]] = []
    for where, root in documents:
        if local(root) != "questestinterop":
            raise InputError(NOT_THAT_FORMAT, f"not QTI 1.2: the document element is <{local(root)}>", where)
        found += [_canvas_item(item, where) for item in root.iter() if local(item) == "item"]
    idents = {ident for q, _ in found for where, ident in q.ids if where == "ident"}
    return [q for q, ref in found if not (ref and ref in idents)]


def _fields(item: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for element in item.iter():
        if local(element) == "qtimetadatafield":
            label = next(((e.text or "").strip() for e in element if local(e) == "fieldlabel"), "")
            out[label] = next(((e.text or "").strip() for e in element if local(e) == "fieldentry"), "")
    return out


def _mattext(holder: etree._Element) -> list[tuple[str, str]]:
    """Paragraphs of the `mattext`s directly in `holder`'s `material`s (HTML when so typed)."""
    found: list[tuple[str, str]] = []
    for material in (e for e in holder if local(e) == "material"):
        for text in (e for e in material if local(e) == "mattext"):
            if text.get("texttype", "text/plain") == "text/html":
                found += blocks(html_root(text.text or ""))
            elif (text.text or "").strip():
                found.append(("p", (text.text or "").strip()))
    return found


def _canvas_item(item: etree._Element, where: str) -> tuple[Question, str | None]:
    fields = _fields(item)
    ident = item.get("ident", "")
    question = Question(
        path=where,
        line=line_of(item),
        label=f"item {item.get('title') or ident!r}",
        ids=[(k, v) for k, v in (("cmas_bank_id", fields.get("cmas_bank_id", "")), ("ident", ident)) if v],
        category=[v for v in (fields.get("cmas_bank_work_area"), fields.get("cmas_bank_sub_area")) if v],
    )
    try:
        question.skip = _canvas_choice(item, fields, question)
    except Unsupported as exc:
        question.skip = str(exc)
    return question, fields.get("assessment_question_identifierref") or None


def _canvas_labels(item: etree._Element, fields: dict[str, str]) -> tuple[etree._Element, list[etree._Element]]:
    """(presentation, its four response labels), else Skip."""
    kind = fields.get("question_type")
    if kind and kind != "multiple_choice_question":
        raise Skip(f"a Canvas {kind.replace('_', ' ')}; the bank holds single-choice questions")
    presentation = next((e for e in item if local(e) == "presentation"), None)
    if presentation is None:
        raise Skip("it has no presentation")
    lids = [e for e in presentation.iter() if local(e) == "response_lid"]
    if len(lids) != 1 or sum(1 for e in item.iter() if local(e) in RESPONSES) != 1:
        raise Skip("the bank holds one choice response per item")
    if lids[0].get("rcardinality", "Single") != "Single":
        raise Skip("more than one answer may be chosen")
    labels = [e for e in lids[0].iter() if local(e) == "response_label"]
    if len(labels) != 4:
        raise Skip(f"it has {len(labels)} choices; the bank holds four options")
    return presentation, labels


def _canvas_key(item: etree._Element, keys: list[str]) -> int:
    """Index of the one label scored 100, else Skip."""
    scoring = [
        c for c in item.iter() if local(c) == "respcondition" and any(_scores(s) for s in c if local(s) == "setvar")
    ]
    right = [(v.text or "").strip() for c in scoring for v in c.iter() if local(v) == "varequal"]
    if len(right) != 1 or right[0] not in keys:
        raise Skip("it has no single answer scored 100")
    return keys.index(right[0])


def _canvas_choice(item: etree._Element, fields: dict[str, str], question: Question) -> str | None:
    try:
        presentation, labels = _canvas_labels(item, fields)
        question.answer = _canvas_key(item, [label.get("ident", "") for label in labels])
        feedback = {f.get("ident", ""): f for f in item if local(f) == "itemfeedback"}
        texts = {ident: "".join(str(t) for t in f.itertext()).strip() for ident, f in feedback.items()}
        if any(text for ident, text in texts.items() if ident != "general_fb"):
            raise Skip("it has feedback that depends on the answer; the bank has only a rationale")
    except Skip as exc:
        return str(exc)
    question.stem = paragraphs_text(_mattext(presentation))
    question.options = [paragraphs_text(_mattext(label)) for label in labels]
    general = feedback.get("general_fb")
    if general is not None:
        found = [b for flow in general.iter() if local(flow) == "flow_mat" for b in _mattext(flow)]
        question.rationale, question.references = split_feedback(found)
    return None


def _scores(setvar: etree._Element) -> bool:
    try:
        return float((setvar.text or "").strip()) >= 100 and setvar.get("action", "Set") == "Set"
    except ValueError:
        return False
