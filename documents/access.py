"""What a request may read: Wagtail's view restrictions, applied to lists of pages.

A restriction (password, sign-in or groups) on a page or on any page above it hides the page from
lists (the documents index, the home page, glossary and people pages, search) for readers it does
not accept, as Wagtail already hides the page itself.
"""

from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet


def readable(pages: PageQuerySet, request) -> PageQuerySet:
    """The pages this request may read (one query for the restrictions; the result stays lazy).

    Anonymous readers without a session get exactly Wagtail's `public()`; anyone else is checked
    against each restriction with Wagtail's own `accept_request` (sign-in, groups, a password given).
    """
    if request.user.is_anonymous and not request.session.get(PageViewRestriction.passed_view_restrictions_session_key):
        return pages.public()
    for restriction in PageViewRestriction.objects.select_related("page"):
        if not restriction.accept_request(request):
            pages = pages.not_descendant_of(restriction.page, inclusive=True)
    return pages
