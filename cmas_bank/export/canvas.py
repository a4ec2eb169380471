"""Canvas Classic Quizzes: a QTI 1.2 zip in Canvas's own profile (Settings > Import Course
Content > QTI .zip file). Brightspace and Canvas New Quizzes (through its Classic migration)
read the same package.

    imsmanifest.xml                              IMS CP manifest: the quiz, its meta, the banks
    cmas-bank.assessment/cmas-bank.assessment.xml   questestinterop: the quiz, every item
    cmas-bank.assessment/assessment_meta.xml     Canvas quiz settings (unpublished practice quiz)
    non_cc_assessments/cmas-bank.bank-<n>.xml.qti   one question bank (objectbank) per work area

Each item is a `multiple_choice_question` worth 1 point: the stem as HTML (`<p>` per paragraph,
built with lxml so item text stays text), options A-D as plain text with the key scored 100, the
rationale and references as general feedback (`itemfeedback` "general_fb", shown after every
attempt), the work area and sub-area in the item's metadata. The bank copy of an item has the
item id as its ident; the quiz copy points to it (`assessment_question_identifierref`), as
Canvas's own exports do, so the quiz's questions are linked to the banks. Canvas has no tags.
Every QTI file is valid against the QTI 1.2.1 DTD once its namespace is removed (tested).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from cmas_bank.export.common import (
    ExportError,
    FormOrder,
    PackageWriter,
    arrange,
    close_level,
    emit_child,
    qti_identifier,
    write_child,
    xml_bytes,
    xml_stream,
)
from cmas_bank.export.lms import area_names, check_text, feedback_html, html_text
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from lxml import etree

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_SCHEMA = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CP_SCHEMA = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
CANVAS_SCHEMA = "https://canvas.instructure.com/xsd/cccv1p0.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

ASSESSMENT = "cmas-bank.assessment"
META = "cmas-bank.assessment-meta"
MANIFEST = "cmas-bank.canvas-manifest"
ASSESSMENT_HREF = f"{ASSESSMENT}/{ASSESSMENT}.xml"
META_HREF = f"{ASSESSMENT}/assessment_meta.xml"
RESOURCE_TYPE_QTI = "imsqti_xmlv1p2"
RESOURCE_TYPE_CANVAS = "associatedcontent/imscc_xmlv1p1/learning-application-resource"
RESPONSE = "response1"
FEEDBACK = "general_fb"


def bank_ident(area: int) -> str:
    return f"cmas-bank.bank-{area}"


def bank_href(area: int) -> str:
    return f"non_cc_assessments/{bank_ident(area)}.xml.qti"


def quiz_ident(item_id: str) -> str:
    return f"cmas-bank.quiz.{item_id}"


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _metadata(parent: etree._Element, fields: Sequence[tuple[str, str]]) -> None:
    from lxml import etree

    _metadata_fields(etree.SubElement(parent, _q("qtimetadata")), fields)


def _metadata_fields(metadata: etree._Element, fields: Sequence[tuple[str, str]]) -> None:
    from lxml import etree

    S = etree.SubElement
    for label, entry in fields:
        field = S(metadata, _q("qtimetadatafield"))
        S(field, _q("fieldlabel")).text = label
        S(field, _q("fieldentry")).text = entry


def _material(parent: etree._Element, text: str, texttype: str) -> None:
    from lxml import etree

    material = etree.SubElement(parent, _q("material"))
    etree.SubElement(material, _q("mattext"), texttype=texttype).text = text


def item_element(item: Item, outline: Outline, ident: str, bank_ref: str | None, scored: bool = True) -> etree._Element:
    """One Canvas `multiple_choice_question` (for a section or an objectbank), declaring the QTI
    namespace itself (it is written on its own into the streamed file); an unscored pretest item
    of a form is worth 0 points."""
    from lxml import etree

    S = etree.SubElement
    element = etree.Element(_q("item"), {"ident": ident, "title": item.id}, nsmap={None: QTI_NS})  # type: ignore[dict-item]
    area, sub = area_names(item, outline)
    fields = [
        ("question_type", "multiple_choice_question"),
        ("points_possible", "1.0" if scored else "0.0"),
        ("original_answer_ids", ",".join(OPTION_KEYS)),
        ("cmas_bank_id", item.id),
        ("cmas_bank_work_area", area),
        ("cmas_bank_sub_area", sub),
    ]
    if bank_ref is not None:
        fields.append(("assessment_question_identifierref", bank_ref))
    _metadata(S(element, _q("itemmetadata")), fields)
    presentation = S(element, _q("presentation"))
    _material(presentation, html_text(item.stem), "text/html")
    response = S(presentation, _q("response_lid"), ident=RESPONSE, rcardinality="Single")
    choices = S(response, _q("render_choice"), shuffle="No")
    for key in OPTION_KEYS:
        label = S(choices, _q("response_label"), ident=key)
        _material(label, getattr(item.options, key), "text/plain")

    processing = S(element, _q("resprocessing"))
    outcomes = S(processing, _q("outcomes"))
    S(outcomes, _q("decvar"), maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    always = S(processing, _q("respcondition"), {"continue": "Yes"})
    S(S(always, _q("conditionvar")), _q("other"))
    S(always, _q("displayfeedback"), feedbacktype="Response", linkrefid=FEEDBACK)
    right = S(processing, _q("respcondition"), {"continue": "No"})
    S(S(right, _q("conditionvar")), _q("varequal"), respident=RESPONSE).text = item.answer
    S(right, _q("setvar"), action="Set", varname="SCORE").text = "100"

    feedback = S(element, _q("itemfeedback"), ident=FEEDBACK)
    _material(S(feedback, _q("flow_mat")), feedback_html(item), "text/html")
    return element


@contextmanager
def _questestinterop(out: IO[bytes]) -> Iterator[etree.xmlfile]:
    """A streamed `questestinterop` document, open for its children."""
    attrs = {f"{{{XSI}}}schemaLocation": f"{QTI_NS} {QTI_SCHEMA}"}
    with xml_stream(out) as xf, xf.element(_q("questestinterop"), attrs, nsmap={None: QTI_NS, "xsi": XSI}):
        yield xf
        close_level(xf, 0)


def write_assessment(out: IO[bytes], items: Sequence[Item], outline: Outline, form: FormOrder | None = None) -> None:
    """The quiz, written item by item."""
    from lxml import etree

    title = outline.title if form is None else f"{outline.title}: {form.form}"
    metadata = etree.Element(_q("qtimetadata"))
    _metadata_fields(metadata, [("cc_maxattempts", "1")])
    with _questestinterop(out) as xf:
        xf.write("\n  ")
        with xf.element(_q("assessment"), {"ident": ASSESSMENT, "title": title}):
            emit_child(xf, metadata, 2)
            xf.write("\n    ")
            with xf.element(_q("section"), {"ident": "root_section"}):
                for item in items:
                    scored = form is None or form.scored(item.id)
                    write_child(xf, item_element(item, outline, quiz_ident(item.id), item.id, scored), 3)
                close_level(xf, 2)
            close_level(xf, 1)


def write_bank(
    out: IO[bytes], area: int, items: Sequence[Item], outline: Outline, form: FormOrder | None = None
) -> None:
    """One work area's question bank, written item by item."""
    from lxml import etree

    metadata = etree.Element(_q("qtimetadata"))
    _metadata_fields(metadata, [("bank_title", f"{outline.title}: {area_names(items[0], outline)[0]}")])
    with _questestinterop(out) as xf:
        xf.write("\n  ")
        with xf.element(_q("objectbank"), {"ident": bank_ident(area)}):
            emit_child(xf, metadata, 2)
            for item in items:
                write_child(xf, item_element(item, outline, item.id, None, form is None or form.scored(item.id)), 2)
            close_level(xf, 1)


