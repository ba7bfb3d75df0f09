"""A note keeps its letter when other notes are added or removed, so a handout that says "note e" stays right."""

import lxml.html
import pytest

from documents.labels import letter, number
from documents.models import Annotation

pytestmark = pytest.mark.django_db


def letters_on_page(client, document) -> dict[str, str]:
    """Each note's letter on the public reading page, by the quote its mark covers."""
    tree = lxml.html.fromstring(client.get(document.url).content)
    found = {}
    for note in tree.xpath("//details[contains(@class, 'ann-note')]"):
        ref = tree.xpath(f"//a[@href='#{note.get('id')}']")[0]
        found[ref.text_content()] = note.xpath(".//span[@class='ann-letter']")[0].text_content()
    return found


def test_letters_run_a_to_z_then_aa_and_back():
    assert [letter(n) for n in (1, 2, 26, 27, 52, 703)] == ["a", "b", "z", "aa", "az", "aaa"]
    assert all(number(letter(n)) == n for n in range(1, 2000))
    assert number("") == number("B") == number("note e") == 0


def test_shipped_notes_are_lettered_in_reading_order(doc293):
    notes = list(Annotation.objects.filter(document=doc293).order_by("position_start", "-position_end"))
    assert [n.label for n in notes] == [letter(i) for i in range(1, len(notes) + 1)]


def test_no_two_shipped_notes_cover_exactly_the_same_words(content):
    # two notes on one span would tie in reading order, so their letters would depend on the order of loading
    spans = list(Annotation.objects.values_list("document_id", "position_start", "position_end"))
    assert len(spans) == len(set(spans))


def test_deleting_note_b_keeps_c_as_c(client, doc293):
    notes = {n.label: n for n in Annotation.objects.filter(document=doc293)}
    before = letters_on_page(client, doc293)
    notes["b"].delete()
    after = letters_on_page(client, doc293)
    assert "b" not in after.values() and len(after) == len(before) - 1
    assert after == {ref: label for ref, label in before.items() if label != "b"}


def test_a_note_added_in_the_middle_gets_a_new_letter_and_renames_no_other(client, doc293, annotate):
    before = letters_on_page(client, doc293)
    count = Annotation.objects.filter(document=doc293).count()
    added = annotate(doc293, "wary and skeptical")
    assert added.label == letter(count + 1)
    after = letters_on_page(client, doc293)
    assert {ref: label for ref, label in after.items() if label != added.label} == before
    assert added.label in after.values()


def test_a_deleted_notes_letter_is_never_given_again(doc293, annotate):
    first = annotate(doc293, "wary and skeptical")
    first.delete()
    second = annotate(doc293, "the Soviets were serious")
    assert number(second.label) == number(first.label) + 1


def test_publishing_an_old_revision_keeps_the_notes_letter_and_uuid(doc293, annotate):
    note = annotate(doc293, "wary and skeptical")
    old_revision = note.latest_revision
    note.body = "Changed."
    note.save_revision().publish()
    old_revision.publish()
    note.refresh_from_db()
    assert note.body != "Changed."
    assert (note.label, note.uuid) == (Annotation.objects.get(pk=note.pk).label, note.uuid)
    assert Annotation.objects.filter(document=doc293, label=note.label).count() == 1
