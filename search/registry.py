"""The adapters site search merges, from `settings.SEARCH_ADAPTERS`: each app says what it offers beside its
models, so this app names no model."""

from django.conf import settings
from django.utils.module_loading import import_string

from core.search_adapters import SearchAdapter


def adapters() -> list[SearchAdapter]:
    """One instance of each adapter, in the order of the type filters (read each time: settings may change
    in tests, and an adapter holds no state)."""
    return [import_string(path)() for path in settings.SEARCH_ADAPTERS]
