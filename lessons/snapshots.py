"""What a student is asked: a quiz turned into plain data, with its answer key kept apart.

`quiz_snapshot` is stored with every attempt, so that a later edit of the quiz changes no past
result. `public_questions` is the same without the key: the only part that reaches the form.
`cached_snapshot` is what the quiz page and each submission use: built once per quiz revision.
"""

import hashlib
import json

from django.core.cache import cache

from core.markdown import render_markdown
from core.page_cache import content_version
from documents.anchoring import find_passage
from documents.rendering import citable_label, rendered_document
from lessons.question_kinds import kind_for


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
    fields = kind_for(question).snapshot_fields(question, lambda document: reading(document, readings).text)
    if fields is None:
        data["broken"] = True  # cannot be asked as it stands: left out rather than failing the whole quiz
    else:
        data.update(fields)
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


SNAPSHOT_SECONDS = 24 * 60 * 60  # keys of old revisions are never asked again: let them go within a day


def snapshot_key(quiz) -> str:
    """Changes when the quiz is published again (its live revision and `updated_at`) and when any content is
    (`content_version`: a document's text under an excerpt or a source link may have moved)."""
    return f"quiz-snapshot:{quiz.pk}:{quiz.live_revision_id}:{quiz.updated_at.timestamp()}:{content_version()}"


def cached_snapshot(quiz) -> dict:
    """`quiz_snapshot`, built once per revision and kept in the shared cache (Redis with REDIS_URL): building it
    reads every question, choice and source document, several times the cost of scoring a submission."""
    key = snapshot_key(quiz)
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = quiz_snapshot(quiz)
        cache.set(key, snapshot, SNAPSHOT_SECONDS)
    return snapshot


KEY_FIELDS = {"explanation_html", "source_url", "source_label"}  # and each kind's own `key_fields`


def public_questions(snapshot: dict) -> list[dict]:
    """The questions without anything that would give an answer away."""
    public = []
    for question in snapshot["questions"]:
        shown = {k: v for k, v in question.items() if k not in KEY_FIELDS}
        public.append(kind_for(question).public(shown))
    return public
