"""Site search at /search/: full text through Wagtail's PostgreSQL backend, ranked, filtered, highlighted."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from documents.models import Annotation, GlossaryTerm, SourceDocumentPage
from documents.rendering import citable_label, rendered_document
from lessons.models import LessonPlanIndexPage, LessonPlanPage

pytestmark = pytest.mark.django_db
SEARCH = "/search/"


def search(client, q=None, **params):
    if q is not None:
        params["q"] = q
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def status(html: str) -> str:
    """The text of the role="status" region."""
    found = re.search(r'role="status">(.*?)</div>', html, re.S)
    assert found, "the result count is announced in a status region"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def results(html: str) -> list[str]:
    """Each result's list item, in the order shown."""
    return re.findall(r'<li class="search-result.*?</li>\s*(?=<li class="search-result|</ol>)', html, re.S)


def kinds(html: str) -> list[str]:
    return re.findall(r'<li class="search-result search-(\w+)">', html)


def paragraph_of(document, phrase: str):
    """The located block of the document's canonical text that holds the phrase."""
    rendered = rendered_document(document)
    at = rendered.text.index(phrase)
    return next(b for b in rendered.blocks if b.start <= at < b.end)


# ---------------------------------------------------------------- the index


def test_the_content_loaded_for_the_tests_is_in_the_search_index(content):
    assert IndexEntry.objects.exists()
    found = get_search_backend().search("polemics", SourceDocumentPage.objects.live())
    assert [page.document_number for page in found] == [293]


# ---------------------------------------------------------------- what it finds


def test_finds_a_glossary_term_by_its_expansion(client, content):
    html = search(client, "Special Coordination Committee")
    glossary = next(r for r in results(html) if 'href="/glossary/scc/"' in r)
    assert "<mark>Special</mark> <mark>Coordination</mark> <mark>Committee</mark>" in glossary


def test_finds_a_person_by_name(client, content):
    html = search(client, "Mendelevich")
    first = results(html)[0]
    assert 'href="/people/lev-mendelevich/"' in first
    assert "Lev I. <mark>Mendelevich</mark>" in first


def test_finds_a_document_paragraph_and_links_to_it_with_the_word_highlighted(client, doc293):
    block = paragraph_of(doc293, "The Soviets avoided polemics as a rule.")
    assert re.fullmatch(r"p-\d+", block.anchor)
    html = search(client, "polemics")
    document = next(r for r in results(html) if "search-documents" in r)
    assert f'href="{doc293.url}#{block.anchor}"' in document
    assert f">{citable_label(block.place)}</a>" in document  # "¶ 7"
    assert "The Soviets avoided <mark>polemics</mark> as a rule." in document
    reading = client.get(doc293.url).content.decode()
    assert f'id="{block.anchor}"' in reading  # the link lands on the paragraph


def test_finds_words_in_any_form_as_the_index_stems_them(client, doc293):
    html = search(client, "polemic")  # the text says "polemics"
    assert "avoided <mark>polemics</mark>" in html


def test_shows_at_most_three_paragraphs_per_document(client, content):
    html = search(client, "Soviets", type="documents")
    documents = results(html)
    assert len(documents) == 2
    for result in documents:
        passages = re.findall(r'<ul class="search-passages".*?</ul>', result, re.S)[0]
        assert 1 <= passages.count("<li>") <= 3


def test_finds_a_published_annotation_but_not_a_draft(client, doc285, annotate):
    published = annotate(doc285, "Ambassador should seek appointment", body="Published: the quokka question.")
    draft = annotate(doc285, "Ambassador should seek appointment", body="Draft: the wombat question.", live=False)
    html = search(client, "quokka")
    assert f'href="{doc285.url}#{published.anchor}"' in html
    assert "the <mark>quokka</mark> question" in html
    reading = client.get(doc285.url).content.decode()
    assert f'id="{published.anchor}"' in reading  # the link lands on the note
    html = search(client, "wombat")
    assert f"{draft.anchor}" not in html
    assert status(html) == "No results for “wombat”. Check the spelling, or try another word or a name."


def test_leaves_out_a_note_that_lost_its_passage(client, doc285, annotate):
    note = annotate(doc285, "Ambassador should seek appointment", body="The quokka question.")
    assert f"{note.anchor}" in search(client, "quokka")
    Annotation.objects.filter(pk=note.pk).update(anchor_status="orphan")  # as re-anchoring records it
    assert f"{note.anchor}" not in search(client, "quokka")


def test_finds_a_lesson_module(client, content):
    html = search(client, "restraint", type="lessons")
    assert 'href="/lessons/why-restraint/"' in html
    assert "Why <mark>restraint</mark>?" in html


def test_finds_public_lesson_plans_only(client, content):
    plan_model = LessonPlanPage
    index = LessonPlanIndexPage.objects.get()
    shared = index.add_child(instance=plan_model(title="Quokka week", class_level="11B History", public=True))
    shared.save_revision().publish()
    private = index.add_child(instance=plan_model(title="Quokka private", class_level="11C History", public=False))
    private.save_revision().publish()
    html = search(client, "quokka")
    assert kinds(html) == ["plans"]
    assert f'href="{shared.url}"' in html
    assert private.url not in html


# ---------------------------------------------------------------- filters and ranking


