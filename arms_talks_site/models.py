"""The home page."""

from django.urls import reverse
from markdownx.models import MarkdownxField
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from core.page_cache import CachedForAnonymousMixin
from documents.models import SourceDocumentPage
from documents.timeline import live_events
from lessons.models import LessonPlanIndexPage


class HomePage(CachedForAnonymousMixin, Page):
    """The site's front door: what Arms Talks is and where to start."""

    intro = MarkdownxField(blank=True, help_text="The welcome text (Markdown).")

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["documents"] = SourceDocumentPage.readable_by(request).order_by("document_number")
        context["timeline_events"] = live_events()
        # the admin's add-plan view itself: a signed-out teacher goes through the login and comes back to it
        plans = LessonPlanIndexPage.objects.first()
        context["add_plan_url"] = plans and reverse(
            "wagtailadmin_pages:add", args=["lessons", "lessonplanpage", plans.pk]
        )
        return context
