"""Single choice: one right choice among several, all or nothing."""

from lessons.question_kinds.base import BadSubmission, ChoiceKind, NeedsAttention, all_or_nothing, register


def choice_snapshot(question) -> list[dict]:
    return [{"id": c.pk, "text": c.text, "correct": c.correct} for c in question.choices.all()]


def public_choices(question: dict) -> dict:
    """The question with its choices' texts and ids, not which are right."""
    return {**question, "choices": [{"id": c["id"], "text": c["text"]} for c in question["choices"]]}


def chosen_id(question: dict, raw: str) -> int:
    ids = {str(c["id"]): c["id"] for c in question["choices"]}
    if raw not in ids:
        raise BadSubmission(f"Question {question['position']}: that choice is not one of this question's choices.")
    return ids[raw]


@register
class SingleChoice(ChoiceKind):
    name = "single"
    label = "Single choice"
    menu_order = 10
    missing_message = "Choose one answer."
    uses_choices = True
    choices_help = "single choice: tick the one right choice"
    sheet_template = "lessons/question_kinds/sheet_choices.html"

    def choice_errors(self, choices):
        right = sum(1 for c in choices if c["correct"])
        if right == 0:
            return ["Mark the right choice: a question without one cannot be scored."]
        if right > 1:
            return ["A single-choice question has exactly one right choice; use multiple select."]
        return []

    def snapshot_fields(self, question, text_of):
        choices = choice_snapshot(question)
        if sum(c["correct"] for c in choices) != 1:
            return None  # cannot be scored: left out rather than failing the whole quiz
        return {"choices": choices}

    def public(self, question):
        return public_choices(question)

    def read(self, question, data, key):
        raw = data.get(key)
        if not raw:
            raise NeedsAttention(self.missing_message)
        return chosen_id(question, raw)

    def score(self, question, answer):
        right = next(c["id"] for c in question["choices"] if c["correct"])
        return all_or_nothing(question, answer == right)

    def describe(self, question, answer):
        return next((c["text"] for c in question["choices"] if c["id"] == answer), "")

    def describe_key(self, question):
        return "; ".join(c["text"] for c in question["choices"] if c["correct"])

    def options(self, question):
        return [(c["text"], c["correct"]) for c in question["choices"]]
