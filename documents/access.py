"""What a request may read: Wagtail's view restrictions, applied to lists of pages.

A restriction (password, sign-in or groups) on a page or on any page above it hides the page from
lists (the documents index, the home page, glossary and people pages, search) for readers it does
not accept, as Wagtail already hides the page itself.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet


def hidden_sections(request) -> Q:
    """Pages under a restriction this request does not pass, with their descendants.

    Anonymous readers who gave no password pass none (what `PageQuerySet.public()` keeps); anyone else
    is checked with Wagtail's own `accept_request` (sign-in, groups, a password given this session).
    One query (two when signed in, for the groups), kept on the request: every list on a page asks.
    """
    if not hasattr(request, "_hidden_sections"):
        restrictions = PageViewRestriction.objects.select_related("page")
        session = getattr(request, "session", {})
        if request.user.is_authenticated or session.get(PageViewRestriction.passed_view_restrictions_session_key):
            restrictions = [r for r in restrictions.prefetch_related("groups") if not r.accept_request(request)]
        hidden = Q()
        for restriction in restrictions:
            hidden |= Page.objects.descendant_of_q(restriction.page, inclusive=True)
        request._hidden_sections = hidden
    return request._hidden_sections


def readable(pages: PageQuerySet, request) -> PageQuerySet:
    """The pages of `pages` this request may read (the result stays lazy)."""
    hidden = hidden_sections(request)
    return pages.exclude(hidden) if hidden else pages
