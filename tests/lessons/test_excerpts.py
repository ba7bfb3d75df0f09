"""Excerpts and the handout's notes are slices of the reading's data."""

import pytest

from documents.excerpts import build_excerpt
from documents.rendering import rendered_document
from lessons.plan_views import move_notes_to_endnotes

pytestmark = pytest.mark.django_db

POLEMICS = "The Soviets avoided polemics as a rule."


def test_an_excerpt_is_the_blocks_its_passage_touches_with_their_notes_and_popovers(doc293, annotate):
    note = annotate(doc293, "avoided polemics", body="Why would they avoid polemics?")
    excerpt = build_excerpt(doc293, POLEMICS)
    reading = rendered_document(doc293)
    at = reading.text.index(POLEMICS)
    paragraph = next(b for b in reading.blocks if b.start <= at < b.end)
    assert excerpt.found and [piece.anchor for piece in excerpt.pieces] == [paragraph.anchor]
    assert excerpt.label == f"¶ {paragraph.number}"
    assert note.pk in [n.id for n in excerpt.notes] and excerpt.notes == paragraph.notes
    linked = {f"pop-{m.entry}-{m.slug}" for r in paragraph.runs for m in r.marks if m.kind == "entry"}
    assert set(excerpt.popover_ids) == linked
    html = excerpt.html
    assert f'href="{doc293.url}#{paragraph.anchor}"' in html  # the ¶ link points at the full document
    assert "Why would they avoid polemics?" in html and f'id="{note.anchor}"' in html


def test_the_handout_takes_the_excerpts_notes_as_endnotes_from_data(doc293, annotate):
    note = annotate(doc293, "avoided polemics", body="Why would they avoid polemics?")
    excerpt = build_excerpt(doc293, POLEMICS)
    endnotes = []
    html = move_notes_to_endnotes(excerpt, endnotes)
    assert [(n.id, n.letter) for n in endnotes] == [(n.id, n.letter) for n in excerpt.notes]
    assert note.pk in [n.id for n in endnotes]
    assert "Why would they avoid polemics?" not in html and "ann-note" not in html
    assert f'data-ann="{note.pk}"' in html  # the passage stays marked, its letter points to the endnote


def test_an_excerpt_that_no_longer_matches_says_so(doc293):
    assert not build_excerpt(doc293, "A sentence the delegation never wrote.").found
