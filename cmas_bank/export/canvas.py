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

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cmas_bank.export.common import ExportError, FormOrder, arrange, qti_identifier, xml_bytes, zip_bytes
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


def _root(tag: str, **attrib: str) -> etree._Element:
    from lxml import etree

    return etree.Element(
        tag,
        nsmap={None: QTI_NS, "xsi": XSI},  # type: ignore[dict-item]  # lxml-stubs: the default namespace is keyed None
        attrib={f"{{{XSI}}}schemaLocation": f"{QTI_NS} {QTI_SCHEMA}", **attrib},
    )


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _metadata(parent: etree._Element, fields: Sequence[tuple[str, str]]) -> None:
    from lxml import etree

    S = etree.SubElement
    metadata = S(parent, _q("qtimetadata"))
    for label, entry in fields:
        field = S(metadata, _q("qtimetadatafield"))
        S(field, _q("fieldlabel")).text = label
        S(field, _q("fieldentry")).text = entry


def _material(parent: etree._Element, text: str, texttype: str) -> None:
    from lxml import etree

    material = etree.SubElement(parent, _q("material"))
    etree.SubElement(material, _q("mattext"), texttype=texttype).text = text


def item_element(
    parent: etree._Element, item: Item, outline: Outline, ident: str, bank_ref: str | None, scored: bool = True
) -> None:
    """One Canvas `multiple_choice_question` under `parent` (a section or an objectbank); an
    unscored pretest item of a form is worth 0 points."""
    from lxml import etree

    S = etree.SubElement
    element = S(parent, _q("item"), ident=ident, title=item.id)
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


def assessment_document(items: Sequence[Item], outline: Outline, form: FormOrder | None = None) -> etree._Element:
    from lxml import etree

    root = _root(_q("questestinterop"))
    title = outline.title if form is None else f"{outline.title}: {form.form}"
    assessment = etree.SubElement(root, _q("assessment"), ident=ASSESSMENT, title=title)
    _metadata(assessment, [("cc_maxattempts", "1")])
    section = etree.SubElement(assessment, _q("section"), ident="root_section")
    for item in items:
        scored = form is None or form.scored(item.id)
        item_element(section, item, outline, quiz_ident(item.id), item.id, scored)
    return root


def bank_document(area: int, items: Sequence[Item], outline: Outline, form: FormOrder | None = None) -> etree._Element:
    from lxml import etree

    root = _root(_q("questestinterop"))
    bank = etree.SubElement(root, _q("objectbank"), ident=bank_ident(area))
    _metadata(bank, [("bank_title", f"{outline.title}: {area_names(items[0], outline)[0]}")])
    for item in items:
        item_element(bank, item, outline, item.id, None, form is None or form.scored(item.id))
    return root


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


def canvas_entries(items: Sequence[Item], outline: Outline, form: FormOrder | None = None) -> list[tuple[str, bytes]]:
    """(zip path, bytes): the manifest, the quiz (a form's: in its order, pretest items worth 0
    points), its meta, then one bank per work area."""
    if not items:
        raise ExportError("no items to export")
    check_text(items)
    for item in items:
        qti_identifier(item.id)
        area_names(item, outline)  # an item outside the outline fails here, named
    ordered = sorted(items, key=lambda i: (i.domain, i.id))
    quiz = arrange(items, form, key=lambda i: (i.domain, i.id))
    areas = sorted({i.domain for i in ordered})
    entries = [
        ("imsmanifest.xml", xml_bytes(manifest_document(areas))),
        (ASSESSMENT_HREF, xml_bytes(assessment_document(quiz, outline, form))),
        (META_HREF, xml_bytes(meta_document(ordered, outline, form))),
    ]
    for area in areas:
        members = [i for i in ordered if i.domain == area]
        entries.append((bank_href(area), xml_bytes(bank_document(area, members, outline, form))))
    return entries


def canvas_bytes(items: Sequence[Item], outline: Outline, form: FormOrder | None = None) -> bytes:
    return zip_bytes(canvas_entries(items, outline, form))
