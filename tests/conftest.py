import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections

from documents.models import GlossaryTerm, Person, SourceDocumentPage


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back database must not meet a page cached before."""
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the project's own content once per test database."""
    with django_db_blocker.unblock():
        call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
        # Tests against a live server need real commits, so the database is emptied after each of them;
        # they get this state (migrations and content) back from a snapshot taken now (serialized rollback).
        # This replaces pytest-django's snapshot, taken before the content was loaded.
        # Set on the class too: once Playwright's event loop runs, tests get other connection objects.
        snapshot = connections["default"].creation.serialize_db_to_string()
        connections["default"]._test_serialized_contents = snapshot
        type(connections["default"])._test_serialized_contents = snapshot


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what waits for the commit (page cache emptied, notes re-anchored) at the end
    of the block, as a real commit would: tests otherwise run inside one transaction that never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def content(db):
    """The site as `make run` loads it (idempotent: a no-op when already loaded)."""
    call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {page.document_number: page for page in SourceDocumentPage.objects.all()}


@pytest.fixture
def doc285(content):
    return content[285]


@pytest.fixture
def doc293(content):
    return content[293]


@pytest.fixture
def make_term(db):
    def make(term, slug=None, **fields):
        fields.setdefault("definition", f"Definition of {term}.")
        return GlossaryTerm.objects.create(term=term, slug=slug or term.lower().replace(" ", "-"), **fields)

    return make


@pytest.fixture
def make_person(db):
    def make(name, slug, aliases, **fields):
        fields.setdefault("role", "An official")
        return Person.objects.create(name=name, slug=slug, aliases=aliases, **fields)

    return make


@pytest.fixture
def annotate(db):
    """Create an annotation on a phrase of a document's canonical text; published unless live=False."""
    from documents.models import Annotation
    from documents.pipeline import canonical_text

    def make(document, phrase, kind="context", live=True, body=None, occurrence=0):
        text = canonical_text(document.transcription)
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(phrase, start + 1)
        annotation = Annotation(document=document, kind=kind, body=body or f"A note on “{phrase}”.", live=False)
        annotation.set_anchor(text, start, start + len(phrase))
        annotation.save()
        revision = annotation.save_revision()
        if live:
            revision.publish()
        annotation.refresh_from_db()
        return annotation

    return make


EVIDENCE_EXCERPT = (
    "They certainly were serious at this round. They came prepared to present their own approach to conventional "
    "arms restraint—one based on “political and legal principles.” They asked fairly sophisticated questions about "
    "the US functional guidelines which revealed serious study of the details of US policy."
)
EVIDENCE_TARGET = (
    "They asked fairly sophisticated questions about the US functional guidelines which revealed serious study of "
    "the details of US policy."
)


@pytest.fixture
def make_quiz(db):
    """A published quiz on doc. 293 with one question of every kind, in this order:
    single, multiple, true/false, short answer, find the evidence."""
    from lessons.models import Choice, Question, Quiz

    def make(document, slug="helsinki-check", publish=True):
        quiz = Quiz(title="Helsinki check", slug=slug, intro="Five questions.", live=False)
        single = Question(
            sort_order=0,
            kind="single",
            prompt="Where did the second round take place?",
            explanation="In Helsinki (¶ 1).",
            source_document=document,
            source_quote="which took place in Helsinki from May 4 to 8",
        )
        single.choices = [Choice(text="Helsinki", correct=True), Choice(text="Geneva"), Choice(text="Moscow")]
        multiple = Question(
            sort_order=1,
            kind="multiple",
            prompt="Which did the Soviets agree to?",
            explanation="See ¶ 8.",
            source_document=document,
            source_quote="that the talks would continue on a “regularly scheduled” basis",
        )
        multiple.choices = [
            Choice(text="The subject was urgent", correct=True),
            Choice(text="Talks would continue regularly", correct=True),
            Choice(text="A ceiling on all arms sales"),
            Choice(text="Formal negotiations"),
        ]
        truefalse = Question(
            sort_order=2,
            kind="truefalse",
            prompt="The Soviets avoided polemics as a rule.",
            true_false_answer=True,
            explanation="True (¶ 7).",
            source_document=document,
            source_quote="The Soviets avoided polemics as a rule.",
        )
        short = Question(
            sort_order=3,
            kind="short",
            prompt="Which committee should meet soon (spell it out)?",
            accepted_answers="Special Coordination Committee\nSCC",
            explanation="The SCC (¶ 16).",
            source_document=document,
            source_quote="that an SCC meeting be held soon",
        )
        evidence = Question(
            sort_order=4,
            kind="evidence",
            prompt="Claim: the Soviets had studied US policy.",
            explanation="The questions showed study (¶ 6).",
            source_document=document,
            excerpt_quote=EVIDENCE_EXCERPT,
            target_quote=EVIDENCE_TARGET,
        )
        quiz.questions = [single, multiple, truefalse, short, evidence]
        quiz.save()
        if publish:
            quiz.save_revision().publish()
            quiz.refresh_from_db()
        return quiz

    return make


@pytest.fixture
def teachers(db, content):
    """Two teachers in the Teachers group."""
    from django.contrib.auth.models import Group, User

    group = Group.objects.get(name="Teachers")
    made = []
    for name in ("teacher_a", "teacher_b"):
        user = User.objects.create_user(name, f"{name}@school.example", "pw-Teach3r!", is_staff=True)
        user.groups.add(group)
        made.append(user)
    return made


@pytest.fixture
def make_plan(db, content):
    """A published lesson plan owned by `owner`: a module, a quiz, an agenda item, each with a teacher note."""
    import json

    from lessons.models import LessonModulePage, LessonPlanIndexPage, LessonPlanPage, Quiz

    def make(owner, title="Helsinki in 50 minutes", quiz=None, public=False):
        module = LessonModulePage.objects.get(slug="judging-seriousness")
        quiz = quiz or Quiz.objects.get(slug="seriousness-quiz")
        body = [
            {
                "type": "agenda",
                "value": {
                    "title": "Warm-up: what makes a promise believable?",
                    "minutes": 5,
                    "instructions": "Think, pair, share.",
                    "teacher_note": "NOTE-WARMUP",
                },
            },
            {"type": "module", "value": {"module": module.pk, "minutes": None, "teacher_note": "NOTE-MODULE"}},
            {
                "type": "excerpt",
                "value": {
                    "document": module.related_documents.first().pk,
                    "quote": "The tone throughout was constructive.",
                    "minutes": 5,
                    "teacher_note": "NOTE-EXCERPT",
                },
            },
            {"type": "quiz", "value": {"quiz": quiz.pk, "minutes": 10, "teacher_note": "NOTE-QUIZ"}},
        ]
        index = LessonPlanIndexPage.objects.get()
        plan = LessonPlanPage(title=title, class_level="11B History", body=json.dumps(body), owner=owner, public=public)
        index.add_child(instance=plan)
        plan.save_revision(user=owner).publish()
        plan.refresh_from_db()
        return plan

    return make
