"""The reading room as a visitor sees it: documents, glossary, people, plain text."""

import pytest
from django.core.cache import cache

from documents.models import GlossaryTerm, Person

pytestmark = pytest.mark.django_db
# Wagtail's routing (site, one query per level, view restrictions), one query for the state of terms,
# people and annotations, one for the lesson modules that use the document, one to keep a page under a
# view restriction out of the page cache, two for the timeline's events and their sources (the document's place).
READING_PAGE_QUERIES = 13


def test_home_page_leads_to_both_documents(client, content):
    page = client.get("/").content.decode()
    assert "Arms Talks" in page
    assert content[285].url in page and content[293].url in page


def test_documents_index_lists_both_in_order(client, content):
    page = client.get("/documents/").content.decode()
    assert page.index("doc. 285") < page.index("doc. 293")


def test_reading_page_shows_the_metadata_header(client, doc285):
    page = client.get("/documents/frus1977-80v26-d285/").content.decode()
    for expected in [
        "FRUS 1977–1980, vol. XXVI, doc. 285",
        "pp. 702–705",
        "Telegram",
        "December 30, 1977",
        "Secret; Nodis",
        "National Archives, RG 59, Central Foreign Policy File, P840081–2373",
        "Embassy in the Soviet Union (Moscow)",
        "In brief",
    ]:
        assert expected in page, expected


def test_reading_page_shows_text_notes_page_numbers_and_citation(client, doc293):
    page = client.get(doc293.url).content.decode()
    assert 'id="fn-7"' in page and 'href="#fnref-7"' in page
    assert '<span class="pb-num" aria-hidden="true">727</span>' in page
    assert 'href="#p-1"' in page
    assert "Foreign Relations of the United States, 1977–1980, Volume XXVI" in page
    assert "http://testserver/documents/frus1977-80v26-d293/" in page  # the citation carries the page URL
    assert "restored from the printed edition" in page


def test_terms_and_people_are_linked_in_the_reading_page(client, doc293):
    page = client.get(doc293.url).content.decode()
    scc = GlossaryTerm.objects.get(term="SCC")
    assert f'href="{scc.get_absolute_url()}" data-popover="pop-term-{scc.slug}">SCC</a>' in page
    mathews = Person.objects.get(aliases__contains=["Mathews"])
    assert f'href="{mathews.get_absolute_url()}"' in page
    assert f'id="pop-person-{mathews.slug}"' in page


def test_plain_text_is_served_for_annotation(client, doc293):
    response = client.get("/documents/frus1977-80v26-d293/text.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("293. Report Prepared by the Delegation")
    assert "interpretations of such ambiguous" in text and "[Page" not in text


def test_unknown_document_text_is_a_404(client, content):
    assert client.get("/documents/nothing-here/text.txt").status_code == 404


def test_glossary_lists_terms_a_to_z_with_expansions(client, content):
    page = client.get("/glossary/").content.decode()
    assert 'id="letter-S"' in page
    assert "Special Session on Disarmament" in page
    assert page.index(">SCC<") < page.index(">SSOD<")


def test_term_page_lists_every_place_it_occurs(client, content):
    ssod = GlossaryTerm.objects.get(term="SSOD")
    page = client.get(ssod.get_absolute_url()).content.decode()
    assert "Where it occurs" in page
    assert "/documents/frus1977-80v26-d285/#section-special-session-on-disarmament-ssod" in page
    assert page.count("/documents/frus1977-80v26-d285/#p-") >= 2


def test_person_page_lists_occurrences_and_keeps_mathews_and_matthews_apart(client, content):
    jessica = Person.objects.get(aliases__contains=["Mathews"])
    gary = Person.objects.get(aliases__contains=["Matthews"])
    jessica_page = client.get(jessica.get_absolute_url()).content.decode()
    gary_page = client.get(gary.get_absolute_url()).content.decode()
    assert "/documents/frus1977-80v26-d293/#signatures" in jessica_page
    assert "frus1977-80v26-d285" not in jessica_page.split("Where it occurs")[1]
    assert "/documents/frus1977-80v26-d285/#fn-1" in gary_page


def test_people_index_lists_everyone(client, content):
    page = client.get("/people/").content.decode()
    for person in Person.objects.all():
        assert person.get_absolute_url() in page


def test_unknown_term_or_person_is_a_404(client, content):
    assert client.get("/glossary/no-such-term/").status_code == 404
    assert client.get("/people/no-such-person/").status_code == 404


def test_editing_a_term_shows_on_the_reading_page_at_once(client, doc285):
    client.get(doc285.url)
    nodis = GlossaryTerm.objects.get(term="Nodis")
    nodis.definition = "A freshly corrected definition."
    nodis.save()
    assert "A freshly corrected definition." in client.get(doc285.url).content.decode()


def test_publishing_a_corrected_transcription_shows_at_once(client, doc293):
    client.get(doc293.url)
    doc293.transcription = doc293.transcription.replace("wary and skeptical", "wary and sceptical")
    doc293.save_revision().publish()
    assert "wary and sceptical" in client.get(doc293.url).content.decode()


def test_reading_page_query_count_does_not_grow_with_terms_or_people(
    client, doc293, django_assert_max_num_queries, make_term, make_person
):
    cache.clear()
    client.get(doc293.url)  # warm the cache
    with django_assert_max_num_queries(READING_PAGE_QUERIES):
        client.get(doc293.url)
    for n in range(300):
        make_term(f"Synthetic term {n}", slug=f"synthetic-{n}")
        make_person(f"Person {n}", f"person-{n}", [f"Personname{n}"])
    client.get(doc293.url)
    with django_assert_max_num_queries(READING_PAGE_QUERIES):
        client.get(doc293.url)
    cache.clear()
    # cold: terms, people, annotations with their terms and people, once each; the stored citations;
    # Wagtail refills its cached site root paths, and the menu its sections' addresses
    with django_assert_max_num_queries(READING_PAGE_QUERIES + 8):
        client.get(doc293.url)
