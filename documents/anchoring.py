"""Anchoring annotations to a document's canonical text, after the W3C Web Annotation model.

An anchor is a `TextQuoteSelector` (exact, prefix, suffix) plus a `TextPositionSelector`
(start, end). Resolving it against a (possibly corrected) text, in the spirit of Hypothesis's
`match-quote` but stricter:

1. the quote with its whole context at the stored position: anchored, the cheap common case;
2. otherwise candidates: every exact occurrence of the quote, then passages at most 15 % different
   found by Myers' bit-parallel search (edlib) near the old position, after the stored prefix and
   before the stored suffix, and finally anywhere in the text;
3. each candidate is scored on the quote's similarity, the prefix's and the suffix's, and nearness
   to the old position; it is accepted only when its context supports it (see `supported`): the
   quote itself, near its old place with one side of its context word for word, always is;
4. if none is, the annotation is an orphan: shown to editors, never placed on a guess.

An approximate candidate is the closest passage with its own boundaries, so a note on a corrected
passage covers the corrected passage (a word inserted or deleted included), not a window of the old
length, and never the context around it: where the stored prefix or suffix agrees better inside the
passage than at its edge, the edge moves in (see `within_context`). No Django here: the module works
on strings, so it is tested on its own.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

import edlib

CONTEXT_CHARS = 32
MIN_SIMILARITY = 0.85  # an approximate passage differs from the quote by at most 15 % (Levenshtein)
MIN_APPROXIMATE_LENGTH = 12  # a shorter quote is corrected in place only, between its intact context
# How much of the stored context must agree with a candidate's surroundings (1 = all of it). A single
# correction touches one side at most, so a true passage keeps one side nearly intact and most of
# both; a lookalike rarely does: "draft specific guidance" shares the prefix of "draft general
# guidance" but not what follows.
MIN_SIDE = 0.85
MIN_CONTEXT = 0.8
LONG_QUOTE = 32  # an exact quote this long is evidence of its own: a lookalike must repeat it whole
MIN_CONTEXT_LONG_EXACT = 0.65
HALF_SIDE = CONTEXT_CHARS // 2  # a side compared over fewer characters is too little to go on alone
MIN_CONTEXT_SHORT_APPROXIMATE = 0.9
MIN_CONTEXT_UNTOUCHED = 0.95
MAX_LOCATIONS = 64  # locations kept from one search; past that a quote is too common to place by search


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


class Side(NamedTuple):
    """How well the stored prefix or suffix agrees with a candidate's surroundings."""

    similarity: float  # 1 − Levenshtein distance / length
    weight: int  # how many characters were compared: fewer when a paragraph break or the text's edge cut it


