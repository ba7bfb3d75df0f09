"""Corrections in the content files reach a database loaded before, never over an editor's change (core/shipped.py).

A database loaded before the mechanism existed has no `ShippedContent` record: it is simulated by deleting the
records and putting back the text an item shipped with before the historian's corrections (commit 0031e6f).
"""

import io
import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry

from core.models import ShippedContent
from core.shipped import CONTENT_UPDATE, digest, read_superseded
from documents import content as documents_content
from documents.models import Annotation, DocumentIndexPage, GlossaryTerm, Person, SourceDocumentPage, TimelineEvent
from lessons import content as lessons_content
from lessons.models import LessonModulePage, Quiz

pytestmark = pytest.mark.django_db

# As shipped before the corrections (git show 0031e6f^:documents/content/…).
OLD_CONSULTATIONS = (
    "Meetings to exchange views and information, without any promise to reach an agreement. In 1977–78 the Soviets "
    "preferred this word for the CAT talks; the heading of the US Non-Paper and the title of the May 1978 joint "
    'communiqué both use it. The difference from "negotiations" was deliberate and politically important.'
)
HORN_QUOTE = "our respective supply of arms to opposing sides in local conflicts led to tensions in our own relations"
OLD_HORN = (
    "The Non-Paper tactfully names no cases, but readers in both capitals would have known some. The clearest was "
    "the Arab–Israeli war of October 1973: the US rushed weapons to Israel and the USSR to Egypt and Syria, and at "
    "the height of the crisis US forces were put on a higher nuclear alert.\n\n"
    "A more recent case, the war in the Horn of Africa, comes up in the 1978 report (doc. 293 ¶ 7)."
)


def load() -> str:
    out = io.StringIO()
    call_command("load_content", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def horn_note() -> Annotation:
    return Annotation.objects.get(quote_exact=HORN_QUOTE, document__slug="frus1977-80v26-d285")


def test_a_database_loaded_before_gets_the_corrections_to_what_nobody_changed(content, committed, client):
    ShippedContent.objects.all().delete()  # loaded before load_content remembered what it loaded
    GlossaryTerm.objects.filter(slug="consultations").update(definition=OLD_CONSULTATIONS)
    note = horn_note()
    Annotation.objects.filter(pk=note.pk).update(body=OLD_HORN)
    revisions = note.revisions.count()

    with committed():  # publishing re-anchors the note when the transaction commits
        out = load()

    assert "Updated term:consultations to the shipped correction." in out
    assert "scheduled round of negotiations" in GlossaryTerm.objects.get(slug="consultations").definition
    note.refresh_from_db()
    assert "did not arm Somalia" in note.body
    assert note.revisions.count() == revisions + 1  # a revision, published: history shows the content update
    assert ModelLogEntry.objects.filter(object_id=str(note.pk), action=CONTENT_UPDATE).exists()
    assert note.anchor_status == "anchored" and note.quote_exact == HORN_QUOTE  # the corrected note still anchors
    page = client.get(note.document.url).content.decode()
    assert "did not arm Somalia" in page and "A more recent case, the war in the Horn" not in page
    assert "Content loaded: 2 corrected." in out


def test_an_item_changed_by_an_editor_is_kept_and_the_correction_reported_once(content, admin_client):
    ShippedContent.objects.all().delete()
    GlossaryTerm.objects.filter(slug="delegation").update(definition="An editor's own definition of a delegation.")

    out = load()

    assert GlossaryTerm.objects.get(slug="delegation").definition == "An editor's own definition of a delegation."
    line = next(line for line in out.splitlines() if "term:delegation" in line)
    assert line.startswith("Kept the editor's version of term:delegation; the shipped correction is: definition = ")
    assert "Joint Chiefs" in line  # the correction, cut short on the line
    assert "CIA" in ShippedContent.objects.get(key="term:delegation").kept  # what the admin lists
    assert "term:delegation" not in load()  # said once: the next run is quiet
    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Shipped corrections not applied" in dashboard and "term:delegation" in dashboard


def test_a_changed_shipped_version_reaches_an_untouched_quiz_and_module_through_revisions(content, admin_client):
    """A database that remembers what it loaded: the item still equals that, the content files now differ."""
    quiz = Quiz.objects.get(slug="seriousness-quiz")
    question = quiz.questions.get(prompt__startswith="Which point in the joint communiqué")
    question.explanation = "All four wrong choices are also in the communiqué."
    question.save()
    module = LessonModulePage.objects.get(slug="judging-seriousness")
    raw = [dict(block) for block in module.body.raw_data]
    first_text = next(block for block in raw if block["type"] == "text")
    first_text["value"] = {**first_text["value"], "body": "An older text of this section."}
    module.body = json.dumps(raw)
    module.save(update_fields=["body"])  # the live row, as a load of that older version left it
    module = LessonModulePage.objects.get(pk=module.pk)
    # "This is what was shipped then", as the records say.
    ShippedContent.objects.filter(key="quiz:seriousness-quiz").update(digest=digest(lessons_content.quiz_now(quiz)))
    ShippedContent.objects.filter(key=f"module:{module.slug}").update(digest=digest(lessons_content.module_now(module)))
    page_revisions = module.revisions.count()

    out = load()

    assert "Updated quiz:seriousness-quiz" in out and f"Updated module:{module.slug}" in out
    question.refresh_from_db()  # the same question, so students' answers stay linked to it
    assert question.explanation.startswith("All three wrong choices")
    assert ModelLogEntry.objects.filter(object_id=str(quiz.pk), action=CONTENT_UPDATE).exists()
    module = LessonModulePage.objects.get(pk=module.pk)
    assert "An older text" not in str(module.body.raw_data)
    assert module.revisions.count() == page_revisions + 1
    assert PageLogEntry.objects.filter(page=module, action=CONTENT_UPDATE).exists()
    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[module.pk])).content.decode()
    assert "Content update" in history


