"""Source documents, glossary terms, people, annotations and the timeline of the talks."""

import re
from collections import defaultdict
from hashlib import sha256
from uuid import uuid4

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.functions import Coalesce
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from markdownx.models import MarkdownxField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, Page, RevisionMixin, WorkflowMixin
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.markdown import render_markdown
from core.page_cache import CachedForAnonymousMixin
from documents import labels
from documents.access import readable
from documents.anchoring import AnchorStatus, Resolution, Selector, make_selector, resolve_anchor
from documents.citations import PARAGRAPH, Cited, cite, stored_csl, with_address
from documents.pipeline import canonical_text
from documents.reading import Linkable, Markup
from documents.rendering import (
    CACHE_SECONDS,
    addresses,
    reading_key,
    rendered_document,
    rendered_preview,
    templates_fingerprint,
)

FRUS_VOLUME = "Foreign Relations of the United States, 1977–1980, Volume XXVI, Arms Control and Nonproliferation"


class DocumentIndexPage(CachedForAnonymousMixin, Page):
    """The list of source documents, at /documents/."""

    intro = MarkdownxField(blank=True, help_text="A short introduction shown above the list (Markdown).")

    parent_page_types = ["arms_talks_site.HomePage"]
    subpage_types = ["documents.SourceDocumentPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["documents"] = SourceDocumentPage.readable_by(request).child_of(self).order_by("document_number")
        return context


class SourceDocumentPage(CachedForAnonymousMixin, RoutablePageMixin, Page):
    """One FRUS document presented as an annotated transcription, with its canonical text and notes as routes.

    Routes go through Wagtail, so they follow the page's slug and its view restrictions. Their views
    live in `documents/views.py`, which imports this module: each route imports its view when called.
    File-like routes end in `/?` only so that reversing them gives no trailing slash (`text.txt`);
    Wagtail always routes with one.
    """

    cache_query_params = ("kind",)  # the reader's filter of note kinds

    frus_volume = models.CharField(max_length=255, default=FRUS_VOLUME, help_text="The FRUS volume, in full.")
    document_number = models.PositiveIntegerField(help_text="The document's number in the volume, e.g. 285.")
    page_range = models.CharField(max_length=40, help_text="Printed pages in the volume, e.g. 702–705.")
    frus_url = models.URLField(blank=True, help_text="The document on history.state.gov.")
    document_type = models.CharField(max_length=80, help_text="Telegram, report, memorandum…")
    date_display = models.CharField(max_length=120, help_text="The date as students should read it.")
    date_sort = models.DateField(null=True, blank=True, help_text="A date used to order documents.")
    place = models.CharField(max_length=120, blank=True, help_text="Where it was written, e.g. Washington.")
    sender = models.CharField("from", max_length=255, blank=True, help_text="Who sent or wrote it.")
    recipient = models.CharField("to", max_length=255, blank=True, help_text="Who it was addressed to.")
    classification = models.CharField(
        max_length=120, blank=True, help_text='Classification and handling markers, e.g. "Secret; Nodis".'
    )
    archival_source = models.TextField(blank=True, help_text="Where the original is kept (from the source note).")
    summary = MarkdownxField(
        blank=True, help_text="Three or four sentences for students: what this is and why it matters."
    )
    edition_note = MarkdownxField(
        blank=True, help_text="How this edition was made, and what it restores from the printed FRUS volume."
    )
    transcription = MarkdownxField(
        help_text="The text, faithful to the source. Footnotes as [^1] with their notes below; page "
        "breaks as {{page 725}} exactly where they fall, even mid-word. Mark text restored from "
        "the printed edition with {: .restored } after the paragraph."
    )

    parent_page_types = ["documents.DocumentIndexPage"]
    subpage_types: list[str] = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("transcription"),
        index.SearchField("summary"),
    ]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("frus_volume"),
                FieldPanel("document_number"),
                FieldPanel("page_range"),
                FieldPanel("frus_url"),
            ],
            heading="FRUS citation",
        ),
        MultiFieldPanel(
            [
                FieldPanel("document_type"),
                FieldPanel("date_display"),
                FieldPanel("date_sort"),
                FieldPanel("place"),
                FieldPanel("sender"),
                FieldPanel("recipient"),
                FieldPanel("classification"),
                FieldPanel("archival_source"),
            ],
            heading="About the document",
        ),
        FieldPanel("summary"),
        FieldPanel("edition_note"),
        FieldPanel("transcription"),
    ]

    def reanchor_annotations(self) -> list[tuple["Annotation", Resolution]]:
        """A corrected transcription went live: place every annotation of it again, and store how it went."""
        text = canonical_text(self.transcription)
        return [(annotation, annotation.reanchor(text)) for annotation in Annotation.objects.filter(document=self)]

    @classmethod
    def readable_by(cls, request) -> PageQuerySet:
        """Live documents this request may read: view restrictions leave the others out of every list."""
        return readable(cls.objects.live(), request)

    @property
    def short_citation(self) -> str:
        return f"FRUS 1977–1980, vol. XXVI, doc. {self.document_number}"

    @re_path(r"^text\.txt/?$", name="text")
    def text_route(self, request):
        from documents.views import canonical_text  # views import this module (cycle)

        return canonical_text(request, self)

    @re_path(r"^cite\.bib/?$", name="cite_bib")
    def bibtex_route(self, request):
        from documents.views import citation_file  # views import this module (cycle)

        return citation_file(request, self, "bib")

    @re_path(r"^cite\.ris/?$", name="cite_ris")
    def ris_route(self, request):
        from documents.views import citation_file  # views import this module (cycle)

        return citation_file(request, self, "ris")

    @re_path(r"^annotations\.jsonld/?$", name="annotations")
    def annotations_route(self, request):
        from documents.views import annotations_export  # views import this module (cycle)

        return annotations_export(request, self)

    @re_path(r"^annotations/(?P<uuid>[0-9a-fA-F-]{32,36})/?$", name="annotation")
    def annotation_route(self, request, uuid):
        """An annotation's W3C id: `/documents/<slug>/annotations/<uuid>`."""
        from documents.views import annotation_detail  # views import this module (cycle)

        return annotation_detail(request, self, uuid)

    def linkables(self) -> list[Linkable]:
        """Every glossary term and person, to be linked wherever they occur."""
        return linkables()

    def published_annotations(self, kinds=None) -> list:
        """With what their notes show, in three queries whatever their number: for comparisons the other passage
        and its document's number (only the number: a whole document page would carry its transcription), and
        the names and slugs of the terms and people each note points to (`linked`: no model instances)."""
        annotations = (
            Annotation.objects.filter(document=self, live=True)
            .select_related("counterpart", "paired_from")
            .annotate(
                other_document_number=Coalesce(
                    "counterpart__document__document_number", "paired_from__document__document_number"
                )
            )
        )
        if kinds is not None:
            annotations = annotations.filter(kind__in=kinds)
        annotations = list(annotations)
        ids = [a.pk for a in annotations]
        terms, people = defaultdict(list), defaultdict(list)
        for note, name, slug in (
            Annotation.terms.through.objects.filter(annotation_id__in=ids)
            .order_by("glossaryterm__term")
            .values_list("annotation_id", "glossaryterm__term", "glossaryterm__slug")
        ):
            terms[note].append((name, slug))
        for note, name, slug in (
            Annotation.people.through.objects.filter(annotation_id__in=ids)
            .order_by("person__name")
            .values_list("annotation_id", "person__name", "person__slug")
        ):
            people[note].append((name, slug))
        for annotation in annotations:
            annotation.linked = (terms[annotation.pk], people[annotation.pk])
        return annotations

    def preview_annotations(self) -> list:
        """Drafts as editors last saved them: for the admin preview and the Annotate view only."""
        annotations = (
            Annotation.objects.filter(document=self)
            .select_related("counterpart__document", "paired_from__document")
            .prefetch_related("terms", "people")
        )
        return [a.get_latest_revision_as_object() if a.has_unpublished_changes else a for a in annotations]

    @staticmethod
    def unknown_kinds(request) -> list[str]:
        """Kinds of note asked for in `?kind=` that do not exist (the page says it ignored them)."""
        return [k for k in request.GET.getlist("kind") if k not in Annotation.Kind.values and k != "none"]

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if self.unknown_kinds(request):  # made-up values must not each get a cache entry of their own
            response.cache_for_anonymous = False
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        all_kinds = dict(Annotation.Kind.choices)
        asked = request.GET.getlist("kind")
        kinds = [k for k in asked if k in all_kinds] if asked else None
        context["unknown_kinds"] = self.unknown_kinds(request)
        if getattr(request, "is_preview", False):
            context["rendered"] = rendered_preview(self)
            context["fragment_key"], context["fragment_seconds"] = "preview", 0  # drafts: never cached
        else:
            key = reading_key(self, kinds)
            # loaded only if a fragment of the page is missing from the cache
            context["rendered"] = SimpleLazyObject(lambda: rendered_document(self, kinds, key))
            context["fragment_key"] = f"{key}:{templates_fingerprint()}"
            context["fragment_seconds"] = CACHE_SECONDS
        context["kind_choices"] = [
            {"value": value, "label": label, "checked": kinds is None or value in kinds}
            for value, label in all_kinds.items()
        ]
        context["filtered"] = kinds is not None
        context["modules"] = self.lesson_modules.live().order_by("path")
        url, preview = request.build_absolute_uri(self.url), getattr(request, "is_preview", False)
        document, paragraph = (cite(self, url), cite(self, url, PARAGRAPH)) if preview else self.citations(url)
        context["citation_rows"] = [
            ("chicago", "Chicago (note)", document.chicago),
            ("mla", "MLA", document.mla),
            ("apa", "APA", document.apa),
        ]
        context["paragraph_rows"] = [
            ("chicago", "Chicago (note)", paragraph.chicago),
            ("mla", "MLA (in the text)", paragraph.mla),
            ("apa", "APA (in the text)", paragraph.apa),
        ]
        context["timeline_place"] = self.timeline_place()
        return context

    def timeline_place(self):
        from documents.timeline import place_of  # the timeline module imports this one (cycle)

        return place_of(self)

    def citations(self, url: str) -> tuple[Cited, Cited]:
        """The document's citations and a paragraph's (`PARAGRAPH` for its number), as published. MLA and APA
        come from citeproc, which is slow: they are made once per published revision and stored."""
        stamp = self.last_published_at.timestamp() if self.last_published_at else 0
        key = f"citations:{self.pk}:{stamp}:{sha256(url.encode()).hexdigest()}"

        def made():
            stored = self.stored_citations()
            return with_address(stored[""], self, url), with_address(stored[PARAGRAPH], self, url, PARAGRAPH)

        return cache.get_or_set(key, made, CACHE_SECONDS)

    def stored_citations(self) -> dict:
        """MLA and APA of the published revision, made if it has none yet (`StoredCitations`)."""
        stored = StoredCitations.objects.filter(document=self, published_at=self.last_published_at).first()
        if stored is not None:
            return stored.styles
        styles = {"": stored_csl(self), PARAGRAPH: stored_csl(self, PARAGRAPH)}
        StoredCitations.objects.update_or_create(
            document=self, defaults={"published_at": self.last_published_at, "styles": styles}
        )
        return styles


