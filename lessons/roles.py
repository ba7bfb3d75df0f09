"""The Teachers group: what it may do, granted where the lesson plans live."""

from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

TEACHERS = "Teachers"


def grant_teacher_page_permissions(plans_index) -> None:
    """Teachers add plans under the plans index, edit and publish only their own (see OwnPlansOnly)."""
    group, _ = Group.objects.get_or_create(name=TEACHERS)
    for permission_type in ("add", "publish"):
        if not GroupPagePermission.objects.filter(
            group=group, page=plans_index, permission__codename=f"{permission_type}_page"
        ).exists():
            GroupPagePermission.objects.create(group=group, page=plans_index, permission_type=permission_type)
