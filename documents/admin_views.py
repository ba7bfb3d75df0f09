"""The admin "Annotate" view: select a passage in the transcription, write a note about it.

Selections arrive as offsets in the canonical text (the page marks every paragraph with its
offset) together with the selected text, which the server checks against the text before it
stores anything. Without JavaScript, or from the keyboard, the editor types or pastes the
passage instead; it is found in the text if it occurs once.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from markdownx.fields import MarkdownxFormField
from wagtail.admin import messages as admin_messages
from wagtail.models import WorkflowState

from core.markdown import validate_markdown
from documents.anchoring import AnchorStatus, Selector, make_selector
from documents.models import Annotation, GlossaryTerm, Person, SourceDocumentPage
from documents.pipeline import canonical_text
from documents.rendering import rendered_preview

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
    relation = forms.ChoiceField(
        choices=[("", "—"), *Annotation.Relation.choices],
        required=False,
        label="Relation (passages compared)",
        help_text="For “Passages compared”: how this passage stands to the one you choose next, in another document.",
    )
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

    def clean(self):
        data = super().clean()
        if data.get("kind") == Annotation.Kind.COMPARE and not data.get("relation"):
            self.add_error("relation", "Say how this passage stands to the other one (corroborates, contradicts…).")
        if data.get("kind") != Annotation.Kind.COMPARE:
            data["relation"] = ""
        return data


class SecondPassageForm(SelectionForm):
    """The second passage of a comparison: only the selection (the first passage's note explains both)."""

    pair = forms.IntegerField(widget=forms.HiddenInput)


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
    if "pair" in request.GET or "pair" in request.POST:
        return choose_second_passage(request, document, text)
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
                if annotation.kind == Annotation.Kind.COMPARE:
                    messages.success(request, f"First passage saved: {annotation}. Now choose the other passage.")
                    return redirect("documents_annotation_pair", document.pk, annotation.pk)
                messages.success(request, f"Draft annotation saved: {annotation}. Publish it when it is ready.")
                return redirect(f"{reverse('documents_annotate', args=[document.pk])}#{annotation.anchor}")
        messages.error(request, "The annotation was not saved: see the message below.")
    return annotate_page(request, document, form, reanchor_form, status=400 if request.method == "POST" else 200)


@dataclass(frozen=True)
class Review:
    """A note that needs an editor: its old passage, and for an approximate placement the new one."""

    annotation: Annotation
    suggestion: Selector | None


def suggestion(annotation: Annotation, text: str) -> Selector | None:
    """The passage an approximate match found (its position was moved there; its quote was kept)."""
    start, end = annotation.position_start, annotation.position_end
    if annotation.anchor_status != AnchorStatus.APPROXIMATE or not 0 <= start < end <= len(text):
        return None
    return make_selector(text, start, end)


def may_publish(user) -> bool:
    return user.has_perm("documents.publish_annotation")


def mark_in_review(annotations) -> None:
    """Set `in_review` on each annotation, in one query: the list offers "Submit for review" only once."""
    in_review = set(
        WorkflowState.objects.filter(
            base_content_type__app_label="documents",
            base_content_type__model="annotation",
            object_id__in=[str(a.pk) for a in annotations],
            status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
        ).values_list("object_id", flat=True)
    )
    for annotation in annotations:
        annotation.in_review = str(annotation.pk) in in_review


def annotate_page(request, document, form, reanchor_form=None, status=200, pairing=None):
    rendered = rendered_preview(document)
    annotations = document.preview_annotations()
    mark_in_review(annotations)
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
                Review(a, suggestion(a, rendered.text))
                for a in annotations
                if a.anchor_status in (AnchorStatus.ORPHAN, AnchorStatus.APPROXIMATE)
            ],
            "header_title": f"Annotate: {document.title}",
            "may_publish": may_publish(request.user),
            "pairing": pairing,
        },
        status=status,
    )


@transaction.atomic
def create_annotation(request, document, data) -> Annotation:
    selector = data["selector"]
    annotation = Annotation(
        document=document,
        kind=data["kind"],
        relation=data.get("relation", ""),
        body=data["body"],
        author=request.user,
        live=False,
    )
    annotation.use_selector(selector)
    annotation.terms = list(data["terms"])
    annotation.people = list(data["people"])
    annotation.save()
    annotation.save_revision(user=request.user, log_action=True)
    return annotation


