"""Find the evidence: the student marks the sentence of an excerpt that supports a claim."""

import re

from documents.anchoring import find_passage
from lessons.question_kinds.base import (
    DIGITS,
    BadSubmission,
    ChoiceKind,
    NeedsAttention,
    all_or_nothing,
    register,
)

EVIDENCE_MIN_OVERLAP = 0.5  # intersection over union of the marked passage and the key sentence
EVIDENCE_INSTRUCTION = "Which sentence of the source supports this claim?"
SENTENCE_END = re.compile(r"(?<=[.!?])[”’\")]*\s+")


def sentences(text: str, start: int, end: int) -> list[dict]:
    """The sentences of text[start:end], each with its offsets in the whole text."""
    result, cursor = [], start
    excerpt = text[start:end]
    for match in SENTENCE_END.finditer(excerpt):
        stop = start + match.start() + len(match.group(0).rstrip())
        result.append({"start": cursor, "end": stop, "text": text[cursor:stop]})
        cursor = start + match.end()
    if cursor < end:
        result.append({"start": cursor, "end": end, "text": text[cursor:end]})
    return [s for s in result if s["text"].strip()]


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two [start, end) ranges."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


@register
class FindTheEvidence(ChoiceKind):
    name = "evidence"
    label = "Find the evidence"
    menu_order = 50
    missing_message = "Mark the sentence that supports the claim."
    key_fields = frozenset({"target"})
    export_instruction = EVIDENCE_INSTRUCTION
    sheet_template = "lessons/question_kinds/sheet_evidence.html"

    def model_errors(self, question):
        if not (question.source_document_id and question.excerpt_quote and question.target_quote):
            return {None: "Find the evidence needs a document, an excerpt and the key sentence."}
        if question.target_quote not in question.excerpt_quote:
            return {"target_quote": "The key sentence must be part of the excerpt."}
        return {}

    def snapshot_fields(self, question, text_of):
        document = question.source_document
        text = text_of(document) if document else ""
        excerpt = find_passage(text, question.excerpt_quote)
        target = find_passage(text, question.target_quote)
        if excerpt is None or target is None:
            return None  # the transcription changed under it: the question is left out, not misplaced
        return {
            "excerpt": {"start": excerpt[0], "end": excerpt[1], "sentences": sentences(text, *excerpt)},
            "target": {"start": target[0], "end": target[1], "text": text[target[0] : target[1]]},
        }

    def read(self, question, data, key):
        excerpt = question["excerpt"]
        start, end = data.get(f"{key}-start"), data.get(f"{key}-end")
        if start and end:  # a passage selected with the mouse (JavaScript)
            if not (DIGITS.fullmatch(start) and DIGITS.fullmatch(end)):
                raise BadSubmission("The marked passage is not a pair of positions.")
            start, end = int(start), int(end)
            if not excerpt["start"] <= start < end <= excerpt["end"]:
                raise BadSubmission("The marked passage lies outside the excerpt.")
            return [start, end]
        raw = data.get(key)
        if not raw:
            raise NeedsAttention(self.missing_message)
        if not DIGITS.fullmatch(raw) or int(raw) >= len(excerpt["sentences"]):
            raise BadSubmission("That sentence is not one of the excerpt's sentences.")
        sentence = excerpt["sentences"][int(raw)]
        return [sentence["start"], sentence["end"]]

    def kept_values(self, question, data, key):
        return {
            key: data.get(key, ""),
            f"{key}-start": data.get(f"{key}-start", ""),
            f"{key}-end": data.get(f"{key}-end", ""),
        }

    def score(self, question, answer):
        target = (question["target"]["start"], question["target"]["end"])
        ratio = overlap(tuple(answer), target)
        return all_or_nothing(question, ratio >= EVIDENCE_MIN_OVERLAP, f"Overlap with the key sentence: {ratio:.0%}.")

    def describe(self, question, answer):
        for sentence in question["excerpt"]["sentences"]:
            if sentence["start"] <= answer[0] < sentence["end"]:
                whole = answer == [sentence["start"], sentence["end"]]
                return sentence["text"] if whole else f"(part of) {sentence['text']}"
        return ""

    def describe_key(self, question):
        return f"“{question['target']['text']}”"

    def options(self, question):
        """The excerpt's sentences, the right one being the one the key sentence overlaps most (as scored here)."""
        target = (question["target"]["start"], question["target"]["end"])
        found = question["excerpt"]["sentences"]
        best = max(range(len(found)), key=lambda n: overlap((found[n]["start"], found[n]["end"]), target))
        return [(s["text"], n == best) for n, s in enumerate(found)]
