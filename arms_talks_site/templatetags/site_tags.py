"""Links to the site's sections (documents, lessons, plans) that follow their index pages wherever editors move them."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from wagtail.models import Page

from core.page_cache import content_version
from documents.models import DocumentIndexPage
from lessons.models import LessonIndexPage, LessonPlanIndexPage

register = template.Library()
SECTIONS = {"documents": DocumentIndexPage, "lessons": LessonIndexPage, "plans": LessonPlanIndexPage}


def section_paths() -> dict[str, str]:
    """One query, then cached until the next publish, move or delete (the page cache's content version)."""
    key = f"section-paths:{content_version()}"
    paths = cache.get(key)
    if paths is None:
        names = {ContentType.objects.get_for_model(model).pk: name for name, model in SECTIONS.items()}
        paths = {}
        for page in Page.objects.live().filter(content_type__in=names):
            paths[names[page.content_type_id]] = page.get_url_parts()[2]
        cache.set(key, paths, None)
    return paths


@register.simple_tag
def section_url(name: str) -> str:
    """`{% section_url "documents" %}`: the documents index's address, e.g. /documents/."""
    return section_paths().get(name, "/")
