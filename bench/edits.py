"""Random corrections of the real transcriptions, as an editor makes them, and where each passage truly is after.

Shared by `bench/run.py` (10,000 seeded edits, counted per kind) and the property tests in
`tests/documents/test_anchoring.py`, which define what "misplaced" and "orphaned" mean. Pure Python: a
`random.Random` drives every choice, so a seed gives the same edits on every machine.
"""

import random
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import edlib

from documents.anchoring import CONTEXT_CHARS
from documents.pipeline import canonical_text

CONTENT = Path(__file__).resolve().parents[1] / "documents" / "content"
SLUGS = ("frus1977-80v26-d285", "frus1977-80v26-d293")
KINDS = (
    "outside",  # a word inserted, deleted or replaced away from the passage and its context
    "context",  # the same within the 32 characters of prefix or suffix
    "typo",  # a character changed, dropped, added or two swapped inside the passage
    "word inserted",  # a word inserted between two of the passage's words
    "word deleted",  # one of the passage's words deleted
    "duplicated",  # the passage's words pasted elsewhere as a paragraph of their own
    "deleted",  # the passage deleted, its surroundings kept
    "deleted with surroundings",  # the passage deleted with up to 300 characters around it
    "paragraphs added",  # one to three paragraphs of the other document inserted
)
WORDS = ("Soviet", "the", "formally", "regional", "arms", "transfers", "also", "(sic)", "guidelines", "US")


@dataclass(frozen=True)
class Passage:
    slug: str
    start: int
    end: int


@dataclass(frozen=True)
class Edit:
    kind: str
    text: str  # the corrected text
    passage: tuple[int, int] | None  # where the passage is in it; None once deleted
    changed: float  # share of the passage changed: Levenshtein distance / its old length (1.0 when deleted)


def texts() -> dict[str, str]:
    return {slug: canonical_text((CONTENT / f"{slug}.md").read_text()) for slug in SLUGS}


def shipped_passages(documents: dict[str, str]) -> list[Passage]:
    """The passages of the notes in annotations.toml, found as the loader finds them."""
    specs = tomllib.loads((CONTENT / "annotations.toml").read_text())["annotation"]
    passages = []
    for spec in specs:
        text = documents[spec["document"]]
        prefix = spec.get("prefix", "")
        start = text.index(prefix + spec["exact"]) + len(prefix)
        passages.append(Passage(spec["document"], start, start + len(spec["exact"])))
    return passages


def random_passage(rng: random.Random, documents: dict[str, str]) -> Passage:
    """A selection of whole words: a single word as often as a long paragraph's worth."""
    slug = rng.choice(SLUGS)
    words = [m.span() for m in re.finditer(r"\S+", documents[slug])]
    count = rng.choice([1, 1, 2, 3, 4, 6, 8, 12, 16, 24, 40, 80])
    first = rng.randrange(len(words) - count)
    return Passage(slug, words[first][0], words[first + count - 1][1])


def random_edit(rng: random.Random, documents: dict[str, str], passage: Passage, kind: str) -> Edit | None:
    """One correction of `kind` around `passage`, or None when the passage does not allow it (too few words)."""
    text, start, end = documents[passage.slug], passage.start, passage.end
    other = documents[next(s for s in SLUGS if s != passage.slug)]
    edits = EDITS[kind](rng, text, start, end, other)
    if edits is None:
        return None
    span = (start, end)
    for position, removed, inserted in sorted(edits, reverse=True):  # from the end, so positions stay valid
        text = text[:position] + inserted + text[position + removed :]
        span = shifted(span, position, removed, len(inserted))
    old = documents[passage.slug][start:end]
    changed = 1.0 if span is None else distance(old, text[span[0] : span[1]]) / len(old)
    return Edit(kind, text, span, changed)


def shifted(span, position, removed, added):
    """The passage's span after text[position:position + removed] became `added` characters.

    An insertion at the passage's first character goes before it, at its end after it.
    """
    if span is None:
        return None
    start, end = span
    if position + removed <= start:
        return start + added - removed, end + added - removed
    if position >= end:
        return span
    if start <= position and position + removed <= end and end + added - removed > start:
        return start, end + added - removed
    return None  # the edit took away the passage, or its start or end: it is deleted


def distance(a: str, b: str) -> int:
    return edlib.align(a, b, mode="NW", task="distance")["editDistance"] if a and b else max(len(a), len(b))


