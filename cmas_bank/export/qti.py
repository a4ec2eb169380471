"""One builder for QTI 2.1 and QTI 3.0 content packages.

The two versions carry the same content and differ in spelling: QTI 3.0 names QTI elements
`qti-` plus the kebab-case of the 2.1 name (`choiceInteraction` -> `qti-choice-interaction`)
and writes attributes in kebab-case (`responseIdentifier` -> `response-identifier`), and it
wraps modal feedback content in `qti-content-body`. A `Dialect` holds those differences with the
namespaces, resource types and template URI; the structure lives here once.

Package layout (zip):

    imsmanifest.xml          IMS CP manifest: one item resource per item, one test resource
    assessment-test.xml      the test: one test part, one section per work area, items by id
    items/<id>.xml           one single-choice item per file

Each item: a `choiceInteraction` (max one choice, options A-D in order, not shuffled), the key
as the correct response, the standard `match_correct` response-processing template, and the
rationale as modal feedback. The template sets only SCORE; the feedback is tied to a FEEDBACK
outcome whose default value is the feedback's identifier, so it shows after every attempt,
right or wrong, as a rationale should. In the manifest each item resource carries qtiMetadata,
then IEEE LOM (that order is required): the id (general.identifier), difficulty
(educational.difficulty on the LOM scale: hard -> difficult), work area and sub-area (a
classification taxon path under the outline's id) and cognitive level (a second classification).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from cmas_bank import __version__
from cmas_bank.export.common import (
    CATALOG,
    LANGUAGE,
    MANIFEST_IDENTIFIER,
    PRETEST_TAG,
    TEST_IDENTIFIER,
    TEST_PART_IDENTIFIER,
    ExportError,
    FormOrder,
    PackageWriter,
    check_xml_text,
    close_level,
    emit_child,
    item_href,
    paragraphs,
    qti_identifier,
    section_identifier,
    write_child,
    xml_bytes,
    xml_stream,
)
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LOM = "http://ltsc.ieee.org/xsd/LOM"
TEST_HREF = "assessment-test.xml"
MANIFEST_HREF = "imsmanifest.xml"
RESPONSE = "RESPONSE"
SCORE = "SCORE"
WEIGHT = "WEIGHT"  # a form's pretest items weigh 0 under it
FORM_SECTION = "cmas-bank.form"  # a form's one section; an item id cannot hold "."
FEEDBACK = "FEEDBACK"
RATIONALE = "RATIONALE"

LOM_DIFFICULTY = {"easy": "easy", "medium": "medium", "hard": "difficult"}


@dataclass(frozen=True)
class Dialect:
    """What differs between QTI versions; the builder below is the same for both."""

    name: str
    qti_ns: str
    qti_schema: str
    cp_ns: str
    cp_schema: str
    metadata_ns: str
    metadata_schema: str
    lom_schema: str
    item_type: str
    test_type: str
    package_schema: str
    package_schema_version: str
    match_correct: str
    kebab: bool
    feedback_body: bool

    def el(self, name: str) -> str:
        """Qualified name of a QTI element given by its QTI 2.1 name."""
        local = "qti-" + _kebab(name) if self.kebab else name
        return f"{{{self.qti_ns}}}{local}"

    def html(self, name: str) -> str:
        """Qualified name of an HTML element inside QTI content (the same in both versions)."""
        return f"{{{self.qti_ns}}}{name}"

    def attrs(self, **attributes: str) -> dict[str, str]:
        if not self.kebab:
            return attributes
        return {_kebab(k): v for k, v in attributes.items()}


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


# --- item -------------------------------------------------------------------------------------


def item_document(item: Item, d: Dialect) -> etree._Element:
    from lxml import etree

    E = etree.Element
    S = etree.SubElement
    ident = qti_identifier(item.id)
    root = E(
        d.el("assessmentItem"),
        nsmap={None: d.qti_ns, "xsi": XSI},  # type: ignore[dict-item]  # lxml-stubs: the default namespace is keyed None
        attrib={
            f"{{{XSI}}}schemaLocation": f"{d.qti_ns} {d.qti_schema}",
            **d.attrs(identifier=ident, title=ident, adaptive="false", timeDependent="false"),
            XML_LANG: LANGUAGE,
        },
    )
    response = S(
        root, d.el("responseDeclaration"), d.attrs(identifier=RESPONSE, cardinality="single", baseType="identifier")
    )
    S(S(response, d.el("correctResponse")), d.el("value")).text = item.answer
    score = S(root, d.el("outcomeDeclaration"), d.attrs(identifier=SCORE, cardinality="single", baseType="float"))
    S(S(score, d.el("defaultValue")), d.el("value")).text = "0"
    feedback = S(
        root, d.el("outcomeDeclaration"), d.attrs(identifier=FEEDBACK, cardinality="single", baseType="identifier")
    )
    S(S(feedback, d.el("defaultValue")), d.el("value")).text = RATIONALE

    body = S(root, d.el("itemBody"))
    *scenario, lead_in = paragraphs(item.stem)
    for text in scenario:
        S(body, d.html("p")).text = text
    interaction = S(
        body, d.el("choiceInteraction"), d.attrs(responseIdentifier=RESPONSE, shuffle="false", maxChoices="1")
    )
    S(interaction, d.el("prompt")).text = lead_in
    for key in OPTION_KEYS:
        S(interaction, d.el("simpleChoice"), d.attrs(identifier=key)).text = getattr(item.options, key)

    S(root, d.el("responseProcessing"), d.attrs(template=d.match_correct))
    modal = S(root, d.el("modalFeedback"), d.attrs(outcomeIdentifier=FEEDBACK, identifier=RATIONALE, showHide="show"))
    container = S(modal, d.el("contentBody")) if d.feedback_body else modal
    for text in paragraphs(item.rationale):
        S(container, d.html("p")).text = text
    return root


# --- test -------------------------------------------------------------------------------------


def write_test(
    out: IO[bytes], items: Sequence[Item], outline: Outline, d: Dialect, form: FormOrder | None = None
) -> None:
    """The assessment test, written as it is made: one item ref per item, never a tree of all."""
    from lxml import etree

    S = etree.SubElement
    title = outline.title if form is None else f"{outline.title}: {form.form}"
    score = etree.Element(d.el("outcomeDeclaration"), d.attrs(identifier=SCORE, cardinality="single", baseType="float"))
    S(S(score, d.el("defaultValue")), d.el("value")).text = "0"
    processing = etree.Element(d.el("outcomeProcessing"))
    total = S(processing, d.el("setOutcomeValue"), d.attrs(identifier=SCORE))
    summed = d.attrs(variableIdentifier=SCORE) | ({} if form is None else d.attrs(weightIdentifier=WEIGHT))
    S(S(total, d.el("sum")), d.el("testVariables"), summed)
    root_attrs = {
        f"{{{XSI}}}schemaLocation": f"{d.qti_ns} {d.qti_schema}",
        **d.attrs(identifier=TEST_IDENTIFIER, title=title),
    }
    part_attrs = d.attrs(identifier=TEST_PART_IDENTIFIER, navigationMode="nonlinear", submissionMode="individual")
    with xml_stream(out) as xf, xf.element(d.el("assessmentTest"), root_attrs, nsmap={None: d.qti_ns, "xsi": XSI}):
        emit_child(xf, score, 1)
        xf.write("\n" + "  ")
        with xf.element(d.el("testPart"), part_attrs):
            if form is None:
                for area in outline.work_areas:
                    members = [i for i in items if i.domain == area.number]
                    if members:
                        _section(xf, d, section_identifier(area.number), f"{area.number}. {area.name}", members, None)
            else:
                _section(xf, d, FORM_SECTION, form.form, form.arrange(items), form)
            close_level(xf, 1)
        emit_child(xf, processing, 1)
        close_level(xf, 0)


def _section(
    xf: etree.xmlfile, d: Dialect, identifier: str, title: str, members: Sequence[Item], form: FormOrder | None
) -> None:
    """One section of item refs in the given order; a form's pretest item is in category
    `pretest` and has weight 0 under WEIGHT, which the test's SCORE sum uses (others weigh 1)."""
    xf.write("\n" + "    ")
    with xf.element(d.el("assessmentSection"), d.attrs(identifier=identifier, title=title, visible="true")):
        for item in members:
            attrs = d.attrs(identifier=qti_identifier(item.id), href=item_href(item.id))
            xf.write("\n" + "      ")
            if form is not None and not form.scored(item.id):
                with xf.element(d.el("assessmentItemRef"), attrs | {"category": PRETEST_TAG}):
                    xf.write("\n" + "        ")
                    with xf.element(d.el("weight"), d.attrs(identifier=WEIGHT, value="0")):
                        pass
                    xf.write("\n" + "      ")
            else:
                with xf.element(d.el("assessmentItemRef"), attrs):
                    pass
        close_level(xf, 2)