def first_passage_to_pair(request, annotation_id) -> Annotation:
    """A note on a first passage, still waiting for its second, in a document this editor may edit."""
    first = get_object_or_404(
        Annotation.objects.select_related("document"),
        pk=annotation_id,
        kind=Annotation.Kind.COMPARE,
        counterpart__isnull=True,
        paired_from__isnull=True,
    )
    get_document(request, first.document_id)
    return first


def pair(request, page_id, annotation_id):
    """Step two of comparing passages: pick the other document, then select the passage in it."""
    get_document(request, page_id)
    first = first_passage_to_pair(request, annotation_id)
    others = [
        d
        for d in SourceDocumentPage.objects.exclude(pk=first.document_id).order_by("document_number")
        if d.permissions_for_user(request.user).can_edit()
    ]
    return TemplateResponse(
        request,
        "documents/admin/pair.html",
        {"first": first, "documents": others, "header_title": "Compare with a passage in another document"},
    )


def choose_second_passage(request, document, text):
    raw = request.POST.get("pair") or request.GET.get("pair", "")
    if not raw.isdigit():
        raise Http404("No such passage to pair.")
    first = first_passage_to_pair(request, int(raw))
    if first.document_id == document.pk:
        messages.error(request, "Choose the second passage in another document.")
        return redirect("documents_annotation_pair", first.document_id, first.pk)
    form = SecondPassageForm(initial={"pair": first.pk}, text=text)
    if request.method == "POST":
        form = SecondPassageForm(request.POST, text=text)
        if form.is_valid():
            second = save_second_passage(request, first, document, form.cleaned_data["selector"])
            messages.success(
                request,
                f"The two passages are paired. Publish both notes ({first.label} in doc. "
                f"{first.document.document_number}, {second.label} here) for readers to compare them.",
            )
            return redirect(f"{reverse('documents_annotate', args=[document.pk])}#{second.anchor}")
        messages.error(request, "The second passage was not saved: see the message below.")
    status = 400 if request.method == "POST" else 200
    return annotate_page(request, document, form, status=status, pairing=first)


@transaction.atomic
def save_second_passage(request, first: Annotation, document, selector) -> Annotation:
    first = Annotation.objects.select_for_update().get(pk=first.pk)  # two editors pairing at once: one wins
    if first.counterpart_id:
        raise PermissionDenied("This passage has been paired already.")
    second = Annotation(document=document, kind=Annotation.Kind.COMPARE, body="", author=request.user, live=False)
    second.use_selector(selector)
    second.save()
    second.save_revision(user=request.user, log_action=True)
    Annotation.objects.filter(pk=first.pk).update(counterpart=second)
    return second


@transaction.atomic
def reanchor(request, document, form):
    data = form.cleaned_data
    annotation = get_object_or_404(Annotation.objects.select_for_update(), pk=data["annotation"], document=document)
    if data.get("revision") and annotation.latest_revision_id != data["revision"]:
        form.add_error(None, "Someone else changed this annotation since you opened the page. Reload, then re-anchor.")
        messages.error(request, "Not re-anchored: see the message below.")
        return annotate_page(request, document, AnnotationForm(text=form.text), form, status=409)
    outcome = apply_selector(annotation, data["selector"], request.user)
    messages.success(request, f"Re-anchored to “{data['selector'].exact[:80]}”{OUTCOMES[outcome]}")
    return redirect(f"{reverse('documents_annotate', args=[document.pk])}#{annotation.anchor}")


OUTCOMES = {
    "draft": ".",
    "published": ": published.",
    "submitted": ": a draft, submitted for review. Readers see the note where it was until it is published.",
}


@transaction.atomic  # the page cache is emptied after the commit, so every write is in it
def apply_selector(annotation: Annotation, selector, user) -> str:
    """Move an annotation to a new passage; say what became of it ("draft", "published" or "submitted").

    A draft (never published) simply moves. A published annotation moves for readers only through
    publishing: at once, in a new published revision, for someone who may publish annotations; otherwise
    a draft revision goes through the moderation workflow and the live note stays where it was.
    """
    draft = annotation.get_latest_revision_as_object()
    draft.use_selector(selector)
    if not annotation.live:
        draft.save_revision(user=user, log_action=True)
        Annotation.objects.filter(pk=annotation.pk).update(**annotation.use_selector(selector))
        return "draft"
    if not may_publish(user):
        draft.save_revision(user=user, log_action=True)
        submit_for_review(annotation, user)
        return "submitted"
    had_draft = annotation.has_unpublished_changes
    annotation.use_selector(selector)  # the live version at the new passage: an unreviewed draft is not published
    annotation.save_revision(user=user, log_action=True).publish(user=user)
    if had_draft:  # the pending draft keeps its edits, at the new passage
        draft.save_revision(user=user)
    return "published"


