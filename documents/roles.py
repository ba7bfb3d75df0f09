"""Editors and Moderators: page permissions on the sections they work on, and nowhere else.

Wagtail's install grants both groups their page permissions on the root, which reaches the home page
and the teachers' plans. Here they are granted on a section's index page (the documents index; the
lessons index uses the same grants) when the content loader creates it; migration
`lessons.0006_section_page_permissions` moves existing installations to these grants.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, get_default_page_content_type

# The page actions Wagtail's install gives each group, now granted per section.
SECTION_PAGE_PERMISSIONS = {
    "Editors": ["add", "change"],
    "Moderators": ["add", "change", "publish", "lock", "unlock"],
}


def grant_section_page_permissions(section) -> None:
    """Editors draft and moderators publish the pages under `section` (idempotent)."""
    content_type = get_default_page_content_type()
    for group_name, actions in SECTION_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for action in actions:
            permission = Permission.objects.get(content_type=content_type, codename=f"{action}_page")
            GroupPagePermission.objects.get_or_create(group=group, page=section, permission=permission)
