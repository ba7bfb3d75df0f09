"""Load the lesson modules and quizzes that ship with the project (lessons.toml).

Like the rest of `load_content`: creates what does not exist yet (by slug), never overwrites.
"""

import json
import tomllib
from pathlib import Path

from documents.models import GlossaryTerm, SourceDocumentPage
from documents.roles import grant_section_page_permissions
from lessons.models import Choice, LessonIndexPage, LessonModulePage, LessonPlanIndexPage, Question, Quiz
from lessons.roles import grant_teacher_page_permissions

LESSONS_FILE = Path(__file__).resolve().parent / "lessons.toml"


def load_lessons(home) -> list[str]:
    if not LESSONS_FILE.exists():
        return []
    content = tomllib.loads(LESSONS_FILE.read_text())
    created = []
    index = LessonIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=LessonIndexPage(
                title="Lessons",
                slug="lessons",
                intro="Lesson modules built on the two documents, each with a quiz. Teachers can combine them "
                "into lesson plans.",
            )
        )
        index.save_revision().publish()
        grant_section_page_permissions(index)
        created.append("page lessons")
    plans = LessonPlanIndexPage.objects.child_of(home).first()
    if plans is None:
        plans = home.add_child(
            instance=LessonPlanIndexPage(
                title="Lesson plans",
                slug="plans",
                intro="Plans that teachers have shared. Teachers sign in to make their own.",
            )
        )
        plans.save_revision().publish()
        created.append("page plans")
    grant_teacher_page_permissions(plans)
    documents = {d.slug: d for d in SourceDocumentPage.objects.all()}
    for spec in content.get("quiz", []):
        if not Quiz.objects.filter(slug=spec["slug"]).exists():
            create_quiz(spec, documents)
            created.append(f"quiz {spec['slug']}")
    terms = {t.slug: t.pk for t in GlossaryTerm.objects.all()}
    quizzes = {q.slug: q.pk for q in Quiz.objects.all()}
    for spec in content.get("module", []):
        if LessonModulePage.objects.filter(slug=spec["slug"]).exists():
            continue
        module = LessonModulePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"].strip(),
            level=spec.get("level", "grades-11-12"),
            duration=spec.get("duration", 50),
            objectives="\n".join(spec.get("objectives", [])),
            essential_question=spec["essential_question"],
            body=json.dumps([block_data(b, documents, terms, quizzes) for b in spec.get("block", [])]),
        )
        module.related_documents = [documents[s] for s in spec.get("documents", []) if s in documents]
        index.add_child(instance=module)
        module.save_revision().publish()
        created.append(f"module {spec['slug']}")
    return created


def create_quiz(spec, documents) -> Quiz:
    quiz = Quiz(title=spec["title"], slug=spec["slug"], intro=spec.get("intro", "").strip(), live=False)
    questions = []
    for order, item in enumerate(spec.get("question", [])):
        question = Question(
            sort_order=order,
            kind=item["kind"],
            prompt=item["prompt"].strip(),
            points=item.get("points", 1),
            explanation=item["explanation"].strip(),
            source_document=documents.get(item.get("source_document")),
            source_quote=item.get("source_quote", ""),
            excerpt_quote=item.get("excerpt", ""),
            target_quote=item.get("target", ""),
            accepted_answers="\n".join(item.get("accepted", [])),
            true_false_answer=item.get("answer") if item["kind"] == "truefalse" else None,
        )
        question.choices = [
            Choice(sort_order=n, text=c["text"], correct=c.get("correct", False))
            for n, c in enumerate(item.get("choices", []))
        ]
        questions.append(question)
    quiz.questions = questions
    quiz.save()
    quiz.save_revision().publish()
    return quiz


def block_data(spec: dict, documents, terms, quizzes) -> dict:
    """A block in StreamField's raw JSON form."""
    kind, value = block_value(spec, documents, terms, quizzes)
    return {"type": kind, "value": value}


def block_value(spec: dict, documents, terms, quizzes) -> tuple:
    kind = spec["type"]
    if kind == "text":
        return ("text", {"heading": spec.get("heading", ""), "body": spec["body"].strip()})
    if kind == "excerpt":
        document = documents.get(spec["document"])
        return (
            "excerpt",
            {"document": document.pk if document else None, "quote": spec["quote"], "intro": spec.get("intro", "")},
        )
    if kind == "discussion":
        return ("discussion", {"heading": spec.get("heading", "Discuss"), "questions": spec["questions"]})
    if kind == "glossary":
        return (
            "glossary",
            {"heading": spec.get("heading", "Key terms"), "terms": [terms[s] for s in spec["terms"] if s in terms]},
        )
    if kind == "activity":
        return ("activity", {k: spec[k] for k in ("title", "instructions", "grouping", "minutes")})
    if kind == "quiz":
        return ("quiz", {"quiz": quizzes.get(spec["quiz"]), "note": spec.get("note", "")})
    raise ValueError(f"unknown block type {kind!r} in lessons.toml")
