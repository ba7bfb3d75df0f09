"""What a student is asked: a quiz turned into plain data, with its answer key kept apart.

`quiz_snapshot` is stored with every attempt, so that a later edit of the quiz changes no past
result. `public_questions` is the same without the key: the only part that reaches the form.
"""

import hashlib
import json
import re

from core.markdown import render_markdown
from documents.anchoring import find_passage
from documents.rendering import citable_label, rendered_document

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


def source_link(document, quote: str, readings: dict) -> tuple[str, str]:
    """A link to the paragraph the question rests on, and its label (e.g. "doc. 293, ¶ 6")."""
    if document is None:
        return "", ""
    rendered = reading(document, readings)
    span = find_passage(rendered.text, quote)
    if span is None:
        return document.url, f"doc. {document.document_number}"
    block = next((b for b in rendered.blocks if b.start <= span[0] < b.end), None)
    if block is None:
        return document.url, f"doc. {document.document_number}"
    return f"{document.url}#{block.anchor}", f"doc. {document.document_number}, {citable_label(block.place)}"


def reading(document, readings: dict):
    """The rendered document, fetched once per snapshot however many questions rest on it."""
    if document.pk not in readings:
        readings[document.pk] = rendered_document(document)
    return readings[document.pk]


def question_snapshot(question, position: int, readings: dict) -> dict:
    url, label = source_link(question.source_document, question.source_quote or question.target_quote, readings)
    data = {
        "id": question.pk,
        "position": position,
        "kind": question.kind,
        "prompt_html": str(render_markdown(question.prompt)),
        "points": question.points,
        "explanation_html": str(render_markdown(question.explanation)),
        "source_url": url,
        "source_label": label,
    }
    if question.kind in ("single", "multiple"):
        data["choices"] = [{"id": c.pk, "text": c.text, "correct": c.correct} for c in question.choices.all()]
        right = sum(c["correct"] for c in data["choices"])
        if right == 0 or (question.kind == "single" and right > 1):
            data["broken"] = True  # cannot be scored: left out rather than failing the whole quiz
    elif question.kind == "truefalse":
        data["answer"] = bool(question.true_false_answer)
    elif question.kind == "short":
        data["accepted"] = [line.strip() for line in question.accepted_answers.splitlines() if line.strip()]
    elif question.kind == "evidence":
        document = question.source_document
        text = reading(document, readings).text if document else ""
        excerpt = find_passage(text, question.excerpt_quote)
        target = find_passage(text, question.target_quote)
        if excerpt is None or target is None:
            data["broken"] = True  # the transcription changed under it: the question is left out, not misplaced
        else:
            data["excerpt"] = {"start": excerpt[0], "end": excerpt[1], "sentences": sentences(text, *excerpt)}
            data["target"] = {"start": target[0], "end": target[1], "text": text[target[0] : target[1]]}
    return data


def quiz_snapshot(quiz) -> dict:
    questions = quiz.questions.all().select_related("source_document").prefetch_related("choices")
    readings: dict = {}
    snapshot = [question_snapshot(q, n, readings) for n, q in enumerate(questions, start=1)]
    usable = [q for q in snapshot if not q.get("broken")]
    for position, question in enumerate(usable, start=1):
        question["position"] = position
    return {
        "quiz_id": quiz.pk,
        "quiz_slug": quiz.slug,
        "title": quiz.title,
        "questions": usable,
        "left_out": len(snapshot) - len(usable),
        # what the form showed, hashed: changes when the quiz or the text under an excerpt changes
        "version": hashlib.sha256(
            json.dumps(public_questions({"questions": usable}), sort_keys=True).encode()
        ).hexdigest()[:16],
    }


KEY_FIELDS = {"explanation_html", "source_url", "source_label", "answer", "accepted", "target"}


def public_questions(snapshot: dict) -> list[dict]:
    """The questions without anything that would give an answer away."""
    public = []
    for question in snapshot["questions"]:
        shown = {k: v for k, v in question.items() if k not in KEY_FIELDS}
        if "choices" in shown:
            shown["choices"] = [{"id": c["id"], "text": c["text"]} for c in shown["choices"]]
        public.append(shown)
    return public
