"""Quiz exports for learning management systems: Moodle GIFT and an IMS QTI 2.1 content package.

Pure functions over quiz snapshots (`lessons.snapshots.quiz_snapshot`): what a teacher downloads is
exactly what a student is asked here, with the same answer key and, as far as each format allows,
the same scoring rule (`lessons.scoring`).
"""

import io
import re
import zipfile

import lxml.html
from lxml import etree

from core.markdown import FIELD_TAGS
from lessons.question_kinds import kind_for
from lessons.question_kinds.evidence import EVIDENCE_INSTRUCTION

__all__ = ["EVIDENCE_INSTRUCTION", "plan_to_gift", "quiz_to_gift", "quizzes_to_qti_zip"]

# ---------------------------------------------------------------- characters the formats cannot carry

# XML 1.0 allows no C0 control but tab, newline and carriage return, no surrogate and neither U+FFFE nor U+FFFF;
# a GIFT file is UTF-8 text read line by line, so it drops the same (a control there would corrupt an import).
UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def carriable(value):
    """The snapshot (or any part of it) without the characters no export format can carry."""
    if isinstance(value, str):
        return UNCARRIABLE.sub("", value)
    if isinstance(value, list):
        return [carriable(item) for item in value]
    if isinstance(value, dict):
        return {key: carriable(item) for key, item in value.items()}
    return value


# ---------------------------------------------------------------- plain text