def linkables() -> list[Linkable]:
    """Glossary terms and people as the pipeline links them and their popovers show them."""
    items = []
    term_url, person_url = addresses("glossary_term"), addresses("person")
    for term in GlossaryTerm.objects.all():
        body = Markup(str(term.definition_html))
        items.append(Linkable("term", term.slug, term.term, term_url(term.slug), term.names, body, term.expansion))
    for person in Person.objects.all():
        body = Markup(str(person.biography_html))
        items.append(
            Linkable("person", person.slug, person.name, person_url(person.slug), person.names, body, person.role)
        )
    return items


class LinkedEntry(models.Model):
    """What glossary terms and people share: a slug, the exact names to link, a timestamp."""

    slug = models.SlugField(unique=True, max_length=80, help_text="The address of its page, e.g. ssod.")
    aliases = ArrayField(
        models.CharField(max_length=120),
        blank=True,
        default=list,
        help_text="Other exact spellings to link in the texts, comma-separated (case matters).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class GlossaryTerm(index.Indexed, LinkedEntry):
    """An abbreviation, office symbol, handling marker or specialised term found in the documents."""

    CATEGORIES = [
        ("abbreviation", "Abbreviation"),
        ("office", "Office symbol"),
        ("handling", "Classification or handling marker"),
        ("document", "Document or archive"),
        ("concept", "Concept"),
        ("organisation", "Organisation"),
        ("place", "Place"),
        ("event", "Event"),
    ]
    term = models.CharField(max_length=120, unique=True, help_text="Exactly as it appears in the documents.")
    expansion = models.CharField(max_length=255, blank=True, help_text="What the abbreviation stands for, here.")
    category = models.CharField(max_length=20, choices=CATEGORIES, default="concept")
    definition = MarkdownxField(help_text="Two to five sentences a 17-year-old understands (Markdown).")
    related = models.ManyToManyField("self", blank=True, help_text="Terms worth reading next.")

    panels = [
        FieldPanel("term"),
        FieldPanel("slug"),
        FieldPanel("expansion"),
        FieldPanel("category"),
        FieldPanel("aliases"),
        FieldPanel("definition"),
        FieldPanel("related"),
    ]
    search_fields = [
        index.SearchField("term", boost=3),
        index.SearchField("expansion", boost=2),
        index.SearchField("definition"),
        index.AutocompleteField("term"),
    ]

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} ({self.expansion})" if self.expansion else self.term

    def get_absolute_url(self):
        return reverse("glossary_term", args=[self.slug])

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)

    @cached_property
    def definition_html(self):
        return render_markdown(self.definition)


