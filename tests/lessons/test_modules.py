"""Lesson modules and the shipped lessons: what a teacher and a student see."""

import pytest
from django.utils.html import escape

from lessons.models import LessonModulePage, Quiz

pytestmark = pytest.mark.django_db


def test_lessons_index_lists_the_four_shipped_modules(client, content):
    page = client.get("/lessons/").content.decode()
    modules = LessonModulePage.objects.live()
    assert modules.count() >= 4
    for module in modules:
        assert module.url in page and escape(module.summary[:40]) in page


def test_a_module_shows_frame_blocks_excerpts_and_its_quiz(client, content):
    module = LessonModulePage.objects.get(slug="judging-seriousness")
    page = client.get(module.url).content.decode()
    assert "Essential question" in page and escape(module.essential_question) in page
    for objective in module.objective_list:
        assert escape(objective) in page
    assert "From the source: FRUS 1977–1980, vol. XXVI, doc. 293, ¶ 2" in page
    assert 'href="/documents/frus1977-80v26-d293/#p-2"' in page  # the excerpt links to its place in the reading
    assert 'class="gloss' in page and "popover" in page  # glossary links with their popovers
    assert "Activity:" in page and 'class="quiz-form"' in page
    assert "no longer matches" not in page


def test_every_shipped_excerpt_and_quiz_question_still_matches_its_source(client, content):
    for module in LessonModulePage.objects.live():
        assert "no longer matches" not in client.get(module.url).content.decode(), module.slug
    from lessons.snapshots import quiz_snapshot

    for quiz in Quiz.objects.filter(live=True):
        snapshot = quiz_snapshot(quiz)
        assert snapshot["left_out"] == 0, quiz.slug
        assert len(snapshot["questions"]) >= 6
        assert len({q["kind"] for q in snapshot["questions"]}) >= 4
        assert all(q["source_url"].startswith("/documents/") for q in snapshot["questions"])


def test_an_excerpt_whose_passage_was_removed_says_so_instead_of_breaking(client, content):
    module = LessonModulePage.objects.get(slug="judging-seriousness")
    document = module.related_documents.first()
    document.transcription = document.transcription.replace("Our net assessment is this:", "Our view:")
    document.transcription = document.transcription.replace(
        "We cannot draw positive conclusions from this round", "Nothing positive can be said"
    )
    document.save_revision().publish()
    response = client.get(module.url)
    assert response.status_code == 200
    assert "This excerpt no longer matches the document" in response.content.decode()


def test_each_document_lists_the_modules_that_use_it(client, doc285, doc293):
    page = client.get(doc285.url).content.decode()
    assert "Lessons using this document" in page
    assert LessonModulePage.objects.get(slug="why-restraint").url in page
    assert LessonModulePage.objects.get(slug="judging-seriousness").url not in page


def test_module_pages_with_a_quiz_are_never_cached_for_everyone(client, content, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 600
    module = LessonModulePage.objects.get(slug="why-restraint")
    first = client.get(module.url)
    second = client.get(module.url)
    assert not getattr(first, "cache_for_anonymous", False)  # the view itself declines, cookie or not
    assert not second.has_header("X-Page-Cache")
    text_only = LessonModulePage.objects.exclude(pk=module.pk).first()
    text_only.body = [(b.block_type, b.value) for b in text_only.body if b.block_type != "quiz"]
    text_only.save_revision().publish()
    assert getattr(client.get(text_only.url), "cache_for_anonymous", False)
    token = 'name="token" value="'
    assert first.content.decode().split(token)[1][:36] != second.content.decode().split(token)[1][:36]