BLOCK_TAGS = ("p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "hr", "tr")


def plain_text(html: str) -> str:
    """Readable plain text from our rendered Markdown: one line per block, "- " for list items,
    a link's address after its text (GIFT has no markup we can rely on across Moodle's text formats)."""
    if not (html or "").strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for link in root.iter("a"):
        href = link.get("href", "")
        if href and not href.startswith("#") and href != link.text_content().strip():
            link.tail = f" ({href})" + (link.tail or "")
    for item in root.iter("li"):
        item.text = "- " + (item.text or "")
    for element in root.iter("br", *BLOCK_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def source_link(question: dict, base_url: str) -> str:
    if not question.get("source_url"):
        return ""
    return f"Source: {question.get('source_label') or 'source'} {base_url}{question['source_url']}"


def explanation_text(question: dict, base_url: str) -> str:
    """The explanation and the link to the paragraph it rests on: what a student sees after submitting."""
    parts = (plain_text(question["explanation_html"]), source_link(question, base_url))
    return "\n".join(part for part in parts if part)


def prompt_text(question: dict) -> str:
    text, instruction = plain_text(question["prompt_html"]), kind_for(question).export_instruction
    return f"{text}\n{instruction}" if instruction else text


# ---------------------------------------------------------------- GIFT

GIFT_RESERVED = "~=#{}:"


def gift_escape(text: str) -> str:
    """Escape what GIFT reserves; a line break becomes GIFT's `\\n`, since a blank line would end the question."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    for char in GIFT_RESERVED:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def gift_question(question: dict, base_url: str) -> str:
    kind = kind_for(question)
    heading = f"// Q{question['position']}: {question['kind']}, {question['points']} point(s)"
    answers = kind.gift(question)
    if answers is None:
        return f"{heading}\n// Left out: {kind.gift_left_out}"
    lines = [heading, *(f"// {note}" for note in answers.notes)]
    lines.append(f"::Q{question['position']}:: {gift_escape(prompt_text(question))} {{")
    lines += [mark + gift_escape(text) for mark, text in answers.lines]
    lines.append(f"####{gift_escape(explanation_text(question, base_url))}")
    lines.append("}")
    return "\n".join(lines)


def one_line(text: str) -> str:
    return " ".join((text or "").split())


def quiz_to_gift(snapshot: dict, base_url: str = "") -> str:
    """One quiz in Moodle's GIFT format, questions separated by blank lines."""
    snapshot = carriable(snapshot)
    header = f"// {one_line(snapshot['title'])}"
    return "\n\n".join([header, *(gift_question(q, base_url) for q in snapshot["questions"])]) + "\n"


def gift_category(text: str) -> str:
    """Moodle splits category paths on "/" and reads "//" as a slash in a name."""
    return one_line(text).replace("/", "//")


def plan_to_gift(snapshots: list[dict], title: str, base_url: str = "") -> str:
    """Several quizzes, each in its own Moodle category under the plan's."""
    snapshots, title = carriable(snapshots), carriable(title)
    parts = [f"// {one_line(title)}"]
    for snapshot in snapshots:
        parts.append(f"$CATEGORY: {gift_category(title)}/{gift_category(snapshot['title'])}")
        parts.append(quiz_to_gift(snapshot, base_url).rstrip("\n"))
    return "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------- QTI 2.1

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
# Every tag `core.markdown` lets through exists in QTI's XHTML subset (tests/lessons/test_exports.py checks);
# their attributes mostly do not.
QTI_HTML_TAGS = FIELD_TAGS


def q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def ncname(text: str) -> str:
    """A valid XML NCName (QTI identifiers, CP resource ids): slugs may start with a digit."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "-", text)
    return name if re.match(r"[A-Za-z_]", name) else f"_{name}"


def sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, q(tag), {k: str(v) for k, v in attributes.items()})
    element.text = text
    return element


def qti_root(tag: str, **attributes):
    root = etree.Element(q(tag), nsmap={None: QTI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")
    for key, value in attributes.items():
        root.set(key, str(value))
    return root


def append_html(parent, html: str) -> None:
    """Our sanitised HTML inside a QTI `div`: known tags in QTI's namespace, other tags unwrapped,
    attributes dropped except a link's href (QTI allows neither rel nor title there)."""
    root = lxml.html.fragment_fromstring(html or "", create_parent="div")
    for element in list(root.iterdescendants()):
        if not isinstance(element.tag, str):
            element.drop_tree()  # a comment or processing instruction
        elif element.tag == "a" and not element.get("href"):
            element.tag = "span"  # QTI requires href on a link
    etree.strip_tags(root, *{el.tag for el in root.iterdescendants() if el.tag not in QTI_HTML_TAGS})
    for element in root.iterdescendants():
        href = element.get("href") if element.tag == "a" else None
        element.attrib.clear()
        if href:
            element.set("href", href)
        element.tag = q(element.tag)
    div = sub(parent, "div")
    div.text = root.text
    div.extend(list(root))


class QtiItemWriter:
    """What a question kind writes its part of an assessmentItem with (`QuestionKind.write_qti`):
    the response declaration, the interaction in the item body and the response processing.
    The kinds name QTI elements; only this module handles XML."""

    def __init__(self, item, body):
        self.item, self.body = item, body

    def element(self, parent, tag: str, text: str | None = None, **attributes):
        return sub(parent, tag, text, **attributes)

    def declare_response(self, cardinality: str, base_type: str, correct: list[str]):
        declaration = etree.Element(
            q("responseDeclaration"), identifier="RESPONSE", cardinality=cardinality, baseType=base_type
        )
        self.item.insert(0, declaration)  # QTI wants the response declared before the outcomes
        if correct:  # QTI wants at least one value in a correctResponse
            answer = sub(declaration, "correctResponse")
            for value in correct:
                sub(answer, "value", value)
        return declaration

    def choice_interaction(self, options: list[tuple[str, str, bool]], max_choices: int, prompt: str = ""):
        """(identifier, text, right) for each choice."""
        interaction = sub(
            self.body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="false", maxChoices=max_choices
        )
        if prompt:
            sub(interaction, "prompt", prompt)
        for ident, text, _ in options:
            sub(interaction, "simpleChoice", text, identifier=ident)
        return interaction

    def processing_template(self, name: str):
        return sub(self.item, "responseProcessing", template=TEMPLATES + name)

    def processing(self):
        """An empty responseProcessing, for rules no standard template expresses."""
        return sub(self.item, "responseProcessing")


def qti_item(question: dict, identifier: str, title: str, base_url: str):
    """One assessmentItem. SCORE runs from 0 to 1 (the standard templates give 1 for a right answer);
    the question's points are the item's weight in the test."""
    item = qti_root("assessmentItem", identifier=identifier, title=title, adaptive="false", timeDependent="false")
    score = sub(item, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    sub(sub(score, "defaultValue"), "value", "0")
    sub(item, "outcomeDeclaration", identifier="FEEDBACK", cardinality="single", baseType="identifier")
    body = sub(item, "itemBody")
    append_html(body, question["prompt_html"])
    kind_for(question).write_qti(question, QtiItemWriter(item, body))
    # Nothing sets FEEDBACK, so "hide" shows the explanation after every submission.
    feedback = sub(item, "modalFeedback", outcomeIdentifier="FEEDBACK", showHide="hide", identifier="EXPLANATION")
    append_html(feedback, question["explanation_html"])
    if question.get("source_url"):
        link = sub(sub(feedback, "p", "Source: "), "a", question.get("source_label") or "source")
        link.set("href", base_url + question["source_url"])
    return item


def qti_test(snapshot: dict, identifier: str, items: list[tuple[str, str, int]]):
    """One assessmentTest: SCORE is the sum of the items' SCOREs, each weighted by its points."""
    test = qti_root("assessmentTest", identifier=identifier, title=snapshot["title"])
    score = sub(test, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    sub(sub(score, "defaultValue"), "value", "0")
    maximum = sub(test, "outcomeDeclaration", identifier="MAXSCORE", cardinality="single", baseType="float")
    sub(sub(maximum, "defaultValue"), "value", str(sum(points for _, _, points in items)))
    part = sub(test, "testPart", identifier="P1", navigationMode="nonlinear", submissionMode="simultaneous")
    section = sub(part, "assessmentSection", identifier="S1", title=snapshot["title"], visible="true")
    for item_id, href, points in items:
        ref = sub(section, "assessmentItemRef", identifier=item_id, href=href)
        sub(ref, "weight", identifier="POINTS", value=str(points))
    processing = sub(test, "outcomeProcessing")
    total = sub(sub(processing, "setOutcomeValue", identifier="SCORE"), "sum")
    sub(total, "testVariables", variableIdentifier="SCORE", weightIdentifier="POINTS")
    return test


def manifest(resources: list[tuple[str, str, str, list[str]]]):
    """imsmanifest.xml in the QTI 2.1 profile of IMS CP 1.2: one resource per file, tests depending on items."""
    root = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "xsi": XSI}, identifier="MANIFEST")
    root.set(f"{{{XSI}}}schemaLocation", f"{CP} {CP_XSD}")
    metadata = etree.SubElement(root, f"{{{CP}}}metadata")
    etree.SubElement(metadata, f"{{{CP}}}schema").text = "QTIv2.1 Package"
    etree.SubElement(metadata, f"{{{CP}}}schemaversion").text = "1.0.0"
    etree.SubElement(root, f"{{{CP}}}organizations")
    listing = etree.SubElement(root, f"{{{CP}}}resources")
    for identifier, kind, href, dependencies in resources:
        resource = etree.SubElement(listing, f"{{{CP}}}resource", identifier=identifier, type=kind, href=href)
        etree.SubElement(resource, f"{{{CP}}}file", href=href)
        for dependency in dependencies:
            etree.SubElement(resource, f"{{{CP}}}dependency", identifierref=dependency)
    return root


def xml_bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def quizzes_to_qti_zip(snapshots: list[dict], base_url: str = "") -> bytes:
    """An IMS QTI 2.1 content package: an item file per question, a test file per quiz, and the manifest.

    Files lie flat at the root of the zip (item `quiz-<slug>-q<n>.xml`, test `quiz-<slug>.xml`), so no
    href needs `..`. Short answers are matched case-insensitively, but not with our looser matching
    (accents and punctuation ignored): an LMS may accept fewer spellings than this site.
    """
    snapshots, base_url = carriable(snapshots), carriable(base_url)
    buffer, resources = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for snapshot in snapshots:
            test_id = ncname(f"quiz-{snapshot['quiz_slug']}")
            refs = []
            for question in snapshot["questions"]:
                item_id = f"{test_id}-q{question['position']}"
                title = f"{snapshot['title']}, question {question['position']}"
                package.writestr(f"{item_id}.xml", xml_bytes(qti_item(question, item_id, title, base_url)))
                resources.append((item_id, "imsqti_item_xmlv2p1", f"{item_id}.xml", []))
                refs.append((item_id, f"{item_id}.xml", question["points"]))
            package.writestr(f"{test_id}.xml", xml_bytes(qti_test(snapshot, test_id, refs)))
            resources.append((test_id, "imsqti_test_xmlv2p1", f"{test_id}.xml", [ref[0] for ref in refs]))
        package.writestr("imsmanifest.xml", xml_bytes(manifest(resources)))
    return buffer.getvalue()
