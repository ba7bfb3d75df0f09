from django.apps import AppConfig


class ArmsTalksSiteConfig(AppConfig):
    name = "arms_talks_site"
    verbose_name = "Arms Talks site"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from core.page_cache import bump_content_version
        from documents.models import GlossaryTerm, Person

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(bump_content_version, dispatch_uid=f"page-cache-{signal}")
        for model in (GlossaryTerm, Person):
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"page-cache-del-{model.__name__}")
        from wagtail.models import Page

        post_delete.connect(bump_content_version, sender=Page, dispatch_uid="page-cache-page-delete")
