"""Stable letters and uuids for annotations.

Existing notes get the letters readers see today: the published, placed notes of each document in
reading order (as the page lettered them), then drafts and orphans after them. Each gets a uuid.
"""

import uuid

from django.db import migrations, models


def letter(number: int) -> str:
    # a copy of documents.labels.letter: a migration must not change when the app's code does
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(97 + rest) + letters
    return letters


def assign_labels_and_uuids(apps, schema_editor):
    Annotation = apps.get_model("documents", "Annotation")
    Counter = apps.get_model("documents", "AnnotationLabelCounter")
    issued: dict[int, int] = {}
    shown_first = Annotation.objects.order_by(
        "document_id",
        models.Case(models.When(live=True, anchor_status__in=["anchored", "moved", "approximate"], then=0), default=1),
        "position_start",
        "-position_end",
        "id",
    )
    for annotation in shown_first:
        issued[annotation.document_id] = issued.get(annotation.document_id, 0) + 1
        annotation.label = letter(issued[annotation.document_id])
        annotation.uuid = uuid.uuid4()
        annotation.save(update_fields=["label", "uuid"])
    Counter.objects.bulk_create(Counter(document_id=document, issued=count) for document, count in issued.items())


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_editor_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnnotationLabelCounter",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        serialize=False,
                        to="documents.sourcedocumentpage",
                    ),
                ),
                ("issued", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="annotation",
            name="canonical",
            field=models.CharField(
                blank=True,
                help_text="The canonical IRI it came with, if any (exported as `canonical`).",
                max_length=500,
            ),
        ),
        migrations.AddField(
            model_name="annotation",
            name="label",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="Its letter (a, b … aa), given once, when it is created.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="annotation",
            name="uuid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(assign_labels_and_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="annotation",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddConstraint(
            model_name="annotation",
            constraint=models.UniqueConstraint(fields=("document", "label"), name="one_label_per_note_of_a_document"),
        ),
    ]
