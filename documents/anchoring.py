"""Anchoring annotations to a document's canonical text, after the W3C Web Annotation model.

An anchor is a `TextQuoteSelector` (exact, prefix, suffix) plus a `TextPositionSelector`
(start, end). Resolving it against a (possibly corrected) text, in the spirit of Hypothesis's
`match-quote` but stricter:

1. the quote with its whole context at the stored position: anchored, the cheap common case;
2. otherwise candidates: every exact occurrence of the quote, then passages at most 15 % different
   found by Myers' bit-parallel search (edlib) near the old position, after the stored prefix and
   before the stored suffix, and finally anywhere in the text;
3. each candidate is scored on the quote's similarity, the prefix's and the suffix's, and nearness
   to the old position; it is accepted only when its context supports it (see `supported`);
4. if none is, the annotation is an orphan: shown to editors, never placed on a guess.

An approximate candidate is the closest passage with its own boundaries, so a note on a corrected
passage covers the corrected passage (a word inserted or deleted included), not a window of the old
length. No Django here: the module works on strings, so it is tested on its own.
"""

from dataclasses import dataclass
from enum import StrEnum

import edlib

CONTEXT_CHARS = 32
MIN_SIMILARITY = 0.85  # an approximate passage differs from the quote by at most 15 % (Levenshtein)
MIN_APPROXIMATE_LENGTH = 12  # shorter quotes match too many places by chance
# How much of the stored context must agree with a candidate's surroundings (1 = all of it).
# A quote away from its stored place needs one side of its context nearly intact: a single
# correction touches one side at most, while a lookalike sentence rarely shares 28 of 32 characters.
MIN_SIDE_CONTEXT = 0.85
# An approximate passage needs its context on the whole, too: "draft specific guidance" and
# "draft general guidance" share their prefix but not what follows.
MIN_CONTEXT = 0.75
MAX_CANDIDATES = 64  # locations kept from one search; more means the quote is too common to place by search


class AnchorStatus(StrEnum):
    ANCHORED = "anchored"  # found at its stored position
    MOVED = "moved"  # the same quote, found elsewhere
    APPROXIMATE = "approximate"  # a closely similar passage (the quote itself was corrected)
    ORPHAN = "orphan"  # not found: needs an editor


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Resolution:
    status: AnchorStatus
    start: int | None = None
    end: int | None = None
    similarity: float = 0.0

    @property
    def placed(self) -> bool:
        return self.status != AnchorStatus.ORPHAN


ORPHAN = Resolution(AnchorStatus.ORPHAN)


@dataclass(frozen=True)
class Candidate:
    """A passage that might be the quote's, with how well it and its surroundings agree."""

    start: int
    end: int
    similarity: float  # of the passage to the quote
    prefix_similarity: float | None  # None: no prefix stored (the quote began the text)
    suffix_similarity: float | None

    def score(self, selector: Selector, text_length: int) -> float:
        # Hypothesis's weights: the quote counts most, then its context, the position least.
        nearness = 1 - abs(self.start - selector.start) / max(text_length, 1)
        return (
            50 * self.similarity
            + 20 * (self.prefix_similarity or 0)
            + 20 * (self.suffix_similarity or 0)
            + 2 * nearness
        )


