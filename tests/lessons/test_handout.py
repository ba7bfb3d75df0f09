"""The printed handout: the answer key only in the owner's teacher copy, never the admin toolbar."""

import pytest

from lessons.question_kinds import kind_for
from lessons.snapshots import quiz_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(teachers, make_plan):
    return make_plan(teachers[0])


def print_url(plan, key=False):
    return plan.url + plan.reverse_subpage("print") + ("?key=1" if key else "")


def a_key(plan):
    question = quiz_snapshot(plan.quizzes()[0])["questions"][0]
    return kind_for(question).describe_key(question)


def test_the_owner_gets_the_key_on_a_page_of_its_own_and_the_response_is_private(client, plan, teachers):
    client.force_login(teachers[0])
    teacher = client.get(plan.url + plan.reverse_subpage("teacher")).content.decode()
    assert f'href="{print_url(plan, key=True)}"' in teacher
    response = client.get(print_url(plan, key=True))
    page = response.content.decode()
    assert 'class="answer-key"' in page and "Answer key (teacher's copy)" in page
    assert a_key(plan) in page.split('class="answer-key"')[1]
    assert "no-store" in response["Cache-Control"]
    assert "Answer sheet:" in page  # the students' pages come first, unchanged
    assert 'class="answer-key"' not in client.get(print_url(plan)).content.decode()  # the students' copy


@pytest.mark.parametrize("who", ["anonymous", "other teacher", "student"])
def test_nobody_else_gets_the_key_even_asking_for_it(client, plan, teachers, who):
    if who == "other teacher":
        client.force_login(teachers[1])
    elif who == "student":
        client.get(f"/join/?code={plan.class_code}")
    page = client.get(print_url(plan, key=True)).content.decode()
    assert "Answer sheet:" in page
    assert 'class="answer-key"' not in page and "Answer key" not in page


def test_the_handout_never_carries_the_wagtail_userbar(client, plan, teachers):
    client.force_login(teachers[0])
    assert "wagtail-userbar" in client.get(plan.url).content.decode()  # on the screen pages, for editors
    for url in (print_url(plan), print_url(plan, key=True)):
        assert "wagtail-userbar" not in client.get(url).content.decode()


def test_the_handouts_note_letters_are_those_of_the_reading_page(client, plan):
    response = client.get(print_url(plan))
    notes = response.context["endnotes"]
    assert notes
    document = next(b.value["document"].specific for b in plan.body if b.block_type == "excerpt")
    reading = client.get(document.url).content.decode()
    for note in notes:
        assert f"<strong>{note.letter}</strong>" in response.content.decode()
        assert f'aria-label="Note {note.letter}: ' in reading
