from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: the anonymous page cache, Markdown, the embedded database, logging, invalidation."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import invalidation  # imports models: possible only once the app registry is ready

        invalidation.connect()
