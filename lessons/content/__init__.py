"""Load the lesson modules and quizzes that ship with the project (lessons.toml).

Like the rest of `load_content`: creates what does not exist yet (by slug); brings what exists up to its shipped
version only if nobody changed it since it was loaded (`core/shipped.py`), through a published revision.
"""

import json
import tomllib
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from core.shipped import CONTENT_UPDATE, Reconciler, held, read_superseded
from documents.models import GlossaryTerm, SourceDocumentPage
from documents.roles import grant_section_page_permissions
from lessons.models import Choice, LessonIndexPage, LessonModulePage, LessonPlanIndexPage, Question, Quiz
from lessons.roles import grant_teacher_page_permissions

LESSONS_FILE = Path(__file__).resolve().parent / "lessons.toml"
SUPERSEDED_FILE = LESSONS_FILE.with_name("superseded.toml")


def load_lessons(home, corrections=print) -> list[str]:
    if not LESSONS_FILE.exists():
        return []
    content = tomllib.loads(LESSONS_FILE.read_text())
    shipped = Reconciler(read_superseded(SUPERSEDED_FILE), corrections)
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
        key, fields = f"quiz:{spec['slug']}", quiz_fields(spec)
        if (quiz := Quiz.objects.filter(slug=spec["slug"]).first()) is not None:
            if quiz.owner_id is not None:
                continue  # a teacher's quiz took the address: it is theirs
            update = partial(publish_quiz, quiz, fields, documents)
            if shipped.sync(key, fields, quiz_now(quiz), update, held(quiz)):
                created.append(f"corrected {key}")
            continue
        quiz = Quiz(slug=spec["slug"], live=False)
        fill_quiz(quiz, fields, documents)
        quiz.save()
        quiz.save_revision().publish()
        shipped.created(key, fields)
        created.append(f"quiz {spec['slug']}")
    terms = {t.slug: t.pk for t in GlossaryTerm.objects.all()}
    quizzes = {q.slug: q.pk for q in Quiz.objects.all()}
    for spec in content.get("module", []):
        key, fields = f"module:{spec['slug']}", module_fields(spec)
        if (module := LessonModulePage.objects.filter(slug=spec["slug"]).first()) is not None:
            update = partial(publish_module, module, fields, documents, terms, quizzes)
            if shipped.sync(key, fields, module_now(module), update, held(module)):
                created.append(f"corrected {key}")
            continue
        module = LessonModulePage(slug=spec["slug"])
        fill_module(module, fields, documents, terms, quizzes)
        index.add_child(instance=module)
        module.save_revision().publish()
        shipped.created(key, fields)
        created.append(f"module {spec['slug']}")
    return created


def shipped_fields(path=LESSONS_FILE) -> dict[str, dict]:
    """Every shipped quiz and module by key, as `core.shipped` compares them: for `superseded_content`."""
    content = tomllib.loads(path.read_text()) if path.exists() else {}
    items = {f"quiz:{spec['slug']}": quiz_fields(spec) for spec in content.get("quiz", [])}
    return items | {f"module:{spec['slug']}": module_fields(spec) for spec in content.get("module", [])}


# Quizzes and modules as plain data (slugs for documents, terms and quizzes), from lessons.toml and from the
# database, in the same form (`core/shipped.py`).


def quiz_fields(spec: dict) -> dict:
    return {
        "title": spec["title"],
        "intro": spec.get("intro", "").strip(),
        "questions": [question_fields(item) for item in spec.get("question", [])],
    }


def question_fields(item: dict) -> dict:
    return {
        "kind": item["kind"],
        "prompt": item["prompt"].strip(),
        "points": item.get("points", 1),
        "explanation": item["explanation"].strip(),
        "source_document": item.get("source_document"),
        "source_quote": item.get("source_quote", ""),
        "excerpt_quote": item.get("excerpt", ""),
        "target_quote": item.get("target", ""),
        "accepted_answers": "\n".join(item.get("accepted", [])),
        "true_false_answer": item.get("answer") if item["kind"] == "truefalse" else None,
        "choices": [[c["text"], c.get("correct", False)] for c in item.get("choices", [])],
    }


def quiz_now(quiz: Quiz) -> dict:
    questions = quiz.questions.select_related("source_document").prefetch_related("choices")
    return {
        "title": quiz.title,
        "intro": quiz.intro,
        "questions": [
            {
                "kind": q.kind,
                "prompt": q.prompt,
                "points": q.points,
                "explanation": q.explanation,
                "source_document": q.source_document.slug if q.source_document else None,
                "source_quote": q.source_quote,
                "excerpt_quote": q.excerpt_quote,
                "target_quote": q.target_quote,
                "accepted_answers": q.accepted_answers,
                "true_false_answer": q.true_false_answer,
                "choices": [[c.text, c.correct] for c in q.choices.all()],
            }
            for q in questions
        ],
    }