def word_edit(rng, text, low, high):
    """A word inserted, deleted or replaced at a word boundary within text[low:high]."""
    boundaries = [m.start() for m in re.finditer(r"(?<=\S) (?=\S)", text[low:high])]
    if not boundaries:
        return None
    position = low + rng.choice(boundaries)
    action = rng.choice(["insert", "delete", "replace"])
    if action == "insert":
        return [(position, 0, " " + rng.choice(WORDS))]
    word = re.match(r" \S+", text[position:high])
    if word is None:
        return [(position, 0, " " + rng.choice(WORDS))]
    return [(position, word.end(), "" if action == "delete" else " " + rng.choice(WORDS))]


def outside(rng, text, start, end, other):
    away = CONTEXT_CHARS + 1
    regions = [(0, start - away), (end + away, len(text))]
    regions = [(a, b) for a, b in regions if b - a > 40]
    if not regions:
        return None
    low, high = rng.choice(regions)
    return word_edit(rng, text, low, high)


def in_context(rng, text, start, end, other):
    if rng.random() < 0.5 and start > 0:
        low, high = max(0, start - CONTEXT_CHARS), start
    else:
        low, high = end, min(len(text), end + CONTEXT_CHARS)
    letters = [low + m.start() for m in re.finditer(r"[a-z]", text[low:high])]
    if letters and rng.random() < 0.3:  # a letter corrected in a word of the context
        return [(rng.choice(letters), 1, rng.choice("aeiouy"))]
    return word_edit(rng, text, low, high)


def typo(rng, text, start, end, other):
    edits, used = [], set()
    for _ in range(max(1, (end - start) // 60)):
        position = rng.randrange(start + 1, end - 1) if end - start > 2 else start
        if position in used or position - 1 in used or position + 1 in used:
            continue
        used.add(position)
        action = rng.choice(["replace", "drop", "add", "swap"])
        if action == "replace":
            edits.append((position, 1, rng.choice("aeiourstn")))
        elif action == "drop" and end - start > 1:
            edits.append((position, 1, ""))
        elif action == "add" and position > start:
            edits.append((position, 0, rng.choice("aeiourstn")))
        elif position + 1 < end:
            edits.append((position, 2, text[position + 1] + text[position]))
        else:
            edits.append((position, 1, rng.choice("aeiourstn")))
    return edits


def word_inserted(rng, text, start, end, other):
    boundaries = [start + m.start() for m in re.finditer(r" ", text[start:end])]
    if not boundaries:
        return None
    return [(rng.choice(boundaries), 0, " " + rng.choice(WORDS))]


def word_deleted(rng, text, start, end, other):
    words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]
    if len(words) < 2:
        return None
    index = rng.randrange(len(words))
    if index == 0:  # the first word and the space after it
        return [(words[0][0], words[1][0] - words[0][0], "")]
    return [(words[index - 1][1], words[index][1] - words[index - 1][1], "")]


def paragraph_breaks(text, start, end):
    """Where a paragraph can go: after a blank line, at least a context away from the passage."""
    away = CONTEXT_CHARS + 1
    return [m.end() for m in re.finditer(r"\n\n", text) if m.end() < start - away or m.end() > end + away]


def duplicated(rng, text, start, end, other):
    places = paragraph_breaks(text, start, end)
    return [(rng.choice(places), 0, text[start:end] + "\n\n")] if places else None


def deleted(rng, text, start, end, other):
    return [(start, end - start, "")]


def deleted_with_surroundings(rng, text, start, end, other):
    before, after = rng.randint(1, 300), rng.randint(1, 300)
    low, high = max(0, start - before), min(len(text), end + after)
    return [(low, high - low, "")]


def paragraphs_added(rng, text, start, end, other):
    places = [m.end() for m in re.finditer(r"\n\n", text) if not start < m.end() < end]
    paragraphs = [p for p in other.split("\n\n") if len(p) > 40]
    return [(rng.choice(places), 0, rng.choice(paragraphs) + "\n\n") for _ in range(rng.randint(1, 3))]


EDITS = {
    "outside": outside,
    "context": in_context,
    "typo": typo,
    "word inserted": word_inserted,
    "word deleted": word_deleted,
    "duplicated": duplicated,
    "deleted": deleted,
    "deleted with surroundings": deleted_with_surroundings,
    "paragraphs added": paragraphs_added,
}
