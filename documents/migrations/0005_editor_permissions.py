"""Editors draft annotations and keep the glossary and people; moderators also publish annotations.

Wagtail's own "Editors" and "Moderators" groups already hold the page permissions (editors draft,
moderators publish). Permission rows are normally made after migrations; they are made here
(get_or_create) so that the grants exist on a fresh database too.
"""

from django.db import migrations

EDIT = ["add", "change", "delete", "view"]
GRANTS = {
    "Editors": {"annotation": [*EDIT, "lock", "unlock"], "glossaryterm": EDIT, "person": EDIT},
    "Moderators": {"annotation": [*EDIT, "lock", "unlock", "publish"], "glossaryterm": EDIT, "person": EDIT},
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for model, actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(app_label="documents", model=model)
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_annotation_w3c_id"),
        ("wagtailcore", "0083_workflowcontenttype"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