class Person(index.Indexed, LinkedEntry):
    """Someone named in the documents, as they were at the time."""

    name = models.CharField(max_length=120, help_text="Full name, e.g. Leslie H. Gelb.")
    role = models.CharField(max_length=255, help_text="Who they were in 1977–78.")
    biography = MarkdownxField(blank=True, help_text="A short, modest biography (Markdown).")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("aliases"),
        FieldPanel("role"),
        FieldPanel("biography"),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("role"),
        index.SearchField("biography"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("person", args=[self.slug])

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.aliases) or (self.name,)

    @property
    def surname(self) -> str:
        """The last word of the name ("Mathews" in "Jessica Tuchman Mathews"): people are listed by it."""
        return self.name.split()[-1] if self.name.split() else ""

    @cached_property
    def biography_html(self):
        return render_markdown(self.biography)


class Annotation(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """An editor's note on a passage of a source document, anchored by W3C text selectors.

    The anchor (quote with its context, and position) is over the document's canonical text.
    `anchor_status` and the resolved position record the outcome of the last re-anchoring,
    done whenever the transcription or the annotation is published.
    """

    class Kind(models.TextChoices):
        CONTEXT = "context", "Context"
        VOCABULARY = "vocabulary", "Vocabulary"
        PEOPLE = "people", "People"
        QUESTION = "question", "Analysis question"
        CROSSREF = "crossref", "Cross-reference"
        SOURCING = "sourcing", "Reading the source"
        COMPARE = "compare", "Passages compared"

    class Relation(models.TextChoices):
        """How the first passage of a comparison stands to the second (the second's view is `RELATION_SEEN_BACK`)."""

        CORROBORATES = "corroborates", "corroborates"
        CONTRADICTS = "contradicts", "contradicts"
        DEVELOPS = "develops", "develops"
        ANSWERS = "answers", "answers"

    document = models.ForeignKey(
        SourceDocumentPage, on_delete=models.CASCADE, related_name="annotations", help_text="The document annotated."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONTEXT)
    body = MarkdownxField(
        blank=True,  # only the second passage of a comparison has none: it shows the first's explanation
        help_text="What the passage means, why it mattered, what to ask of it (Markdown).",
    )
    relation = models.CharField(
        max_length=12,
        choices=Relation.choices,
        blank=True,
        help_text="For passages compared: how this passage stands to the other one.",
    )
    counterpart = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paired_from",
        editable=False,
        help_text="For passages compared: the note on the other passage, in another document.",
    )
    terms = ParentalManyToManyField(GlossaryTerm, blank=True, related_name="annotations")
    people = ParentalManyToManyField(Person, blank=True, related_name="annotations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    quote_exact = models.TextField("quote", help_text="The annotated passage, exactly as in the canonical text.")
    quote_prefix = models.CharField(max_length=64, blank=True, help_text="Text just before the quote.")
    quote_suffix = models.CharField(max_length=64, blank=True, help_text="Text just after the quote.")
    position_start = models.PositiveIntegerField(help_text="Where the quote starts in the canonical text.")
    position_end = models.PositiveIntegerField(help_text="Where the quote ends in the canonical text.")
    anchor_status = models.CharField(
        max_length=12,
        choices=[(s.value, s.value.capitalize()) for s in AnchorStatus],
        default=AnchorStatus.ANCHORED,
        help_text="Outcome of the last re-anchoring.",
    )
    anchor_similarity = models.FloatField(default=1.0)
    anchored_at = models.DateTimeField(null=True, blank=True)
    w3c_id = models.CharField(
        "W3C id", max_length=500, blank=True, db_index=True, help_text="The id it had where it was imported from."
    )
    canonical = models.CharField(
        max_length=500, blank=True, help_text="The canonical IRI it came with, if any (exported as `canonical`)."
    )
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    label = models.CharField(
        max_length=8, blank=True, editable=False, help_text="Its letter (a, b … aa), given once, when it is created."
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="annotation")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="annotation",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("document", read_only=True),
        FieldPanel("quote_exact", read_only=True),
        FieldPanel("kind"),
        FieldPanel("relation"),
        FieldPanel("body"),
        FieldPanel("terms", widget=forms.CheckboxSelectMultiple),
        FieldPanel("people", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        index.SearchField("body"),
        index.SearchField("quote_exact"),
        index.FilterField("kind"),
        index.FilterField("document_id"),
        index.FilterField("live"),
        index.FilterField("anchor_status"),  # search leaves orphans out
    ]

    class Meta:
        ordering = ["document", "position_start"]
        indexes = [models.Index(fields=["document", "live"])]
        constraints = [models.UniqueConstraint(fields=["document", "label"], name="one_label_per_note_of_a_document")]

    def __str__(self):
        quote = self.quote_exact if len(self.quote_exact) <= 60 else self.quote_exact[:57] + "…"
        return f"{self.get_kind_display()}: “{quote}”"

    @property
    def revisions(self):
        return self._revisions

    def save(self, *args, **kwargs):
        """A new note takes the next letter of its document, or keeps the one it came with (an import)."""
        if not self.label:
            self.label = next_label(self.document_id)
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        """A revision (perhaps from before labels and uuids existed) never changes the note's identity,
        nor the pairing of compared passages (made once, when the second passage is chosen)."""
        obj = super().with_content_json(content)
        obj.uuid, obj.label, obj.counterpart_id = self.uuid, self.label, self.counterpart_id
        return obj

    def clean(self):
        """Every note needs a body, but the second passage of a comparison, which shows the first's; the first
        passage (the one paired with `counterpart`) also needs its relation."""
        super().clean()
        if self.kind != self.Kind.COMPARE:
            self.relation = ""
        elif not self.counterpart_id:
            return
        elif not self.relation:
            raise ValidationError({"relation": "Say how this passage stands to the other one."})
        if not self.body.strip():
            raise ValidationError({"body": "Write the note: an annotation without a body would be empty for readers."})

    @property
    def is_second_passage(self) -> bool:
        """The second passage of a comparison: its note shows the first's relation and explanation."""
        return self.first_passage not in (None, self)

    @cached_property
    def first_passage(self) -> "Annotation | None":
        """For passages compared: the note that holds the relation and the explanation (None when unpaired)."""
        if self.kind != self.Kind.COMPARE:
            return None
        if self.counterpart_id:
            return self
        try:
            return self.paired_from  # select_related by the reading, else one query
        except Annotation.DoesNotExist:
            return None

    @property
    def other_passage(self) -> "Annotation | None":
        first = self.first_passage
        if first is None:
            return None
        return first.counterpart if first is self else first

    @property
    def relation_seen_from_here(self) -> str:
        """ "answers" on the first passage, "is answered in" on the second."""
        first = self.first_passage
        if first is None or not first.relation:
            return ""
        return first.relation if first is self else RELATION_SEEN_BACK[first.relation]

    @property
    def anchor(self) -> str:
        """The id of its element on the reading page: it ends with the uuid that its W3C id ends with."""
        return f"annotation-{self.uuid}"

    @property
    def selector(self) -> Selector:
        return Selector(self.quote_exact, self.quote_prefix, self.quote_suffix, self.position_start, self.position_end)

    def use_selector(self, selector: Selector, status=AnchorStatus.ANCHORED, similarity=1.0) -> dict:
        """Point the annotation at the selector's passage; return the fields set, to save or update.

        `anchored_at` always changes, so the cached reading (keyed on it) is rendered again.
        """
        fields = {
            "quote_exact": selector.exact,
            "quote_prefix": selector.prefix,
            "quote_suffix": selector.suffix,
            "position_start": selector.start,
            "position_end": selector.end,
            "anchor_status": status,
            "anchor_similarity": similarity,
            "anchored_at": timezone.now(),
        }
        for name, value in fields.items():
            setattr(self, name, value)
        return fields

    def set_anchor(self, text: str, start: int, end: int) -> None:
        """Anchor to text[start:end] of the canonical text (raises ValueError outside it)."""
        self.use_selector(make_selector(text, start, end))

    def reanchor(self, text: str) -> Resolution:
        """Resolve the anchor against `text` and store the outcome (on this row only, not as a revision).

        An approximate match keeps the old quote (so an editor sees what changed) but moves the position.
        """
        resolution = resolve_anchor(text, self.selector)
        if resolution.status in (AnchorStatus.ANCHORED, AnchorStatus.MOVED):
            fields = self.use_selector(make_selector(text, resolution.start, resolution.end), resolution.status)
        else:
            fields = {
                "anchor_status": resolution.status,
                "anchor_similarity": resolution.similarity,
                "anchored_at": timezone.now(),
            }
            if resolution.status == AnchorStatus.APPROXIMATE:
                fields.update(position_start=resolution.start, position_end=resolution.end)
            for name, value in fields.items():
                setattr(self, name, value)
        if self.pk:
            Annotation.objects.filter(pk=self.pk).update(**fields)
        return resolution

    def reanchor_to_document(self) -> Resolution:
        """Place the annotation in the live transcription of its document (on publish)."""
        document = SourceDocumentPage.objects.get(pk=self.document_id)
        return self.reanchor(canonical_text(document.transcription))

    @cached_property
    def body_html(self):
        return render_markdown(self.body)


@receiver(pre_delete, sender=Annotation)
def delete_the_second_passage_with_the_first(sender, instance, **kwargs):
    """The first passage's note holds the explanation of both: without it the second would be an empty note."""
    if instance.kind == Annotation.Kind.COMPARE and instance.counterpart_id:
        Annotation.objects.filter(pk=instance.counterpart_id).delete()


RELATION_SEEN_BACK = {
    "corroborates": "is corroborated by",
    "contradicts": "is contradicted by",
    "develops": "is developed in",
    "answers": "is answered in",
}


class TimelineEvent(DraftStateMixin, RevisionMixin, ClusterableModel):
    """A dated event of the talks: on /timeline/, in the home page's strip, and placing each document in the story."""

    title = models.CharField(max_length=160, help_text='Short, e.g. "Round II of the talks".')
    slug = models.SlugField(unique=True, help_text="The event's anchor on the timeline page.")
    start = models.DateField(help_text="The first day (or any day of the month, when only the month is known).")
    end = models.DateField(null=True, blank=True, help_text="The last day, for events that lasted several days.")
    date_display = models.CharField(max_length=80, help_text='As readers see it, e.g. "December 14–19, 1977".')
    place = models.CharField(max_length=80, blank=True)
    summary = models.TextField(help_text="Two or three plain sentences for students; say only what the sources show.")
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="timeline_event")

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("date_display"), FieldPanel("place")]),
        FieldPanel("summary"),
        InlinePanel("sources", heading="Documents", label="Document", min_num=1),
    ]

    class Meta:
        ordering = ["start", "end", "pk"]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "The last day cannot come before the first."})


