"""Taking a quiz: show it, check and score a submission on the server, show the result."""

import re
import uuid
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_ratelimit.decorators import ratelimit

from core.throttling import class_code_refusal, setting_rate
from lessons.models import QuestionResponse, Quiz, QuizAttempt
from lessons.scoring import MULTIPLE_SELECT_RULE, score
from lessons.snapshots import public_questions, quiz_snapshot

MAX_SHORT_ANSWER = 300
MAX_DISPLAY_NAME = 80
CLASS_CODE = re.compile(r"^[A-Z0-9]{4,12}$")
DIGITS = re.compile(r"[0-9]{1,9}")  # not str.isdigit(): "²" is a digit to it, and int("²") fails


class BadSubmission(Exception):
    """A submission no honest form can produce (a forged choice, an oversized answer): answered with a 400."""


def normalise_class_code(raw: str) -> str:
    return re.sub(r"[\s-]+", "", raw or "").upper()


def read_answers(snapshot: dict, data) -> tuple[dict, dict]:
    """The answers in a submission, by question position, and what is missing (by position)."""
    answers, missing = {}, {}
    for question in snapshot["questions"]:
        position, kind = question["position"], question["kind"]
        key = f"q{position}"
        if kind == "single":
            raw = data.get(key)
            if not raw:
                missing[position] = "Choose one answer."
                continue
            ids = {str(c["id"]): c["id"] for c in question["choices"]}
            if raw not in ids:
                raise BadSubmission(f"Question {position}: that choice is not one of this question's choices.")
            answers[position] = ids[raw]
        elif kind == "multiple":
            raws = data.getlist(key)
            if not raws:
                missing[position] = "Tick at least one answer."
                continue
            ids = {str(c["id"]): c["id"] for c in question["choices"]}
            if any(raw not in ids for raw in raws):
                raise BadSubmission(f"Question {position}: one of those choices is not one of this question's choices.")
            answers[position] = sorted({ids[raw] for raw in raws})
        elif kind == "truefalse":
            raw = data.get(key)
            if not raw:
                missing[position] = "Choose true or false."
                continue
            if raw not in ("true", "false"):
                raise BadSubmission(f"Question {position}: the answer must be true or false.")
            answers[position] = raw == "true"
        elif kind == "short":
            raw = (data.get(key) or "").strip()
            if len(raw) > MAX_SHORT_ANSWER:
                raise BadSubmission(f"Question {position}: the answer is longer than {MAX_SHORT_ANSWER} characters.")
            if not raw:
                missing[position] = "Write an answer."
                continue
            answers[position] = raw
        elif kind == "evidence":
            answer = read_evidence(question, data, key)
            if answer is None:
                missing[position] = "Mark the sentence that supports the claim."
                continue
            answers[position] = answer
    return answers, missing


def read_evidence(question: dict, data, key: str):
    excerpt = question["excerpt"]
    start, end = data.get(f"{key}-start"), data.get(f"{key}-end")
    if start and end:  # a passage selected with the mouse (JavaScript)
        if not (DIGITS.fullmatch(start) and DIGITS.fullmatch(end)):
            raise BadSubmission("The marked passage is not a pair of positions.")
        start, end = int(start), int(end)
        if not excerpt["start"] <= start < end <= excerpt["end"]:
            raise BadSubmission("The marked passage lies outside the excerpt.")
        return [start, end]
    raw = data.get(key)
    if not raw:
        return None
    if not DIGITS.fullmatch(raw) or int(raw) >= len(excerpt["sentences"]):
        raise BadSubmission("That sentence is not one of the excerpt's sentences.")
    sentence = excerpt["sentences"][int(raw)]
    return [sentence["start"], sentence["end"]]


def kept_values(snapshot: dict, data) -> dict:
    """What the student entered, to show again when the form comes back with a problem."""
    kept = {}
    for question in snapshot["questions"]:
        key = f"q{question['position']}"
        if question["kind"] == "multiple":
            kept[key] = data.getlist(key)
        else:
            kept[key] = data.get(key, "")
        kept[f"{key}-start"] = data.get(f"{key}-start", "")
        kept[f"{key}-end"] = data.get(f"{key}-end", "")
    return kept


def form_context(quiz, snapshot, **extra) -> dict:
    context = {
        "quiz": quiz,
        "questions": public_questions(snapshot),
        "version": snapshot["version"],
        "token": uuid.uuid4(),
        "values": {},
        "errors": {},
        "multiple_rule": MULTIPLE_SELECT_RULE,
    }
    context.update(extra)
    return context


def live_quiz(slug: str) -> Quiz:
    return get_object_or_404(Quiz, slug=slug, live=True)


