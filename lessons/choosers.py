"""The quiz choosers: a plan's (published quizzes the teacher may use) and a module's (the site's quizzes only).

A plan is shown to students, so it may hold only what is published; Wagtail's snippet chooser
offers drafts too, and has no hook to filter it. A teacher may choose the site's quizzes, their own
and those other teachers share; a lesson module, written by editors for everyone, only the site's.
The model is named by string because `lessons.blocks` (imported by `lessons.models`) builds its block
from this viewset.
"""

from django.apps import apps
from django.db.models import Q
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.snippets.views import chooser as snippet_chooser_views
from wagtail.snippets.views.chooser import SnippetChooserViewSet


def quizzes():
    return apps.get_model("lessons", "Quiz").objects


def usable_in_plans(user):
    """Published quizzes a teacher may put in a plan: the site's, their own, shared ones."""
    found = quizzes().filter(live=True)
    if not user.is_superuser:
        found = found.filter(Q(owner__isnull=True) | Q(owner=user.pk) | Q(shared=True))
    return found.order_by("title")


class PlanQuizList:
    def get_object_list(self):
        return usable_in_plans(self.request.user)


class PlanQuizChosen:
    def get_object(self, pk):
        return usable_in_plans(self.request.user).get(pk=pk)

    def get_objects(self, pks):
        return usable_in_plans(self.request.user).filter(pk__in=pks)


class LiveQuizChooserViewSet(ChooserViewSet):
    model = "lessons.Quiz"
    icon = "tick-inverse"
    choose_one_text = "Choose a published quiz"
    choose_another_text = "Choose another quiz"
    edit_item_text = "Edit this quiz"
    register_widget = False  # other Quiz fields keep Wagtail's own chooser
    choose_view_class = type("ChoosePlanQuizView", (PlanQuizList, chooser_views.ChooseView), {})
    choose_results_view_class = type("ChoosePlanQuizResultsView", (PlanQuizList, chooser_views.ChooseResultsView), {})
    chosen_view_class = type("PlanQuizChosenView", (PlanQuizChosen, chooser_views.ChosenView), {})
    chosen_multiple_view_class = type(
        "PlanQuizChosenMultipleView", (PlanQuizChosen, chooser_views.ChosenMultipleView), {}
    )


class SiteQuizList:
    def get_object_list(self):
        return quizzes().site()


class SiteQuizChosen:
    def get_object(self, pk):
        return quizzes().site().get(pk=pk)

    def get_objects(self, pks):
        return quizzes().site().filter(pk__in=pks)


class SiteQuizChooserViewSet(SnippetChooserViewSet):
    """The snippet chooser of quizzes (a lesson module's quiz block): the site's quizzes only."""

    choose_view_class = type("ChooseSiteQuizView", (SiteQuizList, snippet_chooser_views.ChooseView), {})
    choose_results_view_class = type(
        "ChooseSiteQuizResultsView", (SiteQuizList, snippet_chooser_views.ChooseResultsView), {}
    )
    chosen_view_class = type("SiteQuizChosenView", (SiteQuizChosen, snippet_chooser_views.SnippetChosenView), {})
    chosen_multiple_view_class = type(
        "SiteQuizChosenMultipleView", (SiteQuizChosen, snippet_chooser_views.SnippetChosenMultipleView), {}
    )


live_quiz_chooser_viewset = LiveQuizChooserViewSet("live_quiz_chooser", url_prefix="lessons/live-quizzes")
LiveQuizChooserBlock = live_quiz_chooser_viewset.get_block_class(
    name="LiveQuizChooserBlock", module_path="lessons.choosers"
)
