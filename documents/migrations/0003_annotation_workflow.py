"""Annotations go through Wagtail's default moderation workflow, like pages."""

from django.db import migrations


def assign_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    ContentType = apps.get_model("contenttypes", "ContentType")
    workflow = Workflow.objects.filter(active=True).order_by("pk").first()
    if workflow is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="documents", model="annotation")
    WorkflowContentType.objects.get_or_create(content_type=content_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_annotations"),
        ("wagtailcore", "0083_workflowcontenttype"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(assign_workflow, migrations.RunPython.noop)]
