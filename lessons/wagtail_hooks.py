"""Admin registration for lessons: quizzes (with their questions inline) and attempts, in one menu."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lessons.models import Quiz


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tick-inverse"
    menu_label = "Quizzes"
    list_display = ["title", "slug", "live", "updated_at"]
    search_fields = ["title", "intro"]
    list_filter = ["live"]


class LessonsViewSetGroup(SnippetViewSetGroup):
    items = (QuizViewSet,)
    menu_icon = "group"
    menu_label = "Lessons"
    menu_name = "lessons"


register_snippet(LessonsViewSetGroup)
