"""Put the events in order: 3 to 6 events or passages, stored as the question's choices in their right order.

The form shows them shuffled (the same way every time for a question, never in the right order) with a
position from 1 to n to give each; the score counts the neighbouring pairs put the right way round.
"""

import hashlib
from decimal import Decimal

from lessons.question_kinds.base import (
    DIGITS,
    BadSubmission,
    Marked,
    NeedsAttention,
    QuestionKind,
    float_text,
    register,
    rounded,
)

MIN_ITEMS, MAX_ITEMS = 3, 6
ORDER_RULE = (
    "Each pair of neighbouring events that you put next to each other and the right way round earns an equal "
    "share of the points; with n events there are n − 1 such pairs."
)


def shown_order(question_id, ids: list) -> list:
    """The right order shuffled by a hash of the question: stable from one visit to the next, never the key."""
    shown = sorted(ids, key=lambda choice_id: hashlib.sha256(f"{question_id}:{choice_id}".encode()).digest())
    return shown[1:] + shown[:1] if shown == ids else shown


def numbered(texts: list[str]) -> str:
    return "; ".join(f"{n}. {text}" for n, text in enumerate(texts, 1))


@register
class PutInOrder(QuestionKind):
    name = "order"
    label = "Put the events in order (partial credit)"
    menu_order = 60
    scoring_rule = ORDER_RULE
    uses_choices = True
    choices_help = f"put in order: the {MIN_ITEMS} to {MAX_ITEMS} events, in their right order, earliest first"
    sheet_template = "lessons/question_kinds/sheet_order.html"
    gift_left_out = "GIFT has no ordering question; the QTI export has it (orderInteraction)."

    def choice_errors(self, choices):
        if not MIN_ITEMS <= len(choices) <= MAX_ITEMS:
            return [f"A put-in-order question needs {MIN_ITEMS} to {MAX_ITEMS} choices, in their right order."]
        return []

    def snapshot_fields(self, question, text_of):
        choices = [{"id": c.pk, "text": c.text} for c in question.choices.all()]
        if not MIN_ITEMS <= len(choices) <= MAX_ITEMS:
            return None
        return {"choices": choices, "shown": shown_order(question.pk, [c["id"] for c in choices])}

    def public(self, question):
        """The events in the shown order, without ids: the ids would follow the right order."""
        texts = {c["id"]: c["text"] for c in question["choices"]}
        shown = {k: v for k, v in question.items() if k not in ("choices", "shown")}
        shown["items"] = [texts[choice_id] for choice_id in question["shown"]]
        shown["positions"] = list(range(1, len(question["shown"]) + 1))
        return shown

    def read(self, question, data, key):
        """The choice ids in the student's order. Field `{key}-{k}` holds the position of the k-th event shown."""
        count = len(question["shown"])
        positions = {}
        for slot, choice_id in enumerate(question["shown"], 1):
            raw = data.get(f"{key}-{slot}", "")
            if raw and not (DIGITS.fullmatch(raw) and 1 <= int(raw) <= count):
                raise BadSubmission(f"Question {question['position']}: positions run from 1 to {count}.")
            if raw:
                positions[choice_id] = int(raw)
        if len(positions) < count:
            raise NeedsAttention(f"Give every event a position from 1 to {count}.")
        given = list(positions.values())
        if len(set(given)) < count:
            twice = ", ".join(str(p) for p in sorted({p for p in given if given.count(p) > 1}))
            raise NeedsAttention(f"Use each position from 1 to {count} once: {twice} is given to more than one event.")
        return sorted(positions, key=positions.get)

    def kept_values(self, question, data, key):
        return {f"{key}-{slot}": data.get(f"{key}-{slot}", "") for slot in range(1, len(question["shown"]) + 1)}

    def score(self, question, answer):
        right = [c["id"] for c in question["choices"]]
        given = set(zip(answer, answer[1:], strict=False))
        kept = sum(1 for pair in zip(right, right[1:], strict=False) if pair in given)
        points = Decimal(question["points"])
        note = f"{kept} of {len(right) - 1} neighbouring pairs in the right order."
        return Marked(rounded(points * kept / (len(right) - 1)), points, list(answer) == right, note)

    def describe(self, question, answer):
        texts = {c["id"]: c["text"] for c in question["choices"]}
        return numbered([texts.get(choice_id, "") for choice_id in answer])

    def describe_key(self, question):
        return numbered([c["text"] for c in question["choices"]])

    def gift(self, question):
        return None

    def write_qti(self, question, qti):
        """An orderInteraction; the response processing gives 1/(n − 1) for each right neighbouring pair, as here
        (no standard template does: match_correct would give all or nothing)."""
        texts = {c["id"]: c["text"] for c in question["choices"]}
        # identifiers follow the shown order, so that they do not give the right order away
        ident = {choice_id: f"C{n}" for n, choice_id in enumerate(question["shown"], 1)}
        right = [ident[c["id"]] for c in question["choices"]]
        qti.declare_response("ordered", "identifier", right)
        interaction = qti.element(qti.body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="false")
        for choice_id in question["shown"]:
            qti.element(interaction, "simpleChoice", texts[choice_id], identifier=ident[choice_id])
        processing, share = qti.processing(), float_text(1 / (len(right) - 1))
        for first, second in zip(right, right[1:], strict=False):
            when = qti.element(qti.element(processing, "responseCondition"), "responseIf")
            anywhere = qti.element(when, "or")  # the pair side by side at positions (k, k + 1), for some k
            for k in range(1, len(right)):
                both = qti.element(anywhere, "and")
                for index, expected in ((k, first), (k + 1, second)):
                    match = qti.element(both, "match")
                    qti.element(qti.element(match, "index", n=index), "variable", identifier="RESPONSE")
                    qti.element(match, "baseValue", expected, baseType="identifier")
            total = qti.element(qti.element(when, "setOutcomeValue", identifier="SCORE"), "sum")
            qti.element(total, "variable", identifier="SCORE")
            qti.element(total, "baseValue", share, baseType="float")
