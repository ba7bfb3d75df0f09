"""Admin registration for the documents app: glossary terms and people, in one menu."""

from django.db import transaction
from django.db.models import Count, Q
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.models import ShippedContent
from documents import admin_views
from documents.anchoring import AnchorStatus
from documents.models import Annotation, GlossaryTerm, Person, SourceDocumentPage, TimelineEvent

NEEDS_REVIEW = [AnchorStatus.ORPHAN, AnchorStatus.APPROXIMATE]


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


class AnnotationViewSet(SnippetViewSet):
    model = Annotation
    icon = "comment"
    menu_label = "Annotations"
    list_display = ["__str__", "document", "kind", "anchor_status", UpdatedAtColumn()]
    list_filter = ["document", "kind", "anchor_status", "live"]
    search_fields = ["body", "quote_exact"]
    ordering = ["document", "position_start"]


class TimelineEventViewSet(SnippetViewSet):
    model = TimelineEvent
    icon = "date"
    menu_label = "Timeline"
    list_display = ["title", "date_display", "place", UpdatedAtColumn()]
    search_fields = ["title", "summary", "place"]
    ordering = ["start"]


class ReferenceViewSetGroup(SnippetViewSetGroup):
    items = (AnnotationViewSet, GlossaryTermViewSet, PersonViewSet, TimelineEventViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Reference"
    menu_name = "reference"


register_snippet(ReferenceViewSetGroup)


@hooks.register("register_admin_urls")
def register_annotate_urls():
    return [
        path("documents/<int:page_id>/annotate/", admin_views.annotate, name="documents_annotate"),
        path(
            "documents/<int:page_id>/annotate/<int:annotation_id>/delete/",
            admin_views.delete_annotation,
            name="documents_annotation_delete",
        ),
        path(
            "documents/<int:page_id>/annotate/<int:annotation_id>/review/",
            admin_views.review_annotation,
            name="documents_annotation_review",
        ),
        path(
            "documents/<int:page_id>/annotate/<int:annotation_id>/pair/",
            admin_views.pair,
            name="documents_annotation_pair",
        ),
        path(
            "documents/<int:page_id>/annotate/<int:annotation_id>/accept/",
            admin_views.accept_suggestion,
            name="documents_annotation_accept",
        ),
    ]


def annotate_button(page, user, priority):
    if not isinstance(page.specific_deferred, SourceDocumentPage) or not page.permissions_for_user(user).can_edit():
        return None
    review = Annotation.objects.filter(document_id=page.pk, anchor_status__in=NEEDS_REVIEW).count()
    label = f"Annotate ({review} to review)" if review else "Annotate"
    return Button(label, reverse("documents_annotate", args=[page.pk]), icon_name="comment", priority=priority)


@hooks.register("register_page_header_buttons")
def page_header_annotate_button(page, user, view_name=None, next_url=None):
    button = annotate_button(page, user, priority=5)
    if button:
        yield button


@hooks.register("register_page_listing_buttons")
def page_listing_annotate_button(page, user, next_url=None):
    button = annotate_button(page, user, priority=5)
    if button:
        yield button


@hooks.register("after_publish_page")
def report_notes_after_publish(request, page):
    """Tell the editor which notes the publish moved, placed approximately or orphaned.

    The notes are re-anchored when the publish commits (`core/invalidation.py`); callbacks run in the
    order they were registered, so this one reads the outcome of this publish.
    """
    if isinstance(page.specific_deferred, SourceDocumentPage):
        transaction.on_commit(lambda: admin_views.report_reanchoring(request, page.specific_deferred))


class AnnotationsPanel(Component):
    """Dashboard: each document's annotations, drafts and those needing review after an edit."""

    name = "annotations"
    order = 50
    template_name = "documents/admin/annotations_panel.html"

    def get_context_data(self, parent_context):
        documents = SourceDocumentPage.objects.order_by("document_number").annotate(
            total=Count("annotations"),
            drafts=Count("annotations", filter=Q(annotations__live=False)),
            review=Count("annotations", filter=Q(annotations__anchor_status__in=NEEDS_REVIEW)),
        )
        return {"documents": documents}


class KeptCorrectionsPanel(Component):
    """Dashboard: shipped corrections that `load_content` did not apply because an editor had changed the item."""

    name = "kept_corrections"
    order = 40
    template_name = "documents/admin/kept_corrections_panel.html"

    def __init__(self, kept):
        self.kept = kept

    def get_context_data(self, parent_context):
        return {"kept": self.kept}


@hooks.register("construct_homepage_panels")
def add_annotations_panel(request, panels):
    """Only for those who annotate: a teacher would see Annotate buttons they cannot use."""
    if request.user.has_perm("documents.change_annotation"):
        panels.append(AnnotationsPanel())
        kept = list(ShippedContent.objects.exclude(kept="").order_by("key"))
        if kept:
            panels.append(KeptCorrectionsPanel(kept))


@hooks.register("construct_main_menu")
def call_the_file_library_files(request, menu_items):
    """Wagtail's "Documents" menu item is its file library: renamed so it is not taken for the source documents."""
    for item in menu_items:
        if item.name == "documents":
            item.label = "Files"