def meta_document(items: Sequence[Item], outline: Outline, form: FormOrder | None = None) -> etree._Element:
    from lxml import etree

    root = etree.Element(
        f"{{{CANVAS_NS}}}quiz",
        nsmap={None: CANVAS_NS, "xsi": XSI},  # type: ignore[dict-item]
        attrib={f"{{{XSI}}}schemaLocation": f"{CANVAS_NS} {CANVAS_SCHEMA}", "identifier": ASSESSMENT},
    )
    points = len(items) if form is None else sum(1 for i in items if form.scored(i.id))
    settings = [
        ("title", outline.title if form is None else f"{outline.title}: {form.form}"),
        ("description", ""),
        ("shuffle_answers", "false"),
        ("scoring_policy", "keep_highest"),
        ("quiz_type", "practice_quiz"),
        ("points_possible", f"{points}.0"),
        ("show_correct_answers", "true"),
        ("allowed_attempts", "1"),
        ("one_question_at_a_time", "false"),
        ("cant_go_back", "false"),
        ("available", "false"),
    ]
    for tag, text in settings:
        etree.SubElement(root, f"{{{CANVAS_NS}}}{tag}").text = text
    return root


def manifest_document(areas: Sequence[int]) -> etree._Element:
    from lxml import etree

    S = etree.SubElement
    root = etree.Element(
        f"{{{CP_NS}}}manifest",
        nsmap={None: CP_NS, "xsi": XSI},  # type: ignore[dict-item]
        attrib={f"{{{XSI}}}schemaLocation": f"{CP_NS} {CP_SCHEMA}", "identifier": MANIFEST},
    )
    metadata = S(root, f"{{{CP_NS}}}metadata")
    S(metadata, f"{{{CP_NS}}}schema").text = "IMS Content"
    S(metadata, f"{{{CP_NS}}}schemaversion").text = "1.1.3"
    S(root, f"{{{CP_NS}}}organizations")
    resources = S(root, f"{{{CP_NS}}}resources")
    quiz = S(resources, f"{{{CP_NS}}}resource", identifier=ASSESSMENT, type=RESOURCE_TYPE_QTI)
    S(quiz, f"{{{CP_NS}}}file", href=ASSESSMENT_HREF)
    S(quiz, f"{{{CP_NS}}}dependency", identifierref=META)
    meta = S(resources, f"{{{CP_NS}}}resource", identifier=META, type=RESOURCE_TYPE_CANVAS, href=META_HREF)
    S(meta, f"{{{CP_NS}}}file", href=META_HREF)
    for area in areas:
        bank = S(resources, f"{{{CP_NS}}}resource", identifier=bank_ident(area), type=RESOURCE_TYPE_CANVAS)
        bank.set("href", bank_href(area))
        S(bank, f"{{{CP_NS}}}file", href=bank_href(area))
    return root


def write_canvas(items: Sequence[Item], outline: Outline, out: IO[bytes], form: FormOrder | None = None) -> None:
    """The zip: the manifest, the quiz (a form's: in its order, pretest items worth 0 points), its
    meta, then one bank per work area; the quiz and the banks are written item by item."""
    if not items:
        raise ExportError("no items to export")
    check_text(items)
    for item in items:
        qti_identifier(item.id)
        area_names(item, outline)  # an item outside the outline fails here, named
    ordered = sorted(items, key=lambda i: (i.domain, i.id))
    areas = sorted({i.domain for i in ordered})
    package = PackageWriter(out)
    package.add("imsmanifest.xml", xml_bytes(manifest_document(areas)))
    with package.entry(ASSESSMENT_HREF) as fh:
        write_assessment(fh, arrange(items, form, key=lambda i: (i.domain, i.id)), outline, form)
    package.add(META_HREF, xml_bytes(meta_document(ordered, outline, form)))
    for area in areas:
        with package.entry(bank_href(area)) as fh:
            write_bank(fh, area, [i for i in ordered if i.domain == area], outline, form)
    package.close()
