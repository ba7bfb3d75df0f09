"""Anchoring annotations to a document's canonical text, after the W3C Web Annotation model.

An anchor is a `TextQuoteSelector` (exact, prefix, suffix) plus a `TextPositionSelector`
(start, end). Resolving it against a (possibly corrected) text tries, in order:

1. the stored position, if the quote and its context are still there;
2. the quote elsewhere, choosing by context and then by nearness to the old position;
3. an approximate match of at least `MIN_SIMILARITY`, for a quote that was itself corrected;
4. otherwise the annotation is an orphan: shown to editors, never placed on a guess.

No Django here: the module works on strings, so it is tested on its own.
"""

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

CONTEXT_CHARS = 32
MIN_SIMILARITY = 0.85  # the approximate step accepts a passage only if it is at least this similar
MIN_APPROXIMATE_LENGTH = 12  # shorter quotes match too many places by chance


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
    found = best_occurrence(text, selector)
    if found is not None:
        status = AnchorStatus.ANCHORED if found == selector.start else AnchorStatus.MOVED
        return Resolution(status, found, found + len(exact), 1.0)
    return approximate_match(text, selector)


def is_at(text: str, selector: Selector, start: int) -> bool:
    """The quote and its whole context are at `start`: the cheap, common case."""
    end = start + len(selector.exact)
    return (
        start >= 0
        and text[start:end] == selector.exact
        and text[max(0, start - len(selector.prefix)) : start] == selector.prefix
        and text[end : end + len(selector.suffix)] == selector.suffix
    )


def context_score(text: str, selector: Selector, start: int) -> int:
    """How many characters of the stored prefix and suffix agree with the text around `start`."""
    before = text[max(0, start - len(selector.prefix)) : start]
    after_start = start + len(selector.exact)
    after = text[after_start : after_start + len(selector.suffix)]
    score = 0
    for a, b in zip(reversed(before), reversed(selector.prefix), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(after, selector.suffix, strict=False):
        if a != b:
            break
        score += 1
    return score


def best_occurrence(text: str, selector: Selector) -> int | None:
    """Where the exact quote occurs, best context first, then nearest to where it was."""
    best, best_key = None, None
    position = text.find(selector.exact)
    while position != -1:
        key = (-context_score(text, selector, position), abs(position - selector.start))
        if best_key is None or key < best_key:
            best, best_key = position, key
        position = text.find(selector.exact, position + 1)
    return best


def approximate_match(text: str, selector: Selector) -> Resolution:
    exact = selector.exact
    if len(exact) < MIN_APPROXIMATE_LENGTH or len(text) < len(exact) // 2:
        return ORPHAN
    cutoff = MIN_SIMILARITY * 100
    alignment = fuzz.partial_ratio_alignment(exact, text, score_cutoff=cutoff)
    if alignment is None:
        return ORPHAN
    # partial_ratio compares windows as long as the quote; let the ends move so that a word
    # inserted into or deleted from the quote still gives the closest passage.
    slack = max(3, len(exact) // 8)
    best = (0.0, alignment.dest_start, alignment.dest_end)
    for start in range(max(0, alignment.dest_start - slack), alignment.dest_start + slack + 1):
        for end in range(max(start + 1, alignment.dest_end - slack), min(len(text), alignment.dest_end + slack) + 1):
            score = fuzz.ratio(exact, text[start:end], score_cutoff=cutoff)
            if score > best[0]:
                best = (score, start, end)
    score, start, end = best
    if score < cutoff:
        return ORPHAN
    return Resolution(AnchorStatus.APPROXIMATE, start, end, round(score / 100, 3))


def find_passage(text: str, quote: str) -> tuple[int, int] | None:
    """Where a quote typed by an editor (no context, no position) is in the text, or None.

    Used for lesson excerpts and quiz passages: the same resolution as annotations, so a small
    correction of the text is still found approximately.
    """
    quote = (quote or "").strip()
    if not quote:
        return None
    found = resolve_anchor(text, Selector(quote, "", "", 0, len(quote)))
    return (found.start, found.end) if found.placed else None
