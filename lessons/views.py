"""Taking a quiz: show it, check and score a submission on the server, show the result."""

import re
import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django.core import signing
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django_ratelimit.decorators import ratelimit

from core.throttling import class_code_refusal, setting_rate
from lessons.models import LessonPlanPage, QuestionResponse, Quiz, QuizAttempt
from lessons.question_kinds import BadSubmission, NeedsAttention, kind_for
from lessons.results import student_key
from lessons.scoring import score
from lessons.snapshots import cached_snapshot, public_questions

MAX_DISPLAY_NAME = 80
CLASS_CODE = re.compile(r"^[A-Z0-9]{4,12}$")
QUIZ_FORM_SALT = "lessons.quiz-form-token"  # signatures made for quiz forms fit nothing else
TOKEN_MAX_AGE = timedelta(hours=12)
MAX_TOKEN_LENGTH = 200  # a real token is about 100 characters; longer ones are not worth verifying


class TokenRefused(Exception):
    """A form token the server did not issue for this quiz, or issued too long ago: the student gets a fresh form."""


def issue_token(quiz) -> str:
    """A quiz form's token: signed, bound to this quiz, with a random nonce that becomes the attempt's token."""
    return signing.dumps({"quiz": quiz.pk, "nonce": uuid.uuid4().hex}, salt=QUIZ_FORM_SALT)


