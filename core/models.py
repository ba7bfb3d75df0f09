from django.db import models


class ShippedContent(models.Model):
    """The version of one shipped item (a glossary term, a note, a quiz…) this database last took from the
    content files, as a digest: how `load_content` tells an item nobody touched from one an editor changed
    (see `core/shipped.py`)."""

    key = models.CharField(max_length=300, unique=True, help_text='The item, e.g. "term:consultations".')
    digest = models.CharField(max_length=64, help_text="sha256 of the shipped fields last loaded or offered.")
    kept = models.TextField(
        blank=True, help_text="A shipped correction not applied because an editor had changed the item."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "shipped content"
        verbose_name_plural = "shipped content"

    def __str__(self):
        return self.key
