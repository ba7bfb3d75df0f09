"""The timeline of the talks: what readers see on /timeline/, the home page and each document's page."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import PageViewRestriction

from documents.models import TimelineEvent, TimelineEventSource
from documents.rendering import rendered_document
from tests.reading_html import reading_html

pytestmark = pytest.mark.django_db


def events_on(html: str) -> list[str]:
    return re.findall(r'<li class="timeline-event" id="event-([\w-]+)"', html)


def test_the_timeline_lists_the_talks_in_order_each_event_linking_to_its_documents(client, content):
    html = client.get("/timeline/").content.decode()
    events = events_on(html)
    assert len(events) >= 8
    for needed in ["pd-13", "round-1", "non-paper", "round-2", "ssod", "round-3", "round-4", "aftermath"]:
        assert needed in events
    assert events.index("round-1") < events.index("non-paper") < events.index("round-2") < events.index("round-4")
    for block in html.split('<li class="timeline-event"')[1:]:
        assert 'href="/documents/frus' in block or "history.state.gov/historicaldocuments/frus1977-80v26/d" in block


def test_paragraph_links_land_on_a_paragraph_of_the_document(client, content, doc285, doc293):
    html = client.get("/timeline/").content.decode()
    links = set(re.findall(r'href="(/documents/[\w-]+/)#(p-\d+)"', html))
    assert len(links) >= 5
    pages = {doc.url: reading_html(rendered_document(doc)) for doc in (doc285, doc293)}
    for path, anchor in links:
        assert f'id="{anchor}"' in pages[path], (path, anchor)


def test_a_document_the_site_does_not_have_links_to_history_state_gov(client, content):
    html = client.get("/timeline/").content.decode()
    assert 'href="https://history.state.gov/historicaldocuments/frus1977-80v26/d271"' in html


def test_a_draft_event_is_not_shown_until_it_is_published(client, content, committed):
    with committed():
        event = TimelineEvent(
            slug="draft", title="A draft event", start=date(1978, 9, 1), date_display="1978", summary="Draft."
        )
        event.sources = [TimelineEventSource(document_number=293)]
        event.live = False
        event.save()
        event.save_revision()
    assert "A draft event" not in client.get("/timeline/").content.decode()
    with committed():
        event.latest_revision.publish()
    assert "A draft event" in client.get("/timeline/").content.decode()


def test_a_restricted_document_is_not_linked_to_readers_it_is_hidden_from(client, content, doc293, committed):
    with committed():
        PageViewRestriction.objects.create(page=doc293, restriction_type=PageViewRestriction.LOGIN)
    html = client.get("/timeline/").content.decode()
    assert doc293.url not in html
    assert "history.state.gov/historicaldocuments/frus1977-80v26/d293" in html


def test_home_page_shows_the_strip_and_a_document_shows_its_place(client, content, doc293):
    home = client.get("/").content.decode()
    assert 'class="timeline-strip"' in home and 'href="/timeline/#event-round-2"' in home
    page = client.get(doc293.url).content.decode()
    place = page[page.index('class="timeline-place"') :]
    place = place[: place.index("</nav>")]
    assert "This document records" in place and "#event-round-2" in place
    assert "Before:" in place and "#event-non-paper" in place
    assert "Next:" in place and "#event-ssod" in place


def test_a_paragraph_must_exist_in_the_document(content):
    with pytest.raises(ValidationError, match="no paragraph p-999"):
        TimelineEventSource(document_number=285, paragraph="p-999").clean()
    with pytest.raises(ValidationError, match="p-5"):
        TimelineEventSource(document_number=285, paragraph="5").clean()
    TimelineEventSource(document_number=285, paragraph="p-5").clean()
    TimelineEventSource(document_number=999, paragraph="p-5").clean()  # not on the site: cannot be checked yet


def test_an_event_cannot_end_before_it_starts():
    with pytest.raises(ValidationError, match="cannot come before"):
        TimelineEvent(title="x", slug="x", start=date(1978, 5, 8), end=date(1978, 5, 4), date_display="x").clean()


def make_events(count):
    for n in range(count):
        event = TimelineEvent(
            slug=f"extra-{n}", title=f"Extra {n}", start=date(1979, 1, 1 + n % 28), date_display="1979"
        )
        event.sources = [
            TimelineEventSource(document_number=285, paragraph="p-5"),
            TimelineEventSource(document_number=300 + n),
        ]
        event.save()


@pytest.mark.parametrize("extra", [0, 30])
def test_the_timeline_costs_the_same_queries_however_many_events(client, content, extra, django_assert_max_num_queries):
    make_events(extra)
    with django_assert_max_num_queries(8):
        response = client.get("/timeline/")
    assert len(events_on(response.content.decode())) == 9 + extra


def test_editors_keep_the_timeline_and_teachers_cannot(client, content, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    teacher = django_user_model.objects.create_user("te", password="x", is_staff=True)
    teacher.groups.add(Group.objects.get(name="Teachers"))
    add_url = "/admin/snippets/documents/timelineevent/add/"
    client.force_login(editor)
    assert client.get(add_url).status_code == 200
    client.force_login(teacher)
    assert client.get(add_url).status_code in (302, 403)