def fill_quiz(quiz: Quiz, fields: dict, documents) -> None:
    """Set the shipped version; questions and choices keep their ids by position (answers stay linked)."""
    quiz.title, quiz.intro = fields["title"], fields["intro"]
    old = list(quiz.questions.all()) if quiz.pk else []
    questions = []
    for order, item in enumerate(fields["questions"]):
        values = {k: v for k, v in item.items() if k not in ("choices", "source_document")}
        question = Question(
            pk=old[order].pk if order < len(old) else None,
            sort_order=order,
            source_document=documents.get(item["source_document"]),
            **values,
        )
        old_choices = list(old[order].choices.all()) if order < len(old) else []
        question.choices = [
            Choice(pk=old_choices[n].pk if n < len(old_choices) else None, sort_order=n, text=text, correct=correct)
            for n, (text, correct) in enumerate(item["choices"])
        ]
        questions.append(question)
    quiz.questions = questions


def publish_quiz(quiz: Quiz, fields: dict, documents) -> None:
    fill_quiz(quiz, fields, documents)
    quiz.save_revision(log_action=CONTENT_UPDATE).publish()


def module_fields(spec: dict) -> dict:
    return {
        "title": spec["title"],
        "summary": spec["summary"].strip(),
        "level": spec.get("level", "grades-11-12"),
        "duration": spec.get("duration", 50),
        "objectives": "\n".join(spec.get("objectives", [])),
        "essential_question": spec["essential_question"],
        "documents": sorted(spec.get("documents", [])),
        "body": [block_fields(b) for b in spec.get("block", [])],
    }


def module_now(module: LessonModulePage) -> dict:
    return {
        "title": module.title,
        "summary": module.summary,
        "level": module.level,
        "duration": module.duration,
        "objectives": module.objectives,
        "essential_question": module.essential_question,
        "documents": sorted(d.slug for d in module.related_documents.all()),
        "body": [{"type": child.block_type, "value": plain(child.value)} for child in module.body],
    }


def plain(value):
    """A block's value as plain data: chosen pages and snippets by slug."""
    if isinstance(value, str | int | None):
        return value
    if hasattr(value, "slug"):
        return value.slug
    if isinstance(value, Mapping):  # a StructValue
        return {k: plain(v) for k, v in value.items()}
    return [plain(v) for v in value]  # a ListValue


def fill_module(module: LessonModulePage, fields: dict, documents, terms, quizzes) -> None:
    for name in ("title", "summary", "level", "duration", "objectives", "essential_question"):
        setattr(module, name, fields[name])
    module.body = json.dumps([with_ids(block, documents, terms, quizzes) for block in fields["body"]])
    module.related_documents = [documents[s] for s in fields["documents"] if s in documents]


def publish_module(module: LessonModulePage, fields: dict, documents, terms, quizzes) -> None:
    fill_module(module, fields, documents, terms, quizzes)
    module.save_revision(log_action=CONTENT_UPDATE).publish()


def block_fields(spec: dict) -> dict:
    """A block as plain data, documents, terms and quizzes by slug."""
    kind = spec["type"]
    if kind == "text":
        value = {"heading": spec.get("heading", ""), "body": spec["body"].strip()}
    elif kind == "excerpt":
        value = {"document": spec["document"], "quote": spec["quote"], "intro": spec.get("intro", "")}
    elif kind == "discussion":
        value = {"heading": spec.get("heading", "Discuss"), "questions": spec["questions"]}
    elif kind == "glossary":
        value = {"heading": spec.get("heading", "Key terms"), "terms": spec["terms"]}
    elif kind == "activity":
        value = {k: spec[k] for k in ("title", "instructions", "grouping", "minutes")}
    elif kind == "quiz":
        value = {"quiz": spec["quiz"], "note": spec.get("note", "")}
    else:
        raise ValueError(f"unknown block type {kind!r} in lessons.toml")
    return {"type": kind, "value": value}


def with_ids(block: dict, documents, terms, quizzes) -> dict:
    """A block in StreamField's raw JSON form: slugs become ids (a document or quiz not found: none)."""
    value = dict(block["value"])
    if block["type"] == "excerpt":
        document = documents.get(value["document"])
        value["document"] = document.pk if document else None
    elif block["type"] == "glossary":
        value["terms"] = [terms[s] for s in value["terms"] if s in terms]
    elif block["type"] == "quiz":
        value["quiz"] = quizzes.get(value["quiz"])
    return {"type": block["type"], "value": value}
