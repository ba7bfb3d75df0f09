"""Short answer: a few words, compared with the accepted answers after normalising both."""

import re
import unicodedata

from lessons.question_kinds.base import (
    BadSubmission,
    GiftAnswers,
    NeedsAttention,
    QuestionKind,
    all_or_nothing,
    register,
)

MAX_SHORT_ANSWER = 300


def normalise(text: str) -> str:
    """Case, spacing, punctuation and accents do not matter in short answers."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[.'’]", "", text)  # "S.C.C." is "SCC", "Soviets’" is "Soviets"
    text = "".join(" " if unicodedata.category(c).startswith(("P", "S")) else c for c in text)
    return re.sub(r"\s+", " ", text).strip().casefold()


@register
class ShortAnswer(QuestionKind):
    name = "short"
    label = "Short answer"
    menu_order = 40
    missing_message = "Write an answer."
    key_fields = frozenset({"accepted"})

    def model_errors(self, question):
        if not question.accepted_answers.strip():
            return {"accepted_answers": "List at least one accepted answer."}
        return {}

    def snapshot_fields(self, question, text_of):
        return {"accepted": [line.strip() for line in question.accepted_answers.splitlines() if line.strip()]}

    def read(self, question, data, key):
        raw = (data.get(key) or "").strip()
        if len(raw) > MAX_SHORT_ANSWER:
            raise BadSubmission(
                f"Question {question['position']}: the answer is longer than {MAX_SHORT_ANSWER} characters."
            )
        if not raw:
            raise NeedsAttention(self.missing_message)
        return raw

    def score(self, question, answer):
        return all_or_nothing(question, normalise(answer) in {normalise(a) for a in question["accepted"]})

    def describe_key(self, question):
        return " / ".join(question["accepted"])

    def gift(self, question):
        return GiftAnswers([("=", answer) for answer in question["accepted"]])

    def write_qti(self, question, qti):
        # matched case-insensitively, but not with our looser matching: an LMS may accept fewer spellings
        declaration = qti.declare_response("single", "string", question["accepted"][:1])
        mapping = qti.element(declaration, "mapping", defaultValue="0")
        seen = set()
        for answer in question["accepted"]:
            if answer.casefold() not in seen:
                seen.add(answer.casefold())
                qti.element(mapping, "mapEntry", mapKey=answer, mappedValue="1", caseSensitive="false")
        qti.element(
            qti.element(qti.body, "p"), "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="40"
        )
        qti.processing_template("map_response")