@dataclass(frozen=True)
class Candidate:
    """A passage that might be the quote's, with how well it and its surroundings agree.

    A side is None when there is nothing to compare: no context was stored on that side (the quote
    began or ended the text) and the passage is not at the text's edge.
    """

    start: int
    end: int
    similarity: float  # of the passage to the quote
    prefix: Side | None
    suffix: Side | None

    def score(self, selector: Selector, text_length: int) -> float:
        # Hypothesis's weights: the quote counts most, then its context, the position least.
        nearness = 1 - abs(self.start - selector.start) / max(text_length, 1)
        return (
            50 * self.similarity
            + 20 * (self.prefix.similarity if self.prefix else 0)
            + 20 * (self.suffix.similarity if self.suffix else 0)
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
    if best is None:
        best = best_supported(text, selector, nearby_candidates(text, selector))
    if best is None and len(exact) >= MIN_APPROXIMATE_LENGTH:
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


def supported(text: str, candidate: Candidate, selector: Selector) -> bool:
    """Whether the context agrees enough to put the note on this candidate.

    The passage keeps its word boundaries (a quote "a" is not the "a" of "have") and one side of its
    context is intact; the context as a whole agrees mostly. An exact quote of 32 characters or more
    is evidence of its own and needs less. A short quote needs more: one side intact word for word,
    and the other intact too unless the passage is still near its old place, so "on" does not move to
    the same words in a title printed twice when its own "on" became "un". A deleted passage thus
    finds no support anywhere, even where the same words or a lookalike sentence occur.
    """
    sides = [side for side in (candidate.prefix, candidate.suffix) if side is not None]
    if not sides or candidate.similarity < MIN_SIMILARITY:
        return False
    if candidate.similarity == 1.0 and any(intact(side) for side in sides) and is_near(candidate, selector):
        # the quote itself, after one side of its context word for word, near its old place: whatever was
        # done to the other side (a word joined to the quote's end included), the note stays on the quote
        return True
    compared = sum(side.weight for side in sides)
    context = sum(side.similarity * side.weight for side in sides) / compared if compared else 1.0
    # a letter joined to the quote's last word ("any" → "anya") is no reason to lose a passage whose
    # context is all but intact; elsewhere, whole words stay whole
    if context < MIN_CONTEXT_UNTOUCHED and not keeps_word_boundaries(text, candidate, selector):
        return False
    if len(selector.exact) >= LONG_QUOTE:
        if candidate.similarity == 1.0 and context >= MIN_CONTEXT_LONG_EXACT:
            return True
        # a side cut short by a paragraph break or the text's edge counts if it is intact
        intact_side = any(s.similarity == 1.0 or (s.similarity >= MIN_SIDE and s.weight >= HALF_SIDE) for s in sides)
        return intact_side and context >= MIN_CONTEXT
    if not any(intact(s) for s in sides):
        return False
    if len(sides) == 2 and all(s.similarity == 1.0 for s in sides) and candidate.similarity == 1.0:
        return True
    near = is_near(candidate, selector)
    if len(selector.exact) < MIN_APPROXIMATE_LENGTH and candidate.similarity < 1.0:
        return near and context >= MIN_CONTEXT_SHORT_APPROXIMATE
    return near and context >= MIN_CONTEXT


def intact(side: Side) -> bool:
    """The side agrees word for word over enough characters to go on alone."""
    return side.similarity == 1.0 and side.weight >= HALF_SIDE


def is_near(candidate: Candidate, selector: Selector) -> bool:
    return abs(candidate.start - selector.start) <= 2 * CONTEXT_CHARS


def keeps_word_boundaries(text: str, candidate: Candidate, selector: Selector) -> bool:
    """The passage begins and ends as the quote did: inside or outside a word, on a space or not."""
    return start_kind(text, candidate.start) == start_kind(
        selector.prefix[-1:] + selector.exact, len(selector.prefix[-1:])
    ) and end_kind(text, candidate.end) == end_kind(selector.exact + selector.suffix[:1], len(selector.exact))


def start_kind(text: str, position: int) -> tuple[bool, bool]:
    before, first = text[position - 1 : position] if position else "", text[position : position + 1]
    return not (before.isalnum() and first.isalnum()), first.isspace()


def end_kind(text: str, position: int) -> tuple[bool, bool]:
    last, after = text[position - 1 : position] if position else "", text[position : position + 1]
    return not (last.isalnum() and after.isalnum()), last.isspace()


def on_word_boundaries(text: str, span: tuple[int, int], selector: Selector) -> set[tuple[int, int]]:
    """The span, or the nearest spans that begin and end as the quote did (see keeps_word_boundaries).

    The closest passage by edit distance may borrow a letter or a space from its neighbours ("on
    “advanced systems”" once "of" was deleted before it); the passage the editor meant keeps whole words.
    """
    wanted_start = start_kind(selector.prefix[-1:] + selector.exact, len(selector.prefix[-1:]))
    wanted_end = end_kind(selector.exact + selector.suffix[:1], len(selector.exact))
    starts = nearest(text, span[0], lambda place: start_kind(text, place) == wanted_start)
    ends = nearest(text, span[1], lambda place: end_kind(text, place) == wanted_end)
    return {(start, end) for start in starts for end in ends if start < end}


def nearest(text: str, position: int, fits, reach: int = 24) -> list[int]:
    """`position` if it fits, else the nearest place that does on either side, within `reach`."""
    if fits(position):
        return [position]
    found = []
    for step in (-1, 1):
        for place in range(position + step, position + step * reach, step):
            if not 0 <= place <= len(text):
                break
            if fits(place):
                found.append(place)
                break
    return found


def best_supported(text: str, selector: Selector, candidates) -> Candidate | None:
    supported_ones = [c for c in candidates if supported(text, c, selector)]
    return max(supported_ones, key=lambda c: c.score(selector, len(text)), default=None)


def candidate(text: str, selector: Selector, start: int, end: int) -> Candidate:
    return Candidate(
        start,
        end,
        similarity(selector.exact, text[start:end]),
        prefix_agreement(text, start, selector.prefix),
        suffix_agreement(text, end, selector.suffix),
    )


def exact_candidates(text: str, selector: Selector) -> list[Candidate]:
    return [
        candidate(text, selector, start, start + len(selector.exact)) for start in occurrences(text, selector.exact)
    ]


def nearby_candidates(text: str, selector: Selector) -> list[Candidate]:
    """Closest passages near the old position, right after the prefix and right before the suffix.

    Searching these short windows is what keeps a 2,000-character quote cheap in a long text. The
    passages that begin where the prefix ends, or end where the suffix begins, are searched for on
    their own: edit distance alone may prefer to trade the quote's first word for a word inserted
    after it ("such also ambiguous" for "such ambiguous"), while the context knows where it begins.
    """
    quote, errors = selector.exact, max_errors(len(selector.exact))
    slack = errors + CONTEXT_CHARS
    prefix_ends = context_locations(text, selector.prefix, at_end=True)
    suffix_starts = context_locations(text, selector.suffix, at_end=False)
    windows = {(selector.start - slack, selector.end + slack)}
    windows.update((end - CONTEXT_CHARS, end + len(quote) + slack) for end in prefix_ends)
    windows.update((start - len(quote) - slack, start + CONTEXT_CHARS) for start in suffix_starts)
    spans = {span for window in windows for span in closest_passages(text, quote, *window)}
    for start in prefix_ends:
        found = align(quote, text[start : start + len(quote) + errors], "SHW", errors)
        spans.update((start, start + last + 1) for _, last in found["locations"][:MAX_LOCATIONS])
    for end in suffix_starts:
        found = align(quote[::-1], text[max(0, end - len(quote) - errors) : end][::-1], "SHW", errors)
        spans.update((end - last - 1, end) for _, last in found["locations"][:MAX_LOCATIONS])
    spans.update(
        (start, end) for start in prefix_ends for end in suffix_starts if abs(end - start - len(quote)) <= errors
    )
    return approximate_candidates(text, selector, spans)


def anywhere_candidates(text: str, selector: Selector) -> list[Candidate]:
    return approximate_candidates(text, selector, search_everywhere(text, selector.exact))


def approximate_candidates(text: str, selector: Selector, spans) -> list[Candidate]:
    """The spans on word boundaries, trimmed off the context they overlap (see `within_context`)."""
    snapped = {within_context(text, selector, *s) for span in spans for s in on_word_boundaries(text, span, selector)}
    return [candidate(text, selector, start, end) for start, end in snapped if start < end]


def within_context(text: str, selector: Selector, start: int, end: int) -> tuple[int, int]:
    """The span, its ends moved in to where the stored prefix ends and the suffix begins if they overlap it.

    The closest passage by edit distance may reach over text inserted next to the quote and on into
    the context ("could receiveaaaaarms" where "could receive" was followed by " arms"): the stored
    context, aligned where it agrees best, decides the boundary, so a note never covers text that was
    never part of its passage.
    """
    # the span may reach over what was inserted next to the quote (at most max_errors) and the context
    reach = min(end - start - 1, max_errors(len(selector.exact)) + CONTEXT_CHARS)
    if reach <= 0:
        return start, end
    return prefix_end(text, start, selector.prefix, reach), suffix_start(text, end, selector.suffix, reach)


def suffix_start(text: str, end: int, suffix: str, reach: int) -> int:
    """`end`, or the nearest place before it where the suffix agrees strictly better, within `reach`."""
    side = suffix_agreement(text, end, suffix)
    if side is None or side.similarity == 1.0:
        return end
    at_end = align(suffix, text[end : end + len(suffix) + len(suffix) // 2], "SHW")["editDistance"]
    window_start = max(0, end - reach)
    found = align(suffix, text[window_start : end + len(suffix) + len(suffix) // 2], "HW", at_end - 1)
    if found["editDistance"] < 0:
        return end
    earlier = [window_start + first for first, _ in found["locations"] if window_start + first < end]
    return max(earlier, default=end)


def prefix_end(text: str, start: int, prefix: str, reach: int) -> int:
    """`start`, or the nearest place after it where the prefix agrees strictly better, within `reach`."""
    side = prefix_agreement(text, start, prefix)
    if side is None or side.similarity == 1.0:
        return start
    at_start = align(prefix[::-1], text[max(0, start - len(prefix) - len(prefix) // 2) : start][::-1], "SHW")
    window_end = min(len(text), start + reach)
    window = text[max(0, start - len(prefix) - len(prefix) // 2) : window_end][::-1]
    found = align(prefix[::-1], window, "HW", at_start["editDistance"] - 1)
    if found["editDistance"] < 0:
        return start
    later = [window_end - first for first, _ in found["locations"] if window_end - first > start]
    return min(later, default=start)


def closest_passages(text: str, quote: str, window_start: int, window_end: int) -> set[tuple[int, int]]:
    """The passages of text[window_start:window_end] closest to `quote`, within `max_errors`.

    Myers' search gives the ends of the closest passages; the same search run backwards from each end
    gives every start as close, so that context, not chance, decides where a passage begins.
    """
    window_start, window_end = max(0, window_start), min(len(text), window_end)
    if window_end <= window_start:
        return set()
    window, errors = text[window_start:window_end], max_errors(len(quote))
    found = align(quote, window, "HW", errors)
    spans = set()
    for _, last in found["locations"][:MAX_LOCATIONS] if found["editDistance"] >= 0 else []:
        backwards = align(quote[::-1], window[last::-1], "SHW", errors)
        for _, length in backwards["locations"][:MAX_LOCATIONS]:
            spans.add((window_start + last - length, window_start + last + 1))
    return spans


def search_everywhere(text: str, quote: str) -> set[tuple[int, int]]:
    """The closest passages in the whole text: one bit-parallel pass, then exact boundaries.

    The pass reads every non-ASCII character as "?", which never misses a passage (it only makes
    more characters equal) and spares edlib mapping a long text's alphabet; the passages found are
    aligned again on the real characters.
    """
    errors = max_errors(len(quote))
    found = edlib.align(
        quote.encode("ascii", "replace"), text.encode("ascii", "replace"), mode="HW", task="distance", k=errors
    )
    if found["editDistance"] < 0:
        return set()
    spans = set()
    for _, last in found["locations"][:MAX_LOCATIONS]:
        spans.update(closest_passages(text, quote, last - len(quote) - 2 * errors, last + errors + 2))
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
            places = {end + 1 if at_end else start for start, end in found["locations"][:MAX_LOCATIONS]}
    return set(sorted(places)[:MAX_LOCATIONS])


def occurrences(text: str, quote: str):
    position = text.find(quote)
    while position != -1:
        yield position
        position = text.find(quote, position + 1)


def prefix_agreement(text: str, start: int, prefix: str) -> Side | None:
    """How much of the stored prefix ends right at `start` (aligned backwards from it)."""
    if not prefix:
        return Side(1.0, 0) if start == 0 else None
    if text.endswith(prefix, 0, start):
        # all of it, up to the text's start if the quote was that near it: as much as there could be
        return Side(1.0, CONTEXT_CHARS if start == len(prefix) else len(prefix))
    paragraph = prefix.rfind("\n\n")
    if paragraph != -1 and text.endswith(prefix[paragraph:], 0, start):
        # it still begins its paragraph as it did: what came before may change freely
        return Side(1.0, len(prefix) - paragraph)
    before = text[max(0, start - len(prefix) - len(prefix) // 2) : start]
    if not before:
        return Side(0.0, len(prefix))
    return Side(1 - align(prefix[::-1], before[::-1], "SHW")["editDistance"] / len(prefix), len(prefix))


def suffix_agreement(text: str, end: int, suffix: str) -> Side | None:
    """How much of the stored suffix begins right at `end`."""
    if not suffix:
        return Side(1.0, 0) if end == len(text) else None
    if text.startswith(suffix, end):
        return Side(1.0, CONTEXT_CHARS if end + len(suffix) == len(text) else len(suffix))
    paragraph = suffix.find("\n\n")
    if paragraph != -1 and text.startswith(suffix[: paragraph + 2], end):
        return Side(1.0, paragraph + 2)
    after = text[end : end + len(suffix) + len(suffix) // 2]
    if not after:
        return Side(0.0, len(suffix))
    return Side(1 - align(suffix, after, "SHW")["editDistance"] / len(suffix), len(suffix))


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
