"""Teachers' own quizzes: an owner (none for the site's quizzes) and a shared flag.

Teachers may now add quizzes and publish them; `lessons.quiz_permissions` limits them to their own
(the site's quizzes need the change permission, which only editors and moderators have).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def grant_teachers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="Teachers")
    content_type, _ = ContentType.objects.get_or_create(app_label="lessons", model="quiz")
    for action in ("add", "publish"):
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_quiz", defaults={"name": f"Can {action} quiz"}
        )
        group.permissions.add(permission)


def revoke_teachers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Teachers").first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(codename__in=["add_quiz", "publish_quiz"]))


class Migration(migrations.Migration):

    dependencies = [
        ('lessons', '0008_attempt_hidden'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='quiz',
            name='owner',
            field=models.ForeignKey(blank=True, editable=False, help_text="The teacher who wrote it; none for the site's quizzes.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='quizzes', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='quiz',
            name='shared',
            field=models.BooleanField(default=False, help_text="Let other teachers choose this quiz for their plans. Students still reach it only through a plan's class code."),
        ),
        migrations.RunPython(grant_teachers, revoke_teachers),
    ]
