from django import template

from documents.excerpts import build_excerpt
from lessons.models import LessonPlanPage
from lessons.question_kinds import kind_for
from lessons.snapshots import cached_snapshot
from lessons.views import form_context, normalise_class_code

register = template.Library()


@register.filter
def question_kind(question):
    """The kind of a question (a snapshot dict): its templates and scoring rule."""
    return kind_for(question)


@register.filter
def get(mapping, key):
    """mapping[key], or '' when absent (for values kept from a submitted form)."""
    if not mapping:
        return ""
    return mapping.get(key, "")


@register.filter
def concat(left, right):
    return f"{left}{right}"


@register.inclusion_tag("lessons/quiz_form.html", takes_context=True)
def quiz_form(context, quiz):
    """A quiz embedded in a page: a fresh one-time token each time it is shown."""
    request = context["request"]
    if quiz is None or not quiz.live or quiz.owner_id is not None:  # a teacher's quiz: only through a plan
        return {"quiz": None}
    code = normalise_class_code(request.GET.get("class", ""))
    result = form_context(quiz, cached_snapshot(quiz), next=request.path, request=request, class_code=code)
    result["csrf_token"] = context.get("csrf_token")
    return result


@register.filter
def plan_excerpt(value):
    if not value.get("document"):
        return None
    return build_excerpt(value["document"].specific, value["quote"])


@register.filter
def item_minutes(block):
    return LessonPlanPage.item_minutes(block)


@register.filter
def usable_in(quiz, plan) -> bool:
    """Whether a plan may give this quiz to students (not another teacher's quiz that is no longer shared)."""
    return quiz.usable_by(plan.owner_id)
