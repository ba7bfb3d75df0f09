"""Groups and their permissions: Editors and Moderators also keep quizzes; Teachers are created.

Teachers get admin access and may look quizzes up (to choose them for a plan); their page
permissions are granted on the plans index when it is created (`lessons.roles`). Permission
rows are made here (get_or_create) because Django makes them only after all migrations.
"""

from django.db import migrations

EDIT = ["add", "change", "delete", "view"]
GRANTS = {
    "Editors": {("lessons", "quiz"): EDIT},
    "Moderators": {("lessons", "quiz"): [*EDIT, "publish"]},
    "Teachers": {("wagtailadmin", "admin"): ["access"], ("lessons", "quiz"): ["view"]},
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for group_name, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for (app_label, model), actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0002_lesson_plans"),
        ("documents", "0005_editor_permissions"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