@ratelimit(key="ip", rate=setting_rate("THROTTLE_QUIZ_SUBMISSIONS"), method="POST", block=True)
def quiz_page(request, slug):
    quiz = live_quiz(slug)
    snapshot = quiz_snapshot(quiz)
    if not snapshot["questions"]:
        raise Http404("This quiz has no questions yet.")
    if request.method != "POST":
        code = normalise_class_code(request.GET.get("class", ""))
        context = form_context(quiz, snapshot, class_code=code, next=safe_next(request, request.GET.get("next")))
        return render(request, "lessons/quiz.html", context)
    try:
        return submit(request, quiz, snapshot)
    except BadSubmission as problem:
        return render(request, "lessons/bad_submission.html", {"quiz": quiz, "problem": str(problem)}, status=400)


def safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return ""


def submit(request, quiz, snapshot):
    data = request.POST
    try:
        token = uuid.UUID(data.get("token", ""))
    except ValueError as error:
        raise BadSubmission("The form is missing its one-time token. Reload the quiz and try again.") from error
    existing = QuizAttempt.objects.filter(token=token).first()
    if existing is not None:  # a double click or a resubmit: the first attempt stands
        return redirect(existing.get_absolute_url(), permanent=False)
    name = data.get("display_name", "").strip()
    if len(name) > MAX_DISPLAY_NAME:
        raise BadSubmission(f"The name is longer than {MAX_DISPLAY_NAME} characters.")
    code = normalise_class_code(data.get("class_code", ""))
    problems = {}
    if code and not CLASS_CODE.match(code):
        problems["class_code"] = (
            "A class code is 4 to 12 letters and digits, as your teacher gave it. Check it or leave it empty."
        )
    elif code and (refused := class_code_refusal(request)):
        return refused
    elif code and not class_code_exists(code):
        if refused := class_code_refusal(request, wrong=True):
            return refused
        problems["class_code"] = f"No class uses the code {code}. Check it with your teacher, or leave it empty."
    stale = data.get("version") != snapshot["version"]
    answers, missing = ({}, {}) if stale else read_answers(snapshot, data)
    if stale or missing or problems:
        message = (
            "This quiz was updated while you were answering. Please check your answers and submit again."
            if stale
            else "Some answers need your attention."
        )
        context = form_context(
            quiz,
            snapshot,
            values=kept_values(snapshot, data),
            errors=missing,
            problems=problems,
            summary=message,
            display_name=name,
            class_code=code,
            token=token,
            next=safe_next(request, data.get("next")),
        )
        return render(request, "lessons/quiz.html", context, status=200)
    attempt = record_attempt(quiz, snapshot, answers, token, name, code)
    url = attempt.get_absolute_url()
    next_url = safe_next(request, data.get("next"))
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


def class_code_exists(code: str) -> bool:
    from lessons.models import LessonPlanPage

    return LessonPlanPage.live_for_code(code) is not None


def record_attempt(quiz, snapshot, answers, token, name, code) -> QuizAttempt:
    marks = {q["position"]: score(q, answers[q["position"]]) for q in snapshot["questions"]}
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                token=token,
                quiz=quiz,
                quiz_title=quiz.title,
                snapshot=snapshot,
                score=sum(m.points for m in marks.values()),
                max_score=sum(m.max_points for m in marks.values()),
                display_name=name,
                class_code=code,
            )
            QuestionResponse.objects.bulk_create(
                QuestionResponse(
                    attempt=attempt,
                    position=position,
                    question_id=q["id"],
                    answer=answers[position],
                    points=marks[position].points,
                    max_points=marks[position].max_points,
                    correct=marks[position].correct,
                )
                for q in snapshot["questions"]
                for position in [q["position"]]
            )
    except IntegrityError:  # the same token committed by a parallel request: that attempt stands
        return QuizAttempt.objects.get(token=token)
    return attempt


def quiz_result(request, slug, attempt_id):
    attempt = get_object_or_404(QuizAttempt, pk=attempt_id)
    if attempt.snapshot.get("quiz_slug") != slug:
        raise Http404("No such result for this quiz.")
    responses = {r.position: r for r in attempt.responses.all()}
    rows = []
    for question in attempt.snapshot["questions"]:
        response = responses.get(question["position"])
        rows.append({"question": question, "response": response, "given": describe_answer(question, response)})
    return render(
        request,
        "lessons/quiz_result.html",
        {
            "attempt": attempt,
            "rows": rows,
            "next": safe_next(request, request.GET.get("next")),
            "multiple_rule": MULTIPLE_SELECT_RULE,
        },
    )


def describe_answer(question: dict, response) -> str:
    """The student's answer in words, from the snapshot (so it reads the same after the quiz is edited)."""
    if response is None:
        return ""
    answer = response.answer
    if question["kind"] == "single":
        return next((c["text"] for c in question["choices"] if c["id"] == answer), "")
    if question["kind"] == "multiple":
        return "; ".join(c["text"] for c in question["choices"] if c["id"] in answer)
    if question["kind"] == "truefalse":
        return "True" if answer else "False"
    if question["kind"] == "evidence":
        for sentence in question["excerpt"]["sentences"]:
            if sentence["start"] <= answer[0] < sentence["end"]:
                whole = answer == [sentence["start"], sentence["end"]]
                return sentence["text"] if whole else f"(part of) {sentence['text']}"
        return ""
    return str(answer)