def read_token(quiz, raw: str) -> tuple[uuid.UUID, bool]:
    """The nonce of a token issued for this quiz, and whether the token has expired.

    Expiry is told apart from forgery so that an old form already submitted still leads to its attempt.
    """
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        raise TokenRefused("This form was not issued by this site, or it lost its token.")
    try:
        payload = signing.loads(raw, salt=QUIZ_FORM_SALT)
        nonce = uuid.UUID(payload["nonce"])
    except (signing.BadSignature, TypeError, KeyError, ValueError) as error:
        raise TokenRefused("This form was not issued by this site, or it lost its token.") from error
    if payload.get("quiz") != quiz.pk:
        raise TokenRefused("This form belongs to another quiz.")
    try:
        signing.loads(raw, salt=QUIZ_FORM_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        return nonce, True
    return nonce, False


def normalise_class_code(raw: str) -> str:
    return re.sub(r"[\s-]+", "", raw or "").upper()


def read_answers(snapshot: dict, data) -> tuple[dict, dict]:
    """The answers in a submission, by question position, and what needs the student's attention (by position)."""
    answers, attention = {}, {}
    for question in snapshot["questions"]:
        position = question["position"]
        try:
            answers[position] = kind_for(question).read(question, data, f"q{position}")
        except NeedsAttention as problem:
            attention[position] = str(problem)
    return answers, attention


def kept_values(snapshot: dict, data) -> dict:
    """What the student entered, to show again when the form comes back with a problem."""
    kept = {}
    for question in snapshot["questions"]:
        kept.update(kind_for(question).kept_values(question, data, f"q{question['position']}"))
    return kept


def form_context(quiz, snapshot, **extra) -> dict:
    context = {
        "quiz": quiz,
        "questions": public_questions(snapshot),
        "version": snapshot["version"],
        "token": issue_token(quiz),
        "values": {},
        "errors": {},
    }
    context.update(extra)
    return context


RECENT_COOKIE = "recent_attempts"
RECENT_SALT = "lessons.recent-attempts"
RECENT_MAX_AGE = 12 * 60 * 60  # a lesson's day: long enough for Back and reload, no lasting record
RECENT_KEPT = 20


def recent_attempt_ids(request) -> list[str]:
    """This browser's recent attempts (signed, so not forged): ids only, kept by the browser, never on the server."""
    value = request.get_signed_cookie(RECENT_COOKIE, default="", salt=RECENT_SALT, max_age=RECENT_MAX_AGE)
    ids = []
    for part in value.split("."):
        try:
            ids.append(str(uuid.UUID(part)))
        except ValueError:
            continue
    return ids[:RECENT_KEPT]


def remember_attempt(request, response, attempt):
    ids = [attempt.pk.hex, *(i.replace("-", "") for i in recent_attempt_ids(request) if i != str(attempt.pk))]
    response.set_signed_cookie(
        RECENT_COOKIE,
        ".".join(ids[:RECENT_KEPT]),
        salt=RECENT_SALT,
        max_age=RECENT_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
        path=reverse("quiz", args=["x"]).rsplit("/", 2)[0] + "/",
    )
    return response


def last_attempt(request, quiz):
    """The latest attempt this browser made at this quiz, or None."""
    ids = recent_attempt_ids(request)
    return QuizAttempt.objects.filter(pk__in=ids, quiz=quiz).order_by("-created_at").first() if ids else None


def live_quiz(slug: str) -> Quiz:
    return get_object_or_404(Quiz, slug=slug, live=True)


def may_view(user, quiz) -> bool:
    """A teacher's quiz seen without a class code: by its owner, or a teacher it is shared with (to try it)."""
    from lessons.quiz_permissions import quiz_policy  # imports the models' app registry

    return user.is_authenticated and quiz_policy().user_has_permission_for_instance(user, "view", quiz)


def may_take(request, quiz, code: str) -> bool:
    """The site's quizzes are open to all; a teacher's, to students coming with the code of a plan that holds it."""
    return quiz.owner_id is None or may_view(request.user, quiz) or (bool(code) and quiz.reachable_with(code))


@ratelimit(key="ip", rate=setting_rate("THROTTLE_QUIZ_SUBMISSIONS"), method="POST", block=True)
def quiz_page(request, slug):
    quiz = live_quiz(slug)
    data = request.POST if request.method == "POST" else request.GET
    code = normalise_class_code(data.get("class_code" if request.method == "POST" else "class", ""))
    if quiz.owner_id is not None and not may_view(request.user, quiz):
        if request.method != "POST" and code and (refused := class_code_refusal(request)):
            return refused  # codes are guessed here too: counted as on the join page
        if not (code and quiz.reachable_with(code)):
            if request.method != "POST" and code and (refused := class_code_refusal(request, wrong=True)):
                return refused
            # A teacher's quiz is not public: only a form this site issued for it (the code then cleared or
            # mistyped) gets an answer, asking for the code again; anything else finds nothing there.
            try:
                read_token(quiz, request.POST.get("token", "") if request.method == "POST" else "")
            except TokenRefused:
                raise Http404("No such quiz.") from None
    snapshot = cached_snapshot(quiz)
    if not snapshot["questions"]:
        raise Http404("This quiz has no questions yet.")
    if request.method != "POST":
        next_url = safe_next(request, request.GET.get("next"))
        previous = last_attempt(request, quiz)
        if previous is not None and "again" not in request.GET:  # Back or reload after submitting
            context = {"quiz": quiz, "previous": previous, "class_code": code, "next": next_url}
            response = render(request, "lessons/quiz_submitted.html", context)
        else:  # a retake keeps the name and the code, so the teacher's table counts it as "attempt 2"
            known = (
                {"display_name": previous.display_name, "class_code": code or previous.class_code} if previous else {}
            )
            context = form_context(quiz, snapshot, **{"class_code": code, "next": next_url, **known})
            response = render(request, "lessons/quiz.html", context)
        # one reader's form (its token) or notice: never stored, so Back asks again and no cache shares it
        patch_cache_control(response, private=True, no_store=True)
        return response
    try:
        return submit(request, quiz, snapshot)
    except TokenRefused as problem:
        return fresh_form(request, quiz, snapshot, str(problem))
    except BadSubmission as problem:
        return render(request, "lessons/bad_submission.html", {"quiz": quiz, "problem": str(problem)}, status=400)


def fresh_form(request, quiz, snapshot, problem: str):
    """A refused token: nothing is recorded, and the form comes back with the answers and a new token."""
    data = request.POST
    context = form_context(
        quiz,
        snapshot,
        values=kept_values(snapshot, data),
        summary=f"{problem} Your answers were not recorded yet: check them and submit this form again.",
        display_name=data.get("display_name", "").strip()[:MAX_DISPLAY_NAME],
        class_code=normalise_class_code(data.get("class_code", ""))[:12],
        next=safe_next(request, data.get("next")),
    )
    return render(request, "lessons/quiz.html", context, status=400)


def safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return ""


def submit(request, quiz, snapshot):
    data = request.POST
    raw_token = data.get("token", "")
    token, expired = read_token(quiz, raw_token)
    existing = QuizAttempt.objects.filter(token=token).first()
    if existing is not None:  # a double click or a resubmit: the first attempt stands
        return redirect(existing.get_absolute_url(), permanent=False)
    if expired:
        raise TokenRefused("This form was opened more than 12 hours ago and has expired.")
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
    if not problems and quiz.owner_id is not None and not may_take(request, quiz, code):
        problems["class_code"] = "This quiz is taken with your class code: type the code your teacher gave you."
    stale = data.get("version") != snapshot["version"]
    answers, attention = ({}, {}) if stale else read_answers(snapshot, data)
    if stale or attention or problems:
        message = (
            "This quiz was updated while you were answering. Please check your answers and submit again."
            if stale
            else "Some answers need your attention."
        )
        context = form_context(
            quiz,
            snapshot,
            values=kept_values(snapshot, data),
            errors=attention,
            problems=problems,
            summary=message,
            display_name=name,
            class_code=code,
            token=raw_token,
            next=safe_next(request, data.get("next")),
        )
        return render(request, "lessons/quiz.html", context, status=200)
    attempt = record_attempt(quiz, snapshot, answers, token, name, code)
    url = attempt.get_absolute_url()
    next_url = safe_next(request, data.get("next"))
    return remember_attempt(request, redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url), attempt)


def class_code_exists(code: str) -> bool:
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
        kind = kind_for(question)
        response = responses.get(question["position"])
        rows.append(
            {
                "question": question,
                "response": response,
                "given": kind.describe(question, response.answer) if response else "",
                "key": kind.describe_key(question),
                "rule": kind.scoring_rule,
            }
        )
    return render(
        request,
        "lessons/quiz_result.html",
        {
            "attempt": attempt,
            "rows": rows,
            "number": attempt_number(attempt),
            "next": safe_next(request, request.GET.get("next")),
        },
    )


def attempt_number(attempt) -> int:
    """Which attempt this is for a named student of a class, counted as the teacher's table counts them."""
    if not (attempt.class_code and student_key(attempt) and attempt.quiz_id):
        return 1
    earlier = QuizAttempt.objects.filter(
        quiz_id=attempt.quiz_id,
        class_code=attempt.class_code,
        created_at__lte=attempt.created_at,
        display_name__iexact=attempt.display_name,
    ).only("display_name")
    return sum(1 for other in earlier if student_key(other) == student_key(attempt)) or 1
