"""Admin registration shared by every app."""

from markdownx.models import MarkdownxField
from wagtail.admin.forms.models import register_form_field_override

from core.markdown import validate_markdown

# Every Markdown field in the admin refuses text that no page could show (too long, nested too deeply),
# with a message on the field rather than a notice on the public page.
register_form_field_override(MarkdownxField, override={"validators": [validate_markdown]})
