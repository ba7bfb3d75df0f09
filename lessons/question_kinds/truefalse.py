"""True or false: a statement to judge."""

from lessons.question_kinds.base import BadSubmission, ChoiceKind, GiftAnswers, NeedsAttention, all_or_nothing, register


@register
class TrueFalse(ChoiceKind):
    name = "truefalse"
    label = "True or false"
    menu_order = 30
    missing_message = "Choose true or false."
    key_fields = frozenset({"answer"})
    sheet_template = "lessons/question_kinds/sheet_truefalse.html"

    def model_errors(self, question):
        if question.true_false_answer is None:
            return {"true_false_answer": "Say whether the statement is true or false."}
        return {}

    def snapshot_fields(self, question, text_of):
        return {"answer": bool(question.true_false_answer)}

    def read(self, question, data, key):
        raw = data.get(key)
        if not raw:
            raise NeedsAttention(self.missing_message)
        if raw not in ("true", "false"):
            raise BadSubmission(f"Question {question['position']}: the answer must be true or false.")
        return raw == "true"

    def score(self, question, answer):
        return all_or_nothing(question, answer is question["answer"])

    def describe(self, question, answer):
        return "True" if answer else "False"

    def describe_key(self, question):
        return "True" if question["answer"] else "False"

    def options(self, question):
        return [("True", question["answer"]), ("False", not question["answer"])]

    def gift(self, question):
        return GiftAnswers([("T" if question["answer"] else "F", "")])
