"""What every question kind does, and the registry that finds a question's kind.

A kind owns everything that differs from one kind of question to another: what its snapshot holds,
the input the student sees, reading and checking a submission, scoring, describing an answer, and its
GIFT and QTI export. The rest of the app asks the registry (`kind_for`) instead of testing the kind.

Scoring, describing and exporting work on plain snapshot dicts, with no Django here: a past attempt
is scored and shown from its snapshot alone.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

DIGITS = re.compile(r"[0-9]{1,9}")  # not str.isdigit(): "²" is a digit to it, and int("²") fails


class BadSubmission(Exception):
    """A submission no honest form can produce (a forged choice, an oversized answer): answered with a 400."""


class NeedsAttention(Exception):
    """An answer that is missing or incomplete: the form comes back with this message and the answers kept."""


@dataclass(frozen=True)
class Marked:
    points: Decimal
    max_points: Decimal
    correct: bool
    note: str = ""


def rounded(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def float_text(value: float) -> str:
    """A float as QTI's XML wants it."""
    return repr(float(value))


def all_or_nothing(question: dict, ok: bool, note: str = "") -> Marked:
    points = Decimal(question["points"])
    return Marked(points if ok else Decimal(0), points, ok, note)


@dataclass(frozen=True)
class GiftAnswers:
    """The answer part of a GIFT question: (mark, plain text) lines, such as ("=", "Helsinki") or ("~%50%", "…");
    the exporter escapes the text. `notes` become comments for what GIFT cannot say exactly."""

    lines: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)


class QuestionKind:
    """One kind of question. Subclasses set the class attributes and are registered with `@register`."""

    name = ""  # stored in Question.kind and in snapshots
    label = ""  # what editors choose from
    menu_order = 0  # place in the editors' list (and in the model field's choices)
    missing_message = "Answer this question."
    scoring_rule = ""  # said beside the question and its result when the kind gives partial credit
    key_fields: frozenset[str] = frozenset()  # snapshot fields that would give the answer away
    uses_choices = False  # whether the Choice inline means anything for this kind
    choices_help = ""  # what the Choice inline is for, for editors
    export_instruction = ""  # added to the prompt where an export needs to say how to answer

    @property
    def template(self) -> str:
        """The input part of the question in the quiz form (`q`, `name`, `value`, `values`, `quiz` in context)."""
        return f"lessons/question_kinds/{self.name}.html"

    sheet_template = "lessons/question_kinds/sheet_blank.html"  # the printed answer sheet

    # ---- editing

    def model_errors(self, question) -> dict:
        """Problems with a question as an editor filled it in: {field name or None: message}."""
        return {}

    def choice_errors(self, choices: list[dict]) -> list[str]:
        """Problems with the choices an editor kept ({"text", "correct"} each)."""
        return []

    # ---- snapshot

    def snapshot_fields(self, question, text_of) -> dict | None:
        """What this kind adds to a question's snapshot, or None when it cannot be asked (it is left out).
        `text_of(document)` gives a document's canonical text, rendered once per snapshot."""
        return {}

    def public(self, question: dict) -> dict:
        """The question as the form may show it: nothing that gives the answer away."""
        return {k: v for k, v in question.items() if k not in self.key_fields}

    # ---- taking the quiz

    def read(self, question: dict, data, key: str):
        """The answer in a submission (a QueryDict); NeedsAttention when missing, BadSubmission when forged."""
        raise NotImplementedError

    def kept_values(self, question: dict, data, key: str) -> dict:
        """What the student entered, to fill the form again when it comes back."""
        return {key: data.get(key, "")}

    def score(self, question: dict, answer) -> Marked:
        raise NotImplementedError

    def describe(self, question: dict, answer) -> str:
        """The student's answer in words, from the snapshot (so it reads the same after the quiz is edited)."""
        return str(answer)

    def describe_key(self, question: dict) -> str:
        """The right answer in words."""
        raise NotImplementedError

    # ---- exports

    def gift(self, question: dict) -> GiftAnswers | None:
        """The GIFT answers, or None when GIFT has no such question (the export leaves it out, saying why)."""
        raise NotImplementedError

    gift_left_out = ""  # why GIFT leaves this kind out, when `gift` gives None

    def write_qti(self, question: dict, qti) -> None:
        """Declare the response, add the interaction and the response processing through `qti`
        (`lessons.exports.QtiItemWriter`: the kinds never handle XML themselves)."""
        raise NotImplementedError


class ChoiceKind(QuestionKind):
    """A kind answered by picking one option: a choice interaction, matched against the right option."""

    def options(self, question: dict) -> list[tuple[str, bool]]:
        """(text, right) for every option, in the order shown."""
        raise NotImplementedError

    def gift(self, question: dict) -> GiftAnswers:
        return GiftAnswers([("=" if ok else "~", text) for text, ok in self.options(question)])

    def write_qti(self, question: dict, qti) -> None:
        options = [(f"C{n}", text, ok) for n, (text, ok) in enumerate(self.options(question), 1)]
        qti.declare_response("single", "identifier", [ident for ident, _, ok in options if ok])
        qti.choice_interaction(options, max_choices=1, prompt=self.export_instruction)
        qti.processing_template("match_correct")


KINDS: dict[str, QuestionKind] = {}


def register(cls):
    """Class decorator: make a kind known to the model, the views and the exports."""
    KINDS[cls.name] = cls()
    return cls


def kind_for(question) -> QuestionKind:
    """The kind of a question: a snapshot dict, a Question, or a kind's name."""
    if isinstance(question, str):
        name = question
    elif isinstance(question, dict):
        name = question["kind"]
    else:
        name = question.kind
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown question kind {name!r}") from None


def all_kinds() -> list[QuestionKind]:
    return sorted(KINDS.values(), key=lambda kind: kind.menu_order)
