"""Multiple select: tick every right choice, with partial credit."""

from decimal import Decimal

from lessons.question_kinds.base import (
    GiftAnswers,
    Marked,
    NeedsAttention,
    QuestionKind,
    float_text,
    register,
    rounded,
)
from lessons.question_kinds.single import choice_snapshot, chosen_id, public_choices

MULTIPLE_SELECT_RULE = (
    "Each correct choice you tick earns an equal share of the points; each wrong choice you tick takes "
    "one share away; the total never goes below zero."
)
# Moodle accepts only these answer weights (question_bank::fraction_options_full), in percent.
MOODLE_WEIGHTS = [
    "100",
    "90",
    "83.33333",
    "80",
    "75",
    "70",
    "66.66667",
    "60",
    "50",
    "40",
    "33.33333",
    "30",
    "25",
    "20",
    "16.66667",
    "14.28571",
    "12.5",
    "11.11111",
    "10",
    "5",
]


def moodle_weight(share: float) -> tuple[str, bool]:
    """The Moodle weight nearest to `share` percent, and whether it is exact (Moodle's own tolerance)."""
    weight = min(MOODLE_WEIGHTS, key=lambda w: abs(float(w) - share))
    return weight, abs(float(weight) - share) < 0.001


@register
class MultipleSelect(QuestionKind):
    name = "multiple"
    label = "Multiple select (partial credit)"
    menu_order = 20
    missing_message = "Tick at least one answer."
    scoring_rule = MULTIPLE_SELECT_RULE
    uses_choices = True
    choices_help = "multiple select: tick every right choice"
    sheet_template = "lessons/question_kinds/sheet_choices.html"

    def choice_errors(self, choices):
        if not any(c["correct"] for c in choices):
            return ["Mark the right choice: a question without one cannot be scored."]
        return []

    def snapshot_fields(self, question, text_of):
        choices = choice_snapshot(question)
        return {"choices": choices} if any(c["correct"] for c in choices) else None

    def public(self, question):
        return public_choices(question)

    def read(self, question, data, key):
        raws = data.getlist(key)
        if not raws:
            raise NeedsAttention(self.missing_message)
        for raw in raws:
            chosen_id(question, raw)  # a forged choice is a BadSubmission
        return sorted({chosen_id(question, raw) for raw in raws})

    def kept_values(self, question, data, key):
        return {key: data.getlist(key)}

    def score(self, question, answer):
        points = Decimal(question["points"])
        right = {c["id"] for c in question["choices"] if c["correct"]}
        chosen = set(answer)
        share = points / len(right)
        earned = max(Decimal(0), share * len(chosen & right) - share * len(chosen - right))
        return Marked(rounded(earned), points, chosen == right, MULTIPLE_SELECT_RULE)

    def describe(self, question, answer):
        return "; ".join(c["text"] for c in question["choices"] if c["id"] in answer)

    def describe_key(self, question):
        return "; ".join(c["text"] for c in question["choices"] if c["correct"])

    def gift(self, question):
        right = max(1, sum(1 for c in question["choices"] if c["correct"]))  # as many shares as right choices
        weight, exact = moodle_weight(100 / right)
        notes = []
        if not exact:
            notes.append(
                f"Our rule gives each of the {right} correct choices {100 / right:.5g}%; Moodle accepts only its "
                f"own weights, so {weight}% is used (the nearest)."
            )
        lines = [(f"~%{weight if c['correct'] else '-' + weight}%", c["text"]) for c in question["choices"]]
        return GiftAnswers(lines, notes)

    def write_qti(self, question, qti):
        options = [(f"C{n}", c["text"], c["correct"]) for n, c in enumerate(question["choices"], 1)]
        right = [ident for ident, _, ok in options if ok]
        declaration = qti.declare_response("multiple", "identifier", right)
        # each right choice earns a share, each wrong one takes a share away, within 0..1: our rule exactly
        share = 1 / max(1, len(right))
        mapping = qti.element(declaration, "mapping", lowerBound="0", upperBound="1", defaultValue="0")
        for ident, _, ok in options:
            qti.element(mapping, "mapEntry", mapKey=ident, mappedValue=float_text(share if ok else -share))
        qti.choice_interaction(options, max_choices=0)
        qti.processing_template("map_response")
