from django.apps import AppConfig


class ArmsTalksSiteConfig(AppConfig):
    name = "arms_talks_site"
    verbose_name = "Arms Talks site"