class TimelineEventSource(Orderable):
    """A document (and, optionally, a paragraph) an event rests on, by its number in the FRUS volume: it links to
    the document on this site when the site has it (and the reader may read it), else to history.state.gov."""

    event = ParentalKey(TimelineEvent, on_delete=models.CASCADE, related_name="sources")
    document_number = models.PositiveIntegerField(help_text="The document's number in FRUS 1977–1980, vol. XXVI.")
    paragraph = models.CharField(
        max_length=12, blank=True, help_text='A paragraph of it, as in its address: "p-5" for ¶ 5. Optional.'
    )
    note = models.CharField(max_length=160, blank=True, help_text='What it shows, e.g. "the US debrief".')

    panels = [FieldRowPanel([FieldPanel("document_number"), FieldPanel("paragraph")]), FieldPanel("note")]

    def clean(self):
        super().clean()
        if self.paragraph and not PARAGRAPH_ID.fullmatch(self.paragraph):
            raise ValidationError({"paragraph": 'Write the paragraph as in its address, e.g. "p-5" for ¶ 5.'})
        document = SourceDocumentPage.objects.filter(document_number=self.document_number).first()
        if document and self.paragraph:
            anchors = {block.place.anchor for block in rendered_document(document).blocks}
            if self.paragraph not in anchors:
                raise ValidationError(
                    {"paragraph": f"Document {self.document_number} has no paragraph {self.paragraph}."}
                )


