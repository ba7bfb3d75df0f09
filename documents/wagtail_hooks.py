"""Admin registration for the documents app: glossary terms and people, in one menu."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from documents.models import GlossaryTerm, Person


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "doc-full"
    menu_label = "Glossary"
    list_display = ["term", "expansion", "category", "updated_at"]
    list_filter = ["category"]
    search_fields = ["term", "expansion", "definition"]
    ordering = ["term"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = "People"
    list_display = ["name", "role", "updated_at"]
    search_fields = ["name", "role", "biography"]
    ordering = ["name"]


class ReferenceViewSetGroup(SnippetViewSetGroup):
    items = (GlossaryTermViewSet, PersonViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Reference"
    menu_name = "reference"


register_snippet(ReferenceViewSetGroup)
