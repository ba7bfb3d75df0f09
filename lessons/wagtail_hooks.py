"""Admin registration for lessons: quizzes (with their questions inline) and attempts, in one menu;
the live-quiz chooser of plans; what the page explorer and choosers show of the teachers' plans; new plans
made only by Save draft or Publish, never by autosave."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import JsonResponse
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.pages.search import SearchView
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lessons.choosers import SiteQuizChooserViewSet, live_quiz_chooser_viewset
from lessons.models import LessonModulePage, LessonPlanIndexPage, LessonPlanPage, Quiz, QuizAttempt
from lessons.quiz_permissions import QuizGate, QuizPermissionPolicy

register_permission_policy(Quiz, QuizPermissionPolicy(Quiz))


class QuizViewSet(QuizGate, SnippetViewSet):
    """Quizzes: the site's, and teachers' own (see `lessons.quiz_permissions`). The listing shows what the user
    may see; the snippet chooser (lesson modules' quiz) offers only the site's quizzes."""

    model = Quiz
    icon = "tick-inverse"
    menu_label = "Quizzes"
    list_display = ["title", "slug", "live", "shared", "updated_at"]
    search_fields = ["title", "intro"]
    list_filter = ["live", "shared"]
    chooser_viewset_class = SiteQuizChooserViewSet

    def get_queryset(self, request):
        return self.permission_policy.visible_to(request.user)


class LessonsViewSetGroup(SnippetViewSetGroup):
    items = (QuizViewSet,)
    menu_icon = "group"
    menu_label = "Lessons"
    menu_name = "lessons"


register_snippet(LessonsViewSetGroup)


@hooks.register("register_admin_viewset")
def register_live_quiz_chooser():
    return live_quiz_chooser_viewset


def plans_hidden_from(user) -> Q:
    """The plans pages a user must not see listed: for editors and moderators the whole plans section,
    for a teacher the other teachers' plans; nothing for superusers."""
    if user.is_superuser:
        return Q(pk__in=[])
    plans_type = ContentType.objects.get_for_model(LessonPlanPage)
    hidden = Q(content_type=plans_type) & ~Q(owner=user)
    index = LessonPlanIndexPage.objects.first()
    if index is not None and not index.permissions_for_user(user).permissions:
        hidden |= Q(path__startswith=index.path)
    return hidden


@hooks.register("construct_explorer_page_queryset")
def hide_plans_in_explorer(parent_page, pages, request):
    return pages.exclude(plans_hidden_from(request.user))


@hooks.register("construct_page_chooser_queryset")
def hide_plans_and_draft_modules_in_chooser(pages, request):
    pages = pages.exclude(plans_hidden_from(request.user))
    # Only a chooser asking for lesson modules (a plan's module item) is limited to live ones.
    if request.GET.get("page_type", "").lower() == "lessons.lessonmodulepage":
        pages = pages.exclude(content_type=ContentType.objects.get_for_model(LessonModulePage), live=False)
    return pages


@hooks.register("before_create_page")
def plans_are_created_only_by_the_teacher(request, parent_page, page_class):
    """Autosave does not create lesson plans: Save draft and Publish do.

    Wagtail's autosave POSTs the new-page form (asking for JSON) while the teacher is still typing; the page
    it creates raced the Publish click, which then made a second plan or failed on the first one's slug. The
    answer is Wagtail's own JSON error, so its editor shows our sentence beside "Autosave is paused".
    """
    if page_class is LessonPlanPage and request.method == "POST" and not request.accepts("text/html"):
        message = "A new plan is saved when you click Save draft or Publish."
        return JsonResponse({"success": False, "error_code": "validation_error", "error_message": message}, status=400)
    return None


class PageSearchView(SearchView):
    """Wagtail's admin page search, with the plans a user must not see left out (Wagtail filters it by explorable
    pages only, and a teacher may explore the whole plans section). Routed in `arms_talks_site/urls.py`."""

    def annotate_queryset(self, pages):
        hidden = plans_hidden_from(self.request.user)
        self.all_pages = self.all_pages.exclude(hidden)  # the type facets count these
        return super().annotate_queryset(pages.exclude(hidden))


class MyPlansPanel(Component):
    """Dashboard: the teacher's own plans with their class codes, attempts so far and the ways in (three queries)."""

    name = "my_plans"
    order = 40
    template_name = "lessons/admin/my_plans_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        plans = list(LessonPlanPage.objects.filter(owner=self.user).order_by("-latest_revision_created_at", "title"))
        counts = dict(
            QuizAttempt.objects.filter(class_code__in=[p.class_code for p in plans], hidden=False)
            .values_list("class_code")
            .annotate(n=Count("id"))
        )
        for plan in plans:
            plan.attempt_count = counts.get(plan.class_code, 0)
        index = LessonPlanIndexPage.objects.first()
        may_add = index is not None and index.permissions_for_user(self.user).can_add_subpage()
        add_url = reverse("wagtailadmin_pages:add", args=["lessons", "lessonplanpage", index.pk]) if may_add else ""
        return {"plans": plans, "add_url": add_url, "request": parent_context.get("request")}


@hooks.register("construct_homepage_panels")
def add_my_plans_panel(request, panels):
    """For teachers (whoever may add plans): their way to their plans and results."""
    if request.user.has_perm("lessons.add_lessonplanpage") or request.user.groups.filter(name="Teachers").exists():
        panels.append(MyPlansPanel(request.user))