def test_filters_by_type_with_a_count_for_each(client, content):
    html = search(client, "Gelb")
    every = kinds(html)
    assert {"people", "documents", "annotations"} <= set(every)
    filters = dict(re.findall(r'type=(\w+)"[^>]*>[^<]*<span class="count">\((\d+\+?)\)</span>', html))
    assert set(filters) == {"documents", "annotations", "glossary", "people", "lessons", "plans"}
    assert int(filters["documents"]) == 2
    html = search(client, "Gelb", type="people")
    assert set(kinds(html)) == {"people"}
    assert len(kinds(html)) == int(filters["people"])
    assert re.search(r'type=people" aria-current="page">People', html)
    assert status(html).startswith(f"{filters['people']} results in people for “Gelb”")


def test_an_unknown_type_shows_everything_and_says_so(client, content):
    html = search(client, "Gelb", type="nonsense")
    assert "There is no such kind of result to filter by" in status(html)
    assert {"people", "documents"} <= set(kinds(html))


def test_ranks_a_term_named_exactly_before_passing_mentions(client, doc293):
    html = search(client, "SCC")
    order = kinds(html)
    assert order[0] == "glossary"
    assert 'href="/glossary/scc/"' in results(html)[0]
    assert "documents" in order[1:] and "annotations" in order[1:]


def test_merges_the_types_by_score(client, content):
    html = search(client, "Helsinki")
    order = kinds(html)
    assert len(set(order)) >= 4  # one list, not one block per type
    assert results(html)[0].count('href="/glossary/helsinki/"') == 1


def test_results_are_paginated(client, content):
    html = search(client, "Soviets")
    assert len(results(html)) == 20
    assert "Page 1 of" in status(html)
    second = search(client, "Soviets", page=2)
    assert '<ol class="search-results" start="21">' in second
    assert search(client, "Soviets", page="nonsense")  # a bad page number is page 1


def test_no_result_with_every_word_falls_back_to_any_word(client, content):
    html = search(client, "polemics zyzzyvas")
    assert "No result has all of these words" in status(html)
    assert "<mark>polemics</mark>" in html


# ---------------------------------------------------------------- calm answers


def test_an_empty_search_asks_for_a_word(client):
    for html in (search(client), search(client, ""), search(client, "   ")):
        assert status(html) == "Type a word or two to search the documents, notes, glossary, people and lessons."
        assert 'class="search-results"' not in html


def test_a_very_long_search_is_cut_to_200_characters_and_says_so(client, content):
    html = search(client, "Helsinki " * 60)
    assert "only its first 200 characters were searched for" in status(html)
    value = re.search(r'name="q" value="([^"]*)"', html).group(1)
    assert len(value) <= 200
    assert "<mark>Helsinki</mark>" in html


STRANGE = [
    '"',
    "'",
    '"unbalanced quote',
    "&|!():*",
    "a & b | !c",
    "(SCC):*",
    "'; DROP TABLE documents_glossaryterm; --",
    "😀🚀",
    "...!!!???",
    "\\",
    "%_%",
    "<script>alert(1)</script>",
    "<mark>SCC</mark>",
    "the of and",
    "-",
    "Gelb's",
    "non-paper",
    "détente",
]


@pytest.mark.parametrize("query", STRANGE)
def test_strange_input_gets_a_calm_answer(client, content, query):
    html = search(client, query)
    assert status(html)
    assert "<script>alert" not in html
    assert main(html).count("<h1>") == 1
    assert GlossaryTerm.objects.filter(slug="scc").exists()


def test_a_nul_byte_gets_a_plain_400_before_search(client):
    response = client.get("/search/", {"q": "null\x00byte"})
    assert response.status_code == 400  # core.bad_input answers before the view
    assert "cannot be used" in response.content.decode()


def test_symbols_only_are_explained(client):
    assert "has no letters or numbers to look for" in status(search(client, "&|!():*"))
    assert "has no letters or numbers to look for" in status(search(client, "😀"))


def test_very_common_words_are_explained(client):
    assert "is made only of very common words" in status(search(client, "the of and"))


def test_text_from_the_database_is_escaped_around_the_highlights(client, content, make_term):
    make_term("Zyzzyva<i>", slug="zyzzyva", definition="Written `<b>zyzzyva</b>` in code & in <em>tags</em>.")
    html = search(client, "zyzzyva")
    result = results(html)[0]
    assert "<mark>Zyzzyva</mark>&lt;i&gt;" in result
    assert "&lt;b&gt;<mark>zyzzyva</mark>&lt;/b&gt;" in result
    assert "&amp; in tags." in result
    assert "<b>" not in result and "<i>" not in result


# ---------------------------------------------------------------- queries


def test_the_number_of_queries_does_not_grow_with_the_number_of_results(
    client, content, make_term, django_assert_max_num_queries
):
    search(client, "arms")  # the paragraphs of the documents are cached on the first search
    with CaptureQueriesContext(connection) as before:
        first = search(client, "arms")
    for n in range(30):
        make_term(f"arms item {n}", definition="Arms, and more arms.")
    with django_assert_max_num_queries(len(before.captured_queries)):
        second = search(client, "arms", type="glossary")
    assert len(results(second)) == 20 and len(kinds(first)) == 20
    # 6 searches, the view restrictions, the site, 2 stemming, 3 to make lesson modules' text the first time
    with django_assert_max_num_queries(13):
        search(client, "Soviets")
