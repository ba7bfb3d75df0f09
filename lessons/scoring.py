"""Scoring quiz answers against a snapshot of the questions. No Django here.

A snapshot is what the student was asked, frozen at submission: later edits of the quiz never
change a past result. Each question is a dict with at least `kind` and `points`; what else it
holds depends on the kind (see `lessons.snapshots`).
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

EVIDENCE_MIN_OVERLAP = 0.5  # intersection over union of the marked passage and the key sentence
MULTIPLE_SELECT_RULE = (
    "Each correct choice you tick earns an equal share of the points; each wrong choice you tick takes "
    "one share away; the total never goes below zero."
)


@dataclass(frozen=True)
class Marked:
    points: Decimal
    max_points: Decimal
    correct: bool
    note: str = ""


def normalise(text: str) -> str:
    """Case, spacing, punctuation and accents do not matter in short answers."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[.'’]", "", text)  # "S.C.C." is "SCC", "Soviets’" is "Soviets"
    text = "".join(" " if unicodedata.category(c).startswith(("P", "S")) else c for c in text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two [start, end) ranges."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def rounded(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def score(question: dict, answer) -> Marked:
    points = Decimal(question["points"])
    kind = question["kind"]
    if kind == "single":
        right = next(c["id"] for c in question["choices"] if c["correct"])
        ok = answer == right
        return Marked(points if ok else Decimal(0), points, ok)
    if kind == "multiple":
        right = {c["id"] for c in question["choices"] if c["correct"]}
        chosen = set(answer)
        share = points / len(right)
        earned = max(Decimal(0), share * len(chosen & right) - share * len(chosen - right))
        return Marked(rounded(earned), points, chosen == right, MULTIPLE_SELECT_RULE)
    if kind == "truefalse":
        ok = answer is question["answer"]
        return Marked(points if ok else Decimal(0), points, ok)
    if kind == "short":
        ok = normalise(answer) in {normalise(a) for a in question["accepted"]}
        return Marked(points if ok else Decimal(0), points, ok)
    if kind == "evidence":
        target = (question["target"]["start"], question["target"]["end"])
        ratio = overlap(tuple(answer), target)
        ok = ratio >= EVIDENCE_MIN_OVERLAP
        return Marked(points if ok else Decimal(0), points, ok, f"Overlap with the key sentence: {ratio:.0%}.")
    raise ValueError(f"unknown question kind {kind!r}")
