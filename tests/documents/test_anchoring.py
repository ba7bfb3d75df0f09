"""Anchors survive corrections to the text, or become orphans; they never land on the wrong passage."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from documents.anchoring import MIN_SIMILARITY, AnchorStatus, make_selector, resolve_anchor
from documents.pipeline import canonical_text

CONTENT = Path(__file__).resolve().parents[2] / "documents" / "content"
TEXT = canonical_text((CONTENT / "frus1977-80v26-d293.md").read_text())


def select(text, phrase, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return make_selector(text, start, start + len(phrase))


def test_unchanged_text_anchors_at_the_stored_position():
    selector = select(TEXT, "the Soviets were serious")
    resolution = resolve_anchor(TEXT, selector)
    assert resolution.status == AnchorStatus.ANCHORED
    assert (resolution.start, resolution.end) == (selector.start, selector.end)


def test_a_paragraph_inserted_before_moves_the_anchor_with_its_quote():
    selector = select(TEXT, "the Soviets were serious")
    edited = TEXT.replace("Delegation Report\n\n", "Delegation Report\n\nA new paragraph, added later.\n\n")
    resolution = resolve_anchor(edited, selector)
    assert resolution.status == AnchorStatus.MOVED
    assert edited[resolution.start : resolution.end] == "the Soviets were serious"
    assert resolution.start == selector.start + len("A new paragraph, added later.\n\n")


def test_a_typo_fixed_inside_the_quote_is_found_approximately():
    text = TEXT.replace("wary and skeptical", "wary and skeptcal")
    selector = select(text, "The fundamental Soviet stance remains wary and skeptcal.")
    resolution = resolve_anchor(TEXT, selector)
    assert resolution.status == AnchorStatus.APPROXIMATE
    assert TEXT[resolution.start : resolution.end] == "The fundamental Soviet stance remains wary and skeptical."
    assert resolution.similarity >= MIN_SIMILARITY


def test_a_deleted_quote_makes_an_orphan():
    phrase = "Nor did they shrink from discussions of topics on which they are vulnerable"
    selector = select(TEXT, phrase)
    edited = TEXT.replace(phrase + "—such as arms transfers to the Horn of Africa.", "")
    assert resolve_anchor(edited, selector).status == AnchorStatus.ORPHAN


def test_a_quote_that_appears_twice_keeps_to_the_one_with_its_context():
    assert TEXT.count("next round") == 7
    second = select(TEXT, "next round", occurrence=1)
    # shift everything so the stored position is stale; context must pick the right one
    edited = "Inserted at the top.\n\n" + TEXT
    resolution = resolve_anchor(edited, second)
    expected = edited.index("next round", edited.index("next round") + 1)
    assert resolution.start == expected


def test_a_short_quote_rewritten_in_place_does_not_jump_to_copies_without_its_context():
    text = "Alpha says the round went well. Beta says it did not."
    selector = select(text, "went well")
    edited = "Gamma: went well? " + text.replace("went well", "went very well") + " Alpha: went well."
    # "went very well" is too different from a nine-letter quote, and neither copy has its context
    assert resolve_anchor(edited, selector).status == AnchorStatus.ORPHAN


def test_short_quotes_are_never_matched_approximately():
    selector = select(TEXT, "SCC")
    assert resolve_anchor(TEXT.replace("SCC", "NSC"), selector).status == AnchorStatus.ORPHAN


def test_a_selection_outside_the_text_is_refused():
    with pytest.raises(ValueError, match="outside the text"):
        make_selector(TEXT, len(TEXT) - 2, len(TEXT) + 5)


# ---- property tests over random edits -------------------------------------------------------

edits = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace"]),
        st.floats(0, 1),
        st.integers(1, 40),
        st.text(alphabet="abcdefghij klmnop.,—\n", min_size=1, max_size=40),
    ),
    min_size=1,
    max_size=6,
)


def apply_edits(text, quote_start, quote_end, operations):
    """Apply edits; track the quote's span while no edit touches it (None once one does)."""
    span = (quote_start, quote_end)
    for operation, where, length, inserted in operations:
        position = int(where * len(text))
        removed = 0 if operation == "insert" else min(length, len(text) - position)
        added = "" if operation == "delete" else inserted
        text = text[:position] + added + text[position + removed :]
        if span is not None:
            start, end = span
            if position + removed <= start and not (removed == 0 and position == start):
                span = (start + len(added) - removed, end + len(added) - removed)
            elif position >= end:
                pass
            else:
                span = None
    return text, span


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start_fraction=st.floats(0, 0.97), length=st.integers(4, 80), operations=edits)
def test_after_random_edits_an_anchor_lands_on_its_quote_or_a_close_match_or_nowhere(
    start_fraction, length, operations
):
    start = int(start_fraction * (len(TEXT) - length))
    selector = make_selector(TEXT, start, start + length)
    edited, tracked = apply_edits(TEXT, start, start + length, operations)
    resolution = resolve_anchor(edited, selector)
    if resolution.status in (AnchorStatus.ANCHORED, AnchorStatus.MOVED):
        assert edited[resolution.start : resolution.end] == selector.exact
    elif resolution.status == AnchorStatus.APPROXIMATE:
        assert fuzz.ratio(edited[resolution.start : resolution.end], selector.exact) / 100 >= MIN_SIMILARITY
    if tracked is not None:
        # the quote itself was not touched: it must be found, and where its full context is
        # unique, at exactly its own place
        assert resolution.status in (AnchorStatus.ANCHORED, AnchorStatus.MOVED)
        in_context = selector.prefix + selector.exact + selector.suffix
        if edited.count(in_context) == 1 and edited[tracked[0] - len(selector.prefix) : tracked[0]] == selector.prefix:
            after = edited[tracked[1] : tracked[1] + len(selector.suffix)]
            if after == selector.suffix:
                assert resolution.start == tracked[0]
