from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search: merges, ranks and highlights what each app offers."""

    name = "search"
    label = "site_search"
    verbose_name = "Search"