PARAGRAPH_ID = re.compile(r"p-[1-9][0-9]{0,3}")


class StoredCitations(models.Model):
    """A document's MLA and APA citations as its published revision gives them (citeproc takes some 20 ms for
    the four the page shows): made when the page is published, or at the first reading after; a row from an
    earlier publication is never used. The reader's address goes in when they are shown."""

    document = models.OneToOneField(SourceDocumentPage, on_delete=models.CASCADE, primary_key=True)
    published_at = models.DateTimeField(null=True)  # the page's `last_published_at` they were made from
    styles = models.JSONField(default=dict)  # "" (the document) and PARAGRAPH: [MLA, APA]

    def __str__(self):
        return f"Citations of document {self.document_id}"


class AnnotationLabelCounter(models.Model):
    """How many letters a document has given its notes, so a deleted note's letter is never given again.

    Kept apart from the page: a page's fields travel with its revisions, and publishing an old
    revision would wind the counter back.
    """

    document = models.OneToOneField(SourceDocumentPage, on_delete=models.CASCADE, primary_key=True)
    issued = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.issued} letters given in document {self.document_id}"


# One statement, so two editors saving notes at once cannot get the same letter.
NEXT_LABEL_SQL = """
INSERT INTO documents_annotationlabelcounter (document_id, issued) VALUES (%s, %s)
ON CONFLICT (document_id) DO UPDATE SET issued = GREATEST(documents_annotationlabelcounter.issued + 1, EXCLUDED.issued)
RETURNING issued
"""


def next_label(document_id: int) -> str:
    """The next letter of a document's notes: never one given before, even if its note was deleted."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_LABEL_SQL, [document_id, 1])
        return labels.letter(cursor.fetchone()[0])


def label_is_free(document_id: int, label: str) -> bool:
    """An imported note may keep its letter if it is a letter no other note of the document has."""
    return labels.number(label) > 0 and not Annotation.objects.filter(document_id=document_id, label=label).exists()


def claim_label(document_id: int, label: str) -> None:
    """Count an imported note's letter as given, so later notes of the document come after it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO documents_annotationlabelcounter (document_id, issued) VALUES (%s, %s) "
            "ON CONFLICT (document_id) DO UPDATE SET "
            "issued = GREATEST(documents_annotationlabelcounter.issued, EXCLUDED.issued)",
            [document_id, labels.number(label)],
        )
