"""A lesson plan's other views: the teacher's, the printed handout, class results, exports; joining by code.

The plan's views are routes of its page (`LessonPlanPage`): Wagtail finds the plan by its path and
applies its view restrictions first; these functions take the request and the plan.
"""

import uuid

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from core.throttling import class_code_refusal
from documents.excerpts import build_excerpt
from lessons.exports import plan_to_gift, quizzes_to_qti_zip
from lessons.models import LessonPlanPage, Quiz, QuizAttempt
from lessons.question_kinds import kind_for
from lessons.results import class_results, results_csv
from lessons.snapshots import public_questions, quiz_snapshot
from lessons.views import normalise_class_code


def check_owner(request, plan: LessonPlanPage) -> None:
    """For the plan's owner only: anyone else gets a 404, as if it did not exist."""
    if not plan.is_owned_by(request.user):
        raise Http404("No such lesson plan.")


def private(response):
    """A teacher's page: never stored by a browser, a proxy or the page cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def teacher_view(request, plan):
    check_owner(request, plan)
    return private(render(request, "lessons/plan_teacher.html", {"page": plan, "plan": plan, "teacher": True}))


def print_view(request, plan):
    """One handout for students: agenda, excerpts with their notes as endnotes, questions, a blank answer sheet."""
    excerpts, endnotes = [], []
    discussion = []
    for block in plan.body:
        if block.block_type == "excerpt" and block.value.get("document"):
            excerpt = build_excerpt(block.value["document"].specific, block.value["quote"])
            excerpts.append((excerpt, move_notes_to_endnotes(excerpt, endnotes)))
        elif block.block_type == "module" and block.value.get("module") and block.value["module"].live:
            for inner in block.value["module"].specific.body:
                if inner.block_type == "discussion":
                    discussion += list(inner.value["questions"])
                elif inner.block_type == "excerpt" and inner.value.get("document"):
                    excerpt = build_excerpt(inner.value["document"].specific, inner.value["quote"])
                    excerpts.append((excerpt, move_notes_to_endnotes(excerpt, endnotes)))
    snapshots = [(quiz, quiz_snapshot(quiz)) for quiz in plan.quizzes(live_only=True)]
    sheets = [(quiz, public_questions(snapshot)) for quiz, snapshot in snapshots]
    # the teacher's copy (from the teacher view, `?key=1`): the owner's only, on a page of its own
    with_key = request.GET.get("key") == "1" and plan.is_owned_by(request.user)
    answer_keys = [(quiz, answer_key(snapshot)) for quiz, snapshot in snapshots] if with_key else []
    context = {
        "answer_keys": answer_keys,
        "page": plan,
        "plan": plan,
        "excerpts": excerpts,
        "endnotes": endnotes,
        "discussion": discussion,
        "sheets": sheets,
    }
    response = render(request, "lessons/plan_print.html", context)
    return private(response) if with_key else response


def answer_key(snapshot: dict) -> list[tuple[int, str]]:
    """Each question's position and its answer in words, as the result page gives it."""
    return [(q["position"], kind_for(q).describe_key(q)) for q in snapshot["questions"]]


def move_notes_to_endnotes(excerpt, endnotes: list) -> str:
    """The excerpt without its side notes; the notes go to the end of the handout, keeping their letters."""
    if not excerpt.found:
        return ""
    endnotes += excerpt.notes
    return excerpt.render(without_notes=True)


def results_view(request, plan):
    check_owner(request, plan)
    context = {"page": plan, "plan": plan, "results": class_results(plan), "time_zone": settings.TIME_ZONE}
    return private(render(request, "lessons/plan_results.html", context))


def hide_attempt(request, plan):
    """The owner hides an attempt from the class's figures (a test, a prank), or shows it again."""
    check_owner(request, plan)
    if request.method != "POST":
        return redirect(plan.url + plan.reverse_subpage("results"))
    try:
        attempt_id = uuid.UUID(request.POST.get("attempt", ""))
    except ValueError:
        raise Http404("No such attempt.") from None
    ids = [quiz.pk for quiz in plan.quizzes()]
    attempt = get_object_or_404(QuizAttempt, pk=attempt_id, class_code=plan.class_code, quiz_id__in=ids)
    attempt.hidden = request.POST.get("action") == "hide"
    attempt.save(update_fields=["hidden"])
    return redirect(f"{plan.url}{plan.reverse_subpage('results')}#attempt-{attempt.pk}")


def results_csv_view(request, plan):
    check_owner(request, plan)
    response = HttpResponse(results_csv(plan, class_results(plan)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-results.csv"'
    return private(response)


def can_export(user) -> bool:
    return user.is_authenticated and user.has_perm("lessons.view_quiz")


def export_response(request, body, filename: str, content_type: str):
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def quiz_export(request, slug, format):
    """Exports carry the answer key: for teachers and editors only."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('wagtailadmin_login')}?next={request.path}")
    if not can_export(request.user):
        raise Http404("No such export.")
    quiz = get_object_or_404(Quiz, slug=slug, live=True)
    if quiz.owner_id is not None and not (request.user.is_superuser or quiz.owner_id == request.user.pk):
        raise Http404("No such export.")  # a teacher's quiz: its owner's to export
    snapshot = quiz_snapshot(quiz)
    base = f"{request.scheme}://{request.get_host()}"
    if format == "gift":
        return export_response(
            request, plan_to_gift([snapshot], quiz.title, base), f"{slug}.gift.txt", "text/plain; charset=utf-8"
        )
    return export_response(request, quizzes_to_qti_zip([snapshot], base), f"{slug}.qti.zip", "application/zip")


def plan_export(request, plan, format):
    check_owner(request, plan)
    slug = plan.slug
    snapshots = [quiz_snapshot(quiz) for quiz in plan.quizzes() if quiz.live]
    base = f"{request.scheme}://{request.get_host()}"
    if format == "gift":
        return private(
            export_response(
                request, plan_to_gift(snapshots, plan.title, base), f"{slug}.gift.txt", "text/plain; charset=utf-8"
            )
        )
    return private(export_response(request, quizzes_to_qti_zip(snapshots, base), f"{slug}.qti.zip", "application/zip"))


def join(request):
    """A student types the class code and lands on the plan."""
    raw = request.GET.get("code", "")
    code = normalise_class_code(raw)
    message = ""
    if raw:
        if refused := class_code_refusal(request):
            return refused
        plan = LessonPlanPage.live_for_code(code)
        if plan is not None:
            return redirect(plan.url)
        if refused := class_code_refusal(request, wrong=True):
            return refused
        message = f"No class uses the code {code or raw[:20]}. Check it with your teacher."
    return render(request, "lessons/join.html", {"code": raw[:20], "message": message}, status=200)
