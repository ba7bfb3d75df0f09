"""Admin registration shared by every app."""

from markdownx.models import MarkdownxField
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override

from core.markdown import validate_markdown
from core.shipped import CONTENT_UPDATE

# Every Markdown field in the admin refuses text that no page could show (too long, nested too deeply),
# with a message on the field rather than a notice on the public page.
register_form_field_override(MarkdownxField, override={"validators": [validate_markdown]})


@hooks.register("register_log_actions")
def register_content_update(actions):
    """Revisions made by `load_content` when a shipped correction reaches an item nobody changed (core/shipped.py)."""
    actions.register_action(CONTENT_UPDATE, "Content update", "Content update: the shipped correction applied")