# --- manifest ---------------------------------------------------------------------------------


def _lom_string(parent: etree._Element, tag: str, text: str) -> etree._Element:
    from lxml import etree

    holder = etree.SubElement(parent, f"{{{LOM}}}{tag}")
    etree.SubElement(holder, f"{{{LOM}}}string", language=LANGUAGE).text = text
    return holder


def _lom_vocabulary(parent: etree._Element, tag: str, value: str) -> None:
    from lxml import etree

    holder = etree.SubElement(parent, f"{{{LOM}}}{tag}")
    etree.SubElement(holder, f"{{{LOM}}}source").text = "LOMv1.0"
    etree.SubElement(holder, f"{{{LOM}}}value").text = value


def _taxon_path(classification: etree._Element, source: str, taxa: Sequence[tuple[str, str]]) -> None:
    from lxml import etree

    path = etree.SubElement(classification, f"{{{LOM}}}taxonPath")
    _lom_string(path, "source", source)
    for taxon_id, entry in taxa:
        taxon = etree.SubElement(path, f"{{{LOM}}}taxon")
        etree.SubElement(taxon, f"{{{LOM}}}id").text = taxon_id
        _lom_string(taxon, "entry", entry)


def item_metadata(parent: etree._Element, item: Item, outline: Outline, d: Dialect) -> None:
    """qtiMetadata then LOM, in that order (the CP profiles require it)."""
    from lxml import etree

    S = etree.SubElement
    metadata = S(parent, f"{{{d.cp_ns}}}metadata")
    qti = S(metadata, f"{{{d.metadata_ns}}}qtiMetadata")
    S(qti, f"{{{d.metadata_ns}}}timeDependent").text = "false"
    S(qti, f"{{{d.metadata_ns}}}interactionType").text = "choiceInteraction"
    S(qti, f"{{{d.metadata_ns}}}feedbackType").text = "nonadaptive"
    S(qti, f"{{{d.metadata_ns}}}solutionAvailable").text = "true"
    S(qti, f"{{{d.metadata_ns}}}toolName").text = "cmas-bank"
    S(qti, f"{{{d.metadata_ns}}}toolVersion").text = __version__

    lom = S(metadata, f"{{{LOM}}}lom")
    general = S(lom, f"{{{LOM}}}general")
    identifier = S(general, f"{{{LOM}}}identifier")
    S(identifier, f"{{{LOM}}}catalog").text = CATALOG
    S(identifier, f"{{{LOM}}}entry").text = item.id
    _lom_string(general, "title", item.id)
    for tag in item.tags:
        _lom_string(general, "keyword", tag)
    educational = S(lom, f"{{{LOM}}}educational")
    _lom_vocabulary(educational, "difficulty", LOM_DIFFICULTY[item.difficulty])

    area = outline.areas.get(item.domain)
    sub = next((s for s in area.subareas if s.code == item.subdomain), None) if area else None
    discipline = S(lom, f"{{{LOM}}}classification")
    _lom_vocabulary(discipline, "purpose", "discipline")
    _taxon_path(
        discipline,
        outline.id,
        [
            (str(item.domain), area.name if area else f"work area {item.domain}"),
            (item.subdomain, sub.name if sub else f"sub-area {item.subdomain}"),
        ],
    )
    objective = S(lom, f"{{{LOM}}}classification")
    _lom_vocabulary(objective, "purpose", "educational objective")
    _taxon_path(objective, "cmas-bank cognitive level", [(item.cognitive_level, item.cognitive_level)])