def make_selector(text: str, start: int, end: int) -> Selector:
    """The selectors for text[start:end], with up to CONTEXT_CHARS of context on each side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"selection {start}–{end} is outside the text (0–{len(text)})")
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def resolve_anchor(text: str, selector: Selector) -> Resolution:
    exact = selector.exact
    if not exact:
        return ORPHAN
    if is_at(text, selector, selector.start):
        return Resolution(AnchorStatus.ANCHORED, selector.start, selector.end, 1.0)
    if not selector.prefix and not selector.suffix:
        span = passage_without_context(text, exact)
        return ORPHAN if span is None else resolution_for(text, selector, *span)
    best = best_supported(text, selector, exact_candidates(text, selector))
    if best is None and len(exact) >= MIN_APPROXIMATE_LENGTH:
        best = best_supported(text, selector, nearby_candidates(text, selector))
        if best is None:
            best = best_supported(text, selector, anywhere_candidates(text, selector))
    return ORPHAN if best is None else resolution_for(text, selector, best.start, best.end)


def resolution_for(text: str, selector: Selector, start: int, end: int) -> Resolution:
    if text[start:end] != selector.exact:
        return Resolution(AnchorStatus.APPROXIMATE, start, end, round(similarity(selector.exact, text[start:end]), 3))
    status = AnchorStatus.ANCHORED if start == selector.start else AnchorStatus.MOVED
    return Resolution(status, start, end, 1.0)


def is_at(text: str, selector: Selector, start: int) -> bool:
    """The quote and its whole context are at `start`."""
    end = start + len(selector.exact)
    return (
        start >= 0
        and text[start:end] == selector.exact
        and text[max(0, start - len(selector.prefix)) : start] == selector.prefix
        and text[end : end + len(selector.suffix)] == selector.suffix
    )


def supported(candidate: Candidate, selector: Selector) -> bool:
    """Whether the context agrees enough to put the note on this candidate.

    The exact quote needs one side of its context; a corrected (approximate) passage needs one side
    and most of the context on the whole. A deleted passage thus finds no support anywhere, even
    where the same words or a lookalike sentence occur.
    """
    sides = [s for s in (candidate.prefix_similarity, candidate.suffix_similarity) if s is not None]
    if not sides or max(sides) < MIN_SIDE_CONTEXT:
        return False
    if candidate.similarity == 1.0:
        return True
    stored = len(selector.prefix) + len(selector.suffix)
    agreeing = (candidate.prefix_similarity or 0) * len(selector.prefix) + (candidate.suffix_similarity or 0) * len(
        selector.suffix
    )
    return candidate.similarity >= MIN_SIMILARITY and agreeing / stored >= MIN_CONTEXT


def best_supported(text: str, selector: Selector, candidates) -> Candidate | None:
    supported_ones = [c for c in candidates if supported(c, selector)]
    return max(supported_ones, key=lambda c: c.score(selector, len(text)), default=None)


def candidate(text: str, selector: Selector, start: int, end: int) -> Candidate:
    return Candidate(
        start,
        end,
        similarity(selector.exact, text[start:end]),
        prefix_similarity(text, start, selector.prefix),
        suffix_similarity(text, end, selector.suffix),
    )


def exact_candidates(text: str, selector: Selector) -> list[Candidate]:
    return [
        candidate(text, selector, start, start + len(selector.exact)) for start in occurrences(text, selector.exact)
    ]


def nearby_candidates(text: str, selector: Selector) -> list[Candidate]:
    """Closest passages near the old position, just after the prefix and just before the suffix.

    Searching these short windows is what keeps a 2,000-character quote cheap in a long text.
    """
    length = len(selector.exact)
    slack = max_errors(length) + CONTEXT_CHARS
    windows = {(selector.start - slack, selector.end + slack)}
    for prefix_end in context_locations(text, selector.prefix, at_end=True):
        windows.add((prefix_end - CONTEXT_CHARS, prefix_end + length + slack))
    for suffix_start in context_locations(text, selector.suffix, at_end=False):
        windows.add((suffix_start - length - slack, suffix_start + CONTEXT_CHARS))
    spans = {span for window in windows for span in closest_passages(text, selector.exact, *window)}
    return [candidate(text, selector, *span) for span in spans]


def anywhere_candidates(text: str, selector: Selector) -> list[Candidate]:
    return [candidate(text, selector, *span) for span in search_everywhere(text, selector.exact)]


def closest_passages(text: str, quote: str, window_start: int, window_end: int) -> list[tuple[int, int]]:
    """The passages of text[window_start:window_end] closest to `quote`, within `max_errors`."""
    window_start, window_end = max(0, window_start), min(len(text), window_end)
    if window_end <= window_start:
        return []
    found = align(quote, text[window_start:window_end], "HW", max_errors(len(quote)))
    if found["editDistance"] < 0:
        return []
    return [(window_start + start, window_start + end + 1) for start, end in found["locations"][:MAX_CANDIDATES]]


def search_everywhere(text: str, quote: str) -> set[tuple[int, int]]:
    """The closest passages in the whole text: one bit-parallel pass, then exact boundaries.

    The pass runs over the text with every non-ASCII character read as "?", which never misses a
    passage (it only makes more characters equal) and spares edlib mapping a long text's alphabet;
    each passage found is then aligned again on the real characters.
    """
    errors = max_errors(len(quote))
    found = edlib.align(
        quote.encode("ascii", "replace"), text.encode("ascii", "replace"), mode="HW", task="locations", k=errors
    )
    if found["editDistance"] < 0:
        return set()
    spans = set()
    for start, end in found["locations"][:MAX_CANDIDATES]:
        spans.update(closest_passages(text, quote, start - errors - 1, end + errors + 2))
    return spans


def context_locations(text: str, context: str, at_end: bool) -> set[int]:
    """Where the stored prefix (its end) or suffix (its start) is found, exactly or closely."""
    if len(context) < CONTEXT_CHARS // 2:
        return set()  # a context cut short by the text's edge is too little to search for
    places = {position + len(context) if at_end else position for position in occurrences(text, context)}
    if not places:
        found = edlib.align(
            context.encode("ascii", "replace"),
            text.encode("ascii", "replace"),
            mode="HW",
            task="locations",
            k=len(context) // 4,
        )
        if found["editDistance"] >= 0:
            places = {end + 1 if at_end else start for start, end in found["locations"][:MAX_CANDIDATES]}
    return places


def occurrences(text: str, quote: str):
    position = text.find(quote)
    while position != -1:
        yield position
        position = text.find(quote, position + 1)


def prefix_similarity(text: str, start: int, prefix: str) -> float | None:
    """How much of the stored prefix ends right at `start` (aligned backwards from it)."""
    if not prefix:
        return None
    before = text[max(0, start - len(prefix) - len(prefix) // 2) : start]
    if not before:
        return 0.0
    return 1 - align(prefix[::-1], before[::-1], "SHW")["editDistance"] / len(prefix)


def suffix_similarity(text: str, end: int, suffix: str) -> float | None:
    """How much of the stored suffix begins right at `end`."""
    if not suffix:
        return None
    after = text[end : end + len(suffix) + len(suffix) // 2]
    if not after:
        return 0.0
    return 1 - align(suffix, after, "SHW")["editDistance"] / len(suffix)


def similarity(quote: str, passage: str) -> float:
    """1 − Levenshtein distance / the longer length: 1.0 for the same text."""
    if quote == passage:
        return 1.0
    if not passage:
        return 0.0
    return 1 - align(quote, passage, "NW")["editDistance"] / max(len(quote), len(passage))


def max_errors(length: int) -> int:
    """The most edits a passage may have and still be MIN_SIMILARITY similar to a quote of `length`."""
    return int(length * (1 - MIN_SIMILARITY) / MIN_SIMILARITY)


def align(query: str, target: str, mode: str, k: int = -1) -> dict:
    try:
        return edlib.align(query, target, mode=mode, task="locations" if mode == "HW" else "distance", k=k)
    except ValueError:
        # edlib takes at most 256 distinct characters; past that, non-ASCII ones are read as "?"
        return edlib.align(
            query.encode("ascii", "replace"),
            target.encode("ascii", "replace"),
            mode=mode,
            task="locations" if mode == "HW" else "distance",
            k=k,
        )


def find_passage(text: str, quote: str) -> tuple[int, int] | None:
    """Where a quote typed by an editor (no context, no position) is in the text, or None.

    Used for lesson excerpts and quiz passages: its first occurrence, or else the closest passage
    if it is at least MIN_SIMILARITY similar, so a small correction of the text is still found.
    """
    quote = (quote or "").strip()
    return passage_without_context(text, quote) if quote else None


def passage_without_context(text: str, quote: str) -> tuple[int, int] | None:
    start = text.find(quote)
    if start != -1:
        return start, start + len(quote)
    if len(quote) < MIN_APPROXIMATE_LENGTH:
        return None
    scored = [(similarity(quote, text[start:end]), -start, end) for start, end in search_everywhere(text, quote)]
    best = max(scored, default=None)
    if best is None or best[0] < MIN_SIMILARITY:
        return None
    return -best[1], best[2]
