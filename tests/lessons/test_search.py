"""What lessons offer to site search: a module is found by what its blocks say, as a student reads it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import LessonIndexPage, LessonModulePage, Quiz

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def make_module(content, make_term):
    index = LessonIndexPage.objects.get()
    quiz = Quiz.objects.filter(live=True).first()
    term = make_term("Zyzzyva", slug="zyzzyva", expansion="A tropical weevil")

    def make(slug, words="The **quokka** signal, as [Gelb](https://example.org) put it."):
        module = LessonModulePage(
            title=f"Module {slug}",
            slug=slug,
            summary="Two sentences.",
            objectives="Read a telegram.",
            essential_question="What did each side want?",
            body=[
                ("text", {"heading": "Context", "body": words}),
                ("discussion", {"heading": "Discuss", "questions": ["Why did the *wallaby* wait?"]}),
                ("glossary", {"heading": "Key terms", "terms": [term]}),
                ("activity", {"title": "Sort", "instructions": "In pairs, _sort_ them.", "minutes": 15}),
                ("quiz", {"quiz": quiz, "note": "Check your reading"}),
            ],
        )
        index.add_child(instance=module)
        module.save_revision().publish()
        return module

    make.quiz = quiz
    return make


def test_the_body_is_searchable_as_a_student_reads_it(make_module):
    module = make_module("plain")
    content = module.body.stream_block.get_searchable_content(module.body)
    assert "The quokka signal, as Gelb put it." in content  # Markdown as plain text
    assert "Why did the wallaby wait?" in content
    assert "In pairs, sort them." in content
    assert {"Zyzzyva", "A tropical weevil"} <= set(content)  # the spotlight names its terms
    assert make_module.quiz.title in content  # the quiz block's heading
    assert not any("*" in text or "](" in text for text in content)


def test_a_module_is_found_by_its_blocks_and_its_excerpt_has_no_markdown(client, make_module):
    module = make_module("quokka")
    html = search(client, "quokka", type="lessons")
    assert f'href="{module.url}"' in html
    assert "The <mark>quokka</mark> signal, as Gelb put it." in html
    assert f'href="{module.url}"' in search(client, "weevil", type="lessons")  # a spotlight's term


def test_describing_more_modules_costs_no_more_queries(client, make_module):
    make_module("first")
    cache.clear()  # the modules' texts are cached once made: measure them made
    with CaptureQueriesContext(connection) as one:
        assert search(client, "quokka", type="lessons").count('class="search-result search-lessons"') == 1
    for n in range(5):
        make_module(f"more-{n}")
    cache.clear()
    with CaptureQueriesContext(connection) as six:
        assert search(client, "quokka", type="lessons").count('class="search-result search-lessons"') == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_a_module_published_again_is_searched_as_it_now_reads(client, make_module):
    module = make_module("edited")
    assert "<mark>quokka</mark> signal" in search(client, "quokka", type="lessons")
    module.body[0].value["body"] = "The quokka answer came later."
    module.save_revision().publish()
    html = search(client, "quokka", type="lessons")
    assert "The <mark>quokka</mark> answer came later." in html
    assert "signal" not in html