def item_resource(item: Item, outline: Outline, d: Dialect) -> etree._Element:
    """One item's manifest resource, with the namespaces it uses declared on it (it is written on
    its own into the streamed manifest)."""
    from lxml import etree

    cp = d.cp_ns
    href = item_href(item.id)
    resource = etree.Element(
        f"{{{cp}}}resource",
        {"identifier": qti_identifier(item.id), "type": d.item_type, "href": href},
        nsmap={None: cp, "imsmd": LOM, "imsqti": d.metadata_ns},  # type: ignore[dict-item]
    )
    item_metadata(resource, item, outline, d)
    etree.SubElement(resource, f"{{{cp}}}file", href=href)
    return resource


def write_manifest(out: IO[bytes], items: Sequence[Item], outline: Outline, d: Dialect) -> None:
    """The manifest, written as it is made: each item's resource is built, written and dropped
    (built whole, the manifest of 100,000 items took over 1 GiB)."""
    from lxml import etree

    S = etree.SubElement
    cp = d.cp_ns
    attrs = {
        f"{{{XSI}}}schemaLocation": f"{cp} {d.cp_schema} {LOM} {d.lom_schema} {d.metadata_ns} {d.metadata_schema}",
        "identifier": MANIFEST_IDENTIFIER,
    }
    metadata = etree.Element(f"{{{cp}}}metadata")
    S(metadata, f"{{{cp}}}schema").text = d.package_schema
    S(metadata, f"{{{cp}}}schemaversion").text = d.package_schema_version
    with (
        xml_stream(out) as xf,
        xf.element(f"{{{cp}}}manifest", attrs, nsmap={None: cp, "imsmd": LOM, "imsqti": d.metadata_ns, "xsi": XSI}),
    ):
        emit_child(xf, metadata, 1)
        emit_child(xf, etree.Element(f"{{{cp}}}organizations"), 1)
        xf.write("\n" + "  ")
        with xf.element(f"{{{cp}}}resources"):
            xf.write("\n" + "    ")
            with xf.element(
                f"{{{cp}}}resource", {"identifier": TEST_IDENTIFIER, "type": d.test_type, "href": TEST_HREF}
            ):
                xf.write("\n" + "      ")
                with xf.element(f"{{{cp}}}file", {"href": TEST_HREF}):
                    pass
                for item in items:
                    xf.write("\n" + "      ")
                    with xf.element(f"{{{cp}}}dependency", {"identifierref": qti_identifier(item.id)}):
                        pass
                close_level(xf, 2)
            for item in items:
                write_child(xf, item_resource(item, outline, d), 2)
            close_level(xf, 1)
        close_level(xf, 0)


# --- package ----------------------------------------------------------------------------------


def write_package(
    items: Sequence[Item], outline: Outline, d: Dialect, out: IO[bytes], form: FormOrder | None = None
) -> None:
    """The zip: the manifest, the test and every item, in package order, each written as it is
    made (no entry, and not the package, is ever whole in memory but an item's own file)."""
    if not items:
        raise ExportError("no items to export")
    check_xml_text(items)
    strays = sorted(i.id for i in items if i.domain not in outline.areas)
    if strays:
        raise ExportError(f"items outside the outline's work areas cannot join the test: {', '.join(strays)}")
    ordered = sorted(items, key=lambda i: (i.domain, i.id))
    by_id = sorted(items, key=lambda i: i.id)
    package = PackageWriter(out)
    with package.entry(MANIFEST_HREF) as fh:
        write_manifest(fh, by_id, outline, d)
    with package.entry(TEST_HREF) as fh:
        write_test(fh, ordered, outline, d, form)
    for item in by_id:
        package.add(item_href(item.id), xml_bytes(item_document(item, d)))
    package.close()
