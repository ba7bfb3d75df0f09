from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: the anonymous page cache, Markdown, the embedded database, logging."""

    name = "core"
    verbose_name = "Core"
