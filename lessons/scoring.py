"""Scoring quiz answers against a snapshot of the questions. No Django here.

A snapshot is what the student was asked, frozen at submission: later edits of the quiz never
change a past result. Each question is a dict with at least `kind` and `points`; what else it
holds, and how it is scored, is up to its kind (`lessons.question_kinds`).
"""

from lessons.question_kinds import Marked, kind_for, rounded
from lessons.question_kinds.evidence import EVIDENCE_MIN_OVERLAP, overlap
from lessons.question_kinds.multiple import MULTIPLE_SELECT_RULE
from lessons.question_kinds.short import normalise

__all__ = ["EVIDENCE_MIN_OVERLAP", "MULTIPLE_SELECT_RULE", "Marked", "normalise", "overlap", "rounded", "score"]


def score(question: dict, answer) -> Marked:
    return kind_for(question).score(question, answer)