def test_an_editors_draft_holds_the_correction_back(content):
    ShippedContent.objects.all().delete()
    note = horn_note()
    Annotation.objects.filter(pk=note.pk).update(body=OLD_HORN)
    note.refresh_from_db()
    note.body = "An editor's draft."
    note.save_revision()  # not published

    out = load()

    note.refresh_from_db()
    assert note.body == OLD_HORN and note.has_unpublished_changes
    assert "(an editor's draft is waiting); the shipped correction is: body = " in out
    assert "draft is waiting" in load()  # said again while the hold lasts: it still is untouched

    note.latest_revision.delete()  # the draft given up: the live note is as shipped long ago
    Annotation.objects.filter(pk=note.pk).update(has_unpublished_changes=False)
    assert f"Updated annotation:{note.w3c_id.removeprefix(documents_content.CONTENT_KEY)}" in load()


def test_loading_again_changes_nothing(content):
    ShippedContent.objects.all().delete()
    GlossaryTerm.objects.filter(slug="consultations").update(definition=OLD_CONSULTATIONS)
    load()
    records = sorted(ShippedContent.objects.values_list("key", "digest", "kept", "updated_at"))
    revisions = Annotation.objects.count(), sum(a.revisions.count() for a in Annotation.objects.all())

    out = load()

    assert out.strip() == "Content loaded: nothing new (edits kept)."
    assert sorted(ShippedContent.objects.values_list("key", "digest", "kept", "updated_at")) == records
    assert (Annotation.objects.count(), sum(a.revisions.count() for a in Annotation.objects.all())) == revisions


