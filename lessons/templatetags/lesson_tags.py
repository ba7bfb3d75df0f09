from django import template

register = template.Library()


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
    from lessons.snapshots import quiz_snapshot
    from lessons.views import form_context

    request = context["request"]
    if quiz is None or not quiz.live:
        return {"quiz": None}
    result = form_context(quiz, quiz_snapshot(quiz), next=request.path, request=request)
    result["csrf_token"] = context.get("csrf_token")
    return result
