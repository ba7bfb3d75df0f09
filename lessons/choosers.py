"""The quiz chooser of lesson plans: published quizzes only.

A plan is shown to students, so it may hold only what is published; Wagtail's snippet chooser
offers drafts too, and has no hook to filter it. The model is named by string because
`lessons.blocks` (imported by `lessons.models`) builds its block from this viewset.
"""

from django.apps import apps
from wagtail.admin.viewsets.chooser import ChooserViewSet


class LiveQuizChooserViewSet(ChooserViewSet):
    model = "lessons.Quiz"
    icon = "tick-inverse"
    choose_one_text = "Choose a published quiz"
    choose_another_text = "Choose another quiz"
    edit_item_text = "Edit this quiz"
    register_widget = False  # other Quiz fields keep Wagtail's own chooser

    def get_object_list(self):
        return apps.get_model("lessons", "Quiz").objects.filter(live=True).order_by("title")


live_quiz_chooser_viewset = LiveQuizChooserViewSet("live_quiz_chooser", url_prefix="lessons/live-quizzes")
LiveQuizChooserBlock = live_quiz_chooser_viewset.get_block_class(
    name="LiveQuizChooserBlock", module_path="lessons.choosers"
)