def database_fields(key: str, fields: dict) -> dict:
    kind, _, name = key.partition(":")
    if kind == "page":
        return documents_content.page_now(DocumentIndexPage.objects.get(), fields)
    if kind == "document":
        return documents_content.page_now(SourceDocumentPage.objects.get(slug=name), fields)
    if kind in ("term", "person"):
        model = GlossaryTerm if kind == "term" else Person
        return documents_content.row_now(model.objects.get(slug=name), fields)
    if kind == "annotation":
        return documents_content.annotation_now(Annotation.objects.get(w3c_id=documents_content.CONTENT_KEY + name))
    if kind == "event":
        return documents_content.event_now(TimelineEvent.objects.get(slug=name))
    if kind == "quiz":
        return lessons_content.quiz_now(Quiz.objects.get(slug=name))
    return lessons_content.module_now(LessonModulePage.objects.get(slug=name))


def test_every_shipped_item_reads_back_from_the_database_as_shipped(content):
    """Else a fresh site would take its own content for an editor's change (a slug named that does not exist, say)."""
    items = documents_content.shipped_fields() | lessons_content.shipped_fields()
    differing = [key for key, fields in items.items() if digest(database_fields(key, fields)) != digest(fields)]
    assert differing == []
    assert len(items) > 150
    assert set(items) == set(ShippedContent.objects.values_list("key", flat=True))


def test_the_superseded_files_know_the_texts_before_the_corrections():
    earlier = read_superseded(documents_content.CONTENT_DIR / "superseded.toml")
    term = {"term": "consultations", "expansion": "", "category": "concept", "aliases": ["Consultation"]}
    assert digest({**term, "definition": OLD_CONSULTATIONS}) in earlier["term:consultations"]
    for key in ("term:delegation", "person:john-rowe", "person:oleg-khlestov", "document:frus1977-80v26-d293"):
        assert earlier[key], key
    lessons = read_superseded(lessons_content.SUPERSEDED_FILE)
    assert lessons["quiz:seriousness-quiz"]


def test_a_teachers_quiz_at_a_shipped_quizs_address_is_left_alone(content, teachers):
    Quiz.objects.filter(slug="seriousness-quiz").delete()
    mine = Quiz.objects.create(slug="seriousness-quiz", title="My own quiz", owner=teachers[0], live=True)

    out = load()

    mine.refresh_from_db()
    assert (mine.title, mine.owner_id, mine.questions.count()) == ("My own quiz", teachers[0].pk, 0)
    assert "seriousness-quiz" not in out


def test_the_superseded_files_are_up_to_date_with_git_history():
    """After a change to shipped content is committed (or merged), `manage.py superseded_content` must be run."""
    from arms_talks_site.management.commands.superseded_content import APPS, earlier_versions, git

    try:
        shallow = git(Path(settings.BASE_DIR), "rev-parse", "--is-shallow-repository").strip() == "true"
    except (OSError, subprocess.CalledProcessError):
        shallow = True
    if shallow:
        pytest.skip("needs the repository's full git history")
    for folder, (read, here) in APPS.items():
        written = read_superseded(here / "superseded.toml")
        assert earlier_versions(folder, read, here) == written, f"run manage.py superseded_content ({folder})"


OLD_UN_SENTENCE = (
    'Notes 6 and 7 print two United Nations addresses with a doubled colon ("http:://"); they are\n'
    "shown as printed, and the links go to the corrected addresses.\n"
)


def test_a_document_loaded_before_gets_its_corrected_edition_note_through_a_page_revision(doc293, client, admin_client):
    ShippedContent.objects.all().delete()
    note = doc293.edition_note
    old = note[: note.index("Notes 6 and 7 give")] + OLD_UN_SENTENCE
    SourceDocumentPage.objects.filter(pk=doc293.pk).update(edition_note=old)  # as loaded before 0031e6f
    revisions = doc293.revisions.count()

    assert "Updated document:frus1977-80v26-d293 to the shipped correction." in load()

    doc293.refresh_from_db()
    assert doc293.edition_note == note and doc293.revisions.count() == revisions + 1
    assert "not a United Nations site" in client.get(doc293.url).content.decode()
    history = admin_client.get(reverse("wagtailadmin_pages:history", args=[doc293.pk])).content.decode()
    assert "Content update" in history
