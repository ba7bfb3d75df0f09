"""Question kinds: one module per kind, each registering its class (the contract is in `base.py`).

Every module of this package is imported here, so a new kind needs only its own module, its template
and a migration for the model field's choices (see "How to add a question kind" in the README).
"""

import importlib
import pkgutil

from lessons.question_kinds.base import (
    KINDS,
    BadSubmission,
    GiftAnswers,
    Marked,
    NeedsAttention,
    QuestionKind,
    all_kinds,
    kind_for,
    rounded,
)

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")


def model_choices() -> list[tuple[str, str]]:
    """The choices of Question.kind, in the editors' order."""
    return [(kind.name, kind.label) for kind in all_kinds()]


__all__ = [
    "KINDS",
    "BadSubmission",
    "GiftAnswers",
    "Marked",
    "NeedsAttention",
    "QuestionKind",
    "all_kinds",
    "kind_for",
    "model_choices",
    "rounded",
]
