"""The admin "Annotate" view: select a passage in the transcription, write a note about it.

Selections arrive as offsets in the canonical text (the page marks every paragraph with its
offset) together with the selected text, which the server checks against the text before it
stores anything. Without JavaScript, or from the keyboard, the editor types or pastes the
passage instead; it is found in the text if it occurs once.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from markdownx.fields import MarkdownxFormField

from core.markdown import validate_markdown
from core.page_cache import bump_content_version
from documents.anchoring import AnchorStatus, make_selector
from documents.models import Annotation, GlossaryTerm, Person, SourceDocumentPage
from documents.pipeline import canonical_text
from documents.rendering import preview_annotations, rendered_preview

MAX_QUOTE = 2000


class SelectionForm(forms.Form):
    """A passage of the canonical text: the quote, and where it starts and ends when known."""

    quote = forms.CharField(
        max_length=MAX_QUOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select the passage in the text, or type or paste it exactly.",
        error_messages={"required": "Select a passage in the text first (or type it here)."},
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, text: str, **kwargs):
        self.text = text
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        quote, start, end = data.get("quote"), data.get("start"), data.get("end")
        if not quote:
            return data
        if start is not None and end is not None:
            if not 0 <= start < end <= len(self.text):
                raise forms.ValidationError(
                    "That selection is outside the transcription. Select text in the document itself, "
                    "not in the notes or the page furniture."
                )
            if self.text[start:end] != quote:
                raise forms.ValidationError(
                    "The selected text no longer matches the transcription (it may have been edited "
                    "since this page was opened). Reload the page and select the passage again."
                )
        else:
            count = self.text.count(quote)
            if count == 0:
                raise forms.ValidationError(
                    "This passage is not in the transcription. Check spelling, quotes and dashes, or select it."
                )
            if count > 1:
                raise forms.ValidationError(
                    f"This passage occurs {count} times. Select the one you mean in the text, or quote more words."
                )
            start = self.text.index(quote)
            end = start + len(quote)
        data["selector"] = make_selector(self.text, start, end)
        return data


class AnnotationForm(SelectionForm):
    kind = forms.ChoiceField(choices=Annotation.Kind.choices)
    body = MarkdownxFormField(
        label="Note",
        help_text="Markdown. What the passage means, why it mattered, what to ask of it.",
        error_messages={"required": "Write the note: an annotation without a body would be empty for readers."},
        validators=[validate_markdown],
    )
    terms = forms.ModelMultipleChoiceField(
        GlossaryTerm.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    people = forms.ModelMultipleChoiceField(Person.objects.all(), required=False, widget=forms.CheckboxSelectMultiple)


class ReanchorForm(SelectionForm):
    annotation = forms.IntegerField(widget=forms.HiddenInput)
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


def get_document(request, page_id) -> SourceDocumentPage:
    document = get_object_or_404(SourceDocumentPage, pk=page_id)
    if not document.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return document


def annotate(request, page_id):
    document = get_document(request, page_id)
    text = canonical_text(document.transcription)  # what selections are checked against; no need to render
    form = AnnotationForm(text=text)
    reanchor_form = None
    if request.method == "POST":
        if request.POST.get("action") == "reanchor":
            reanchor_form = ReanchorForm(request.POST, text=text)
            if reanchor_form.is_valid():
                return reanchor(request, document, reanchor_form)
        else:
            form = AnnotationForm(request.POST, text=text)
            if form.is_valid():
                annotation = create_annotation(request, document, form.cleaned_data)
                messages.success(request, f"Draft annotation saved: {annotation}. Publish it when it is ready.")
                return redirect(f"{reverse('documents_annotate', args=[document.pk])}#annotation-{annotation.pk}")
        messages.error(request, "The annotation was not saved: see the message below.")
    return annotate_page(request, document, form, reanchor_form, status=400 if request.method == "POST" else 200)


def annotate_page(request, document, form, reanchor_form=None, status=200):
    rendered = rendered_preview(document)
    annotations = preview_annotations(document)
    return TemplateResponse(
        request,
        "documents/admin/annotate.html",
        {
            "document": document,
            "rendered": rendered,
            "form": form,
            "reanchor_form": reanchor_form,
            "annotations": annotations,
            "needs_review": [
                a for a in annotations if a.anchor_status in (AnchorStatus.ORPHAN, AnchorStatus.APPROXIMATE)
            ],
            "header_title": f"Annotate: {document.title}",
        },
        status=status,
    )


@transaction.atomic
def create_annotation(request, document, data) -> Annotation:
    selector = data["selector"]
    annotation = Annotation(document=document, kind=data["kind"], body=data["body"], author=request.user, live=False)
    annotation.use_selector(selector)
    annotation.terms = list(data["terms"])
    annotation.people = list(data["people"])
    annotation.save()
    annotation.save_revision(user=request.user, log_action=True)
    return annotation


@transaction.atomic
def reanchor(request, document, form):
    data = form.cleaned_data
    annotation = get_object_or_404(Annotation.objects.select_for_update(), pk=data["annotation"], document=document)
    if data.get("revision") and annotation.latest_revision_id != data["revision"]:
        form.add_error(None, "Someone else changed this annotation since you opened the page. Reload, then re-anchor.")
        messages.error(request, "Not re-anchored: see the message below.")
        return annotate_page(request, document, AnnotationForm(text=form.text), form, status=409)
    apply_selector(annotation, data["selector"], request.user)
    messages.success(request, f"Re-anchored to “{annotation.quote_exact[:80]}”.")
    return redirect(f"{reverse('documents_annotate', args=[document.pk])}#annotation-{annotation.pk}")


def apply_selector(annotation: Annotation, selector, user) -> None:
    """Move an annotation to a new passage: now on the live row, and in a new revision for the record."""
    latest = annotation.get_latest_revision_as_object()
    latest.use_selector(selector)
    latest.save_revision(user=user, log_action=True)
    Annotation.objects.filter(pk=annotation.pk).update(**annotation.use_selector(selector))
    bump_content_version()


def accept_suggestion(request, page_id, annotation_id):
    """One step for an approximately matched annotation: take the passage it was matched to."""
    document = get_document(request, page_id)
    annotation = get_object_or_404(Annotation, pk=annotation_id, document=document)
    if request.method != "POST":
        return redirect("documents_annotate", document.pk)
    text = canonical_text(document.transcription)
    if annotation.anchor_status != AnchorStatus.APPROXIMATE or not (
        0 <= annotation.position_start < annotation.position_end <= len(text)
    ):
        messages.error(request, "There is no suggested passage for this annotation any more: select one in the text.")
        return redirect("documents_annotate", document.pk)
    apply_selector(annotation, make_selector(text, annotation.position_start, annotation.position_end), request.user)
    messages.success(request, "Suggested passage accepted.")
    return redirect(f"{reverse('documents_annotate', args=[document.pk])}#annotation-{annotation.pk}")


def delete_annotation(request, page_id, annotation_id):
    document = get_document(request, page_id)
    annotation = get_object_or_404(Annotation, pk=annotation_id, document=document)
    if request.method == "POST":
        description = str(annotation)
        annotation.delete()
        bump_content_version()
        messages.success(request, f"Deleted {description}.")
        return redirect("documents_annotate", document.pk)
    return TemplateResponse(
        request,
        "documents/admin/annotation_delete.html",
        {"document": document, "annotation": annotation, "header_title": "Delete annotation"},
    )