def submit_for_review(annotation: Annotation, user) -> bool:
    """Start Wagtail's moderation workflow on the annotation, as the snippet edit view's "Submit" does.

    A workflow already in progress goes on (it publishes the latest revision when approved); one sent back
    for changes is resumed. False when no workflow is configured for annotations.
    """
    annotation.refresh_from_db()
    state = annotation.current_workflow_state
    if state is not None:
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user)
        return True
    workflow = annotation.get_workflow()
    if workflow is None:
        return False
    workflow.start(annotation, user)
    return True


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
    selector = make_selector(text, annotation.position_start, annotation.position_end)
    outcome = apply_selector(annotation, selector, request.user)
    messages.success(request, f"Suggested passage accepted{OUTCOMES[outcome]}")
    return redirect(f"{reverse('documents_annotate', args=[document.pk])}#{annotation.anchor}")


@require_POST
def review_annotation(request, page_id, annotation_id):
    """The Annotate view's "Publish" (for those who may) and "Submit for review" (for everyone else)."""
    document = get_document(request, page_id)
    annotation = get_object_or_404(Annotation, pk=annotation_id, document=document)
    if request.POST.get("action") == "publish":
        if not may_publish(request.user):
            raise PermissionDenied
        annotation.get_latest_revision().publish(user=request.user)
        messages.success(request, f"Published {annotation}.")
    elif submit_for_review(annotation, request.user):
        messages.success(request, f"Submitted for review: {annotation}. A moderator will publish it.")
    else:
        messages.error(request, "No moderation workflow is set up for annotations: ask a moderator to publish it.")
    return redirect(f"{reverse('documents_annotate', args=[document.pk])}#{annotation.anchor}")


def delete_annotation(request, page_id, annotation_id):
    document = get_document(request, page_id)
    annotation = get_object_or_404(Annotation, pk=annotation_id, document=document)
    if request.method == "POST":
        description = str(annotation)
        annotation.delete()
        messages.success(request, f"Deleted {description}.")
        return redirect("documents_annotate", document.pk)
    return TemplateResponse(
        request,
        "documents/admin/annotation_delete.html",
        {"document": document, "annotation": annotation, "header_title": "Delete annotation"},
    )


STATUS_WORDS = {
    AnchorStatus.MOVED: "moved",
    AnchorStatus.APPROXIMATE: "placed approximately",
    AnchorStatus.ORPHAN: "orphaned",
}


def notes_needing_a_look(document: SourceDocumentPage) -> list[Annotation]:
    """The notes its last publish moved, placed approximately or orphaned (re-anchored since it went live)."""
    if document.last_published_at is None:
        return []
    return list(
        Annotation.objects.filter(
            document=document, anchored_at__gte=document.last_published_at, anchor_status__in=list(STATUS_WORDS)
        ).order_by("position_start", "pk")
    )


def report_reanchoring(request, document: SourceDocumentPage) -> None:
    """After the publish message: the notes this publish orphaned or placed approximately, then those it
    moved with their passage (text before them changed), each linked to its place in the Annotate view."""
    notes = notes_needing_a_look(document)
    if not notes:
        return
    annotate_url = reverse("documents_annotate", args=[document.pk])
    looks = [n for n in notes if n.anchor_status != AnchorStatus.MOVED]
    moved = [n for n in notes if n.anchor_status == AnchorStatus.MOVED]
    parts = []
    if looks:
        count = "1 note needs" if len(looks) == 1 else f"{len(looks)} notes need"
        items = format_html_join(
            ", ",
            '<a href="{}#annotation-item-{}">note {}</a> ({}: “{}”)',
            (
                (annotate_url, n.pk, n.label, STATUS_WORDS[n.anchor_status], Truncator(n.quote_exact).chars(60))
                for n in looks
            ),
        )
        parts.append(format_html("{} a look after this publish: {}.", count, items))
    if moved:
        items = format_html_join(
            ", ", '<a href="{}#annotation-item-{}">note {}</a>', ((annotate_url, n.pk, n.label) for n in moved)
        )
        count = "1 note" if len(moved) == 1 else f"{len(moved)} notes"
        parts.append(format_html("{} moved with their passage: {}.", count, items))
    report = admin_messages.warning if looks else admin_messages.info
    report(request, format_html_join(" ", "{}", ((part,) for part in parts)))
