"""What the lessons app offers to site search: live lesson modules and public lesson plans.
Listed in `settings.SEARCH_ADAPTERS`; the `search` app ranks and shows them.
"""

from collections import defaultdict

from django.core.cache import cache

from core.search_adapters import Hit, ResultType, SearchAdapter
from documents.rendering import CACHE_SECONDS
from documents.search import readable_pages
from lessons.models import LessonModulePage, LessonPlanPage


def body_texts(modules) -> dict[int, list[str]]:
    """Each module's body as Wagtail indexes it: every block's `get_searchable_content`.

    The blocks' values are made type by type across all the modules (Wagtail's `bulk_to_python`), so the
    blocks that choose a page or a snippet cost one query per block type, not one per module. The raw data is
    read only to group the blocks by type.
    """
    stream_block = LessonModulePage._meta.get_field("body").stream_block
    raw_by_type = defaultdict(list)
    for module in modules:
        for child in module.body.raw_data:
            if child["type"] in stream_block.child_blocks:
                raw_by_type[child["type"]].append(child["value"])
    values = {
        kind: iter(stream_block.child_blocks[kind].bulk_to_python(raw_values))
        for kind, raw_values in raw_by_type.items()
    }
    texts = {}
    for module in modules:
        texts[module.pk] = [
            text
            for child in module.body.raw_data
            if child["type"] in stream_block.child_blocks
            for text in stream_block.child_blocks[child["type"]].get_searchable_content(next(values[child["type"]]))
        ]
    return texts


def cached_body_texts(modules) -> dict[int, list[str]]:
    """`body_texts`, cached by published revision: rendering the Markdown of every block costs milliseconds a
    module. Like the index, which Wagtail updates when the module is published, it does not follow later
    edits of a chosen glossary term or quiz."""
    keys = {m.pk: f"search-module-body:{m.pk}:{m.live_revision_id}" for m in modules if m.live_revision_id}
    found = cache.get_many(list(keys.values()))
    missing = [module for module in modules if keys.get(module.pk) not in found]
    made = body_texts(missing) if missing else {}
    cache.set_many({keys[pk]: texts for pk, texts in made.items() if pk in keys}, CACHE_SECONDS)
    return {module.pk: made[module.pk] if module.pk in made else found[keys[module.pk]] for module in modules}


class LessonModuleSearch(SearchAdapter):
    kind = ResultType("lessons", "Lesson modules", "Lesson module")

    def queryset(self, request):
        return readable_pages(LessonModulePage.objects.all(), request)

    def hit(self, module, request):
        meta = f"{module.get_level_display()} · {module.duration} minutes"
        return Hit(module, module.title, module.get_url(request), meta=meta, names=(module.title,))

    def describe(self, hits):
        bodies = cached_body_texts([hit.obj for hit in hits])
        for hit in hits:
            module = hit.obj
            hit.text = " ".join([module.summary, module.essential_question, *module.objective_list, *bodies[module.pk]])


class LessonPlanSearch(SearchAdapter):
    """Plans their teachers chose to share. Only the title and the class are shown: a plan's body holds the
    teacher's private notes."""

    kind = ResultType("plans", "Lesson plans", "Lesson plan")

    def queryset(self, request):
        return readable_pages(LessonPlanPage.objects.filter(public=True), request)

    def hit(self, plan, request):
        return Hit(plan, plan.title, plan.get_url(request), meta=plan.class_level, names=(plan.title,))
