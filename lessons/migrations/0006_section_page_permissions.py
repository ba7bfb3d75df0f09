"""Editors and Moderators keep page permissions only on the documents and lessons sections.

Wagtail's install granted them on the root, which let them open, unpublish or delete teachers' plans.
This removes every page grant of theirs outside the two sections and grants the same actions on each
section's index page. On a fresh database there is no section yet: the content loader grants them when
it creates the index pages (`documents.roles`).
"""

from django.db import migrations
from django.db.models import Q

SECTION_PAGE_PERMISSIONS = {
    "Editors": ["add", "change"],
    "Moderators": ["add", "change", "publish", "lock", "unlock"],
}


def move_grants(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    sections = [
        *apps.get_model("documents", "DocumentIndexPage").objects.all(),
        *apps.get_model("lessons", "LessonIndexPage").objects.all(),
    ]
    inside = Q()
    for section in sections:
        inside |= Q(page__path__startswith=section.path)
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    for group_name, actions in SECTION_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        outside = GroupPagePermission.objects.filter(group=group)
        if sections:
            outside = outside.exclude(inside)
        outside.delete()
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=page_type, codename=f"{action}_page", defaults={"name": f"Can {action} page"}
            )
            for section in sections:
                GroupPagePermission.objects.get_or_create(group=group, page_id=section.pk, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0005_question_kind_order"),
        ("documents", "0005_editor_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(move_grants, migrations.RunPython.noop)]
