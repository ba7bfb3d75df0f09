"""Who may do what with a quiz: the site's quizzes by the model permissions, a teacher's by ownership.

- A site quiz (no owner) is edited, deleted, locked by whoever has the `change` permission (editors,
  moderators) and published by those who also have `publish` (moderators). Teachers may view it.
- A teacher's quiz is their own: they do everything with it (teachers have `add` and `publish`, not
  `change`). Other teachers see it only when it is shared, and only to choose it; editors and moderators
  see a shared one likewise, never a private one. Superusers keep every right.

Wagtail's snippet views ask this policy for the model and for each object; `QuizGate` adds a 404 for the
quizzes a user may not even see, before any view (edit, history, revisions, usage, preview) looks them up.
"""

import functools

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

OWNER_ACTIONS = {"change", "delete", "publish", "unpublish", "lock", "unlock", "view"}


class QuizPermissionPolicy(ModelPermissionPolicy):
    def has(self, user, action) -> bool:
        return user.has_perm(self._get_permission_name(action))

    def writes_own(self, user) -> bool:
        return user.is_active and self.has(user, "add")

    def site_allows(self, user, action) -> bool:
        """An action on the site's quizzes: viewing needs `view` (or `change`); anything else needs `change`, and
        publishing and deleting their own permission too."""
        if action == "view":
            return self.has(user, "view") or self.has(user, "change")
        needs = {"unpublish": "publish"}.get(action, action)
        return self.has(user, "change") and (needs not in {"publish", "delete"} or self.has(user, needs))

    def user_has_permission(self, user, action):
        if action in {"change", "delete", "lock", "unlock"} and self.writes_own(user):
            return True  # on their own quizzes, at least
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        if instance.owner_id is None:
            return any(self.site_allows(user, action) for action in actions)
        if instance.owner_id == user.pk:
            return self.writes_own(user) and any(action in OWNER_ACTIONS for action in actions)
        return instance.shared and "view" in actions and self.has(user, "view")

    def instances_user_has_any_permission_for(self, user, actions):
        quizzes = self.model._default_manager
        if not user.is_active:
            return quizzes.none()
        if user.is_superuser:
            return quizzes.all()
        allowed = Q(owner=user.pk) if self.writes_own(user) and OWNER_ACTIONS & set(actions) else Q(pk__in=[])
        if any(self.site_allows(user, action) for action in actions):
            allowed |= Q(owner__isnull=True)
        if "view" in actions and self.has(user, "view"):
            allowed |= Q(shared=True)
        return quizzes.filter(allowed)

    def visible_to(self, user):
        return self.instances_user_has_any_permission_for(user, ["view", "change"])


def hidden_quiz_ids(user):
    """The quizzes a user may not see at all: other teachers' private ones (as strings, like log entries' ids)."""
    from lessons.models import Quiz

    if user.is_superuser:
        return []
    return [str(pk) for pk in Quiz.objects.exclude(pk__in=quiz_policy().visible_to(user)).values_list("pk", flat=True)]


def quiz_policy() -> QuizPermissionPolicy:
    from wagtail.permissions import policy_registry

    from lessons.models import Quiz

    return policy_registry.get_by_type(Quiz)


def gate(view, action):
    """A quiz view: 404 when the quiz in the URL is one the user may not see (another teacher's private quiz),
    403 when they may see it but not do the view's action with it (some of Wagtail's views, such as unpublish,
    check only the model-wide permission)."""

    @functools.wraps(view)
    def gated(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            try:
                pk = int(unquote(str(pk)))
            except ValueError:
                raise Http404("No such quiz.") from None
            policy = quiz_policy()
            quiz = policy.visible_to(request.user).filter(pk=pk).first()
            if quiz is None:
                raise Http404("No such quiz.")
            if action == "add":  # the copy view: a new quiz from one the user may see, theirs if they are a teacher
                allowed = policy.user_has_permission(request.user, "add")
            else:
                allowed = not action or policy.user_has_permission_for_instance(request.user, action, quiz)
            if not allowed:
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return gated


class QuizGate:
    """For a viewset: every view taking a quiz's pk is gated (see `gate`) by the permission it requires."""

    def construct_view(self, view_class, **kwargs):
        action = getattr(view_class, "permission_required", None)
        return gate(super().construct_view(view_class, **kwargs), action if isinstance(action, str) else None)


class SiteHistoryView(LogEntriesView):
    """Wagtail's site history, without the log entries of quizzes the user may not see (their titles and
    changes). Routed in `arms_talks_site/urls.py` before Wagtail's own."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        hidden = hidden_quiz_ids(self.request.user)
        if hidden and queryset.model is ModelLogEntry:
            from django.contrib.contenttypes.models import ContentType

            from lessons.models import Quiz

            queryset = queryset.exclude(content_type=ContentType.objects.get_for_model(Quiz), object_id__in=hidden)
        return queryset


def quiz_bulk_action(request, action):
    """Wagtail's bulk actions on quizzes (routed in `arms_talks_site/urls.py` before Wagtail's own): their pages
    name every chosen quiz, even those the user may not act on, so only the quizzes the user may see are passed
    on ("all" becomes those), and an unseen one in the list is a 404."""
    from wagtail.admin.views.bulk_action import index

    visible = quiz_policy().visible_to(request.user)
    ids = request.GET.getlist("id")
    if "all" in ids:
        query = request.GET.copy()
        query.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
        request.GET = query
    else:
        try:
            wanted = {int(pk) for pk in ids}
        except ValueError:
            raise Http404("No such quiz.") from None
        if visible.filter(pk__in=wanted).count() != len(wanted):
            raise Http404("No such quiz.")
    return index(request, "lessons", "quiz", action)
