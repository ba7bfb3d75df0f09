"""Lesson modules, quizzes and quiz attempts."""

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, Orderable, Page, PagePermissionTester, RevisionMixin
from wagtail.search import index

from core.markdown import render_markdown
from core.page_cache import CachedForAnonymousMixin, mark_cacheable
from documents.anchoring import find_passage
from documents.rendering import rendered_document
from lessons.blocks import ModuleBodyBlock, PlanBodyBlock
from lessons.excerpts import excerpts_for
from lessons.question_kinds import KINDS, all_kinds, model_choices

LEVELS = [
    ("grades-9-10", "Grades 9–10"),
    ("grades-11-12", "Grades 11–12"),
    ("ap", "AP / IB"),
    ("university", "First-year university"),
]


class LessonIndexPage(CachedForAnonymousMixin, Page):
    """The list of lesson modules, at /lessons/."""

    intro = MarkdownxField(blank=True, help_text="A short introduction above the list (Markdown).")

    parent_page_types = ["arms_talks_site.HomePage"]
    subpage_types = ["lessons.LessonModulePage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = LessonModulePage.objects.child_of(self).live().order_by("path")
        return context


class LessonModulePage(Page):
    """A lesson built on the sources: objectives, excerpts, questions, an activity, a quiz."""

    summary = models.TextField(help_text="Two sentences for the lessons list.")
    level = models.CharField(max_length=20, choices=LEVELS, default="grades-11-12")
    duration = models.PositiveSmallIntegerField("duration (minutes)", default=50)
    objectives = models.TextField(help_text="One learning objective per line.")
    essential_question = models.CharField(max_length=255, help_text="The question the lesson keeps returning to.")
    related_documents = ParentalManyToManyField(
        "documents.SourceDocumentPage", blank=True, related_name="lesson_modules", help_text="Sources it uses."
    )
    body = StreamField(ModuleBodyBlock(), help_text="The lesson, block by block.")

    parent_page_types = ["lessons.LessonIndexPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("essential_question"),
        index.SearchField("objectives"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("duration")]),
        FieldPanel("essential_question"),
        FieldPanel("objectives"),
        FieldPanel("related_documents"),
        FieldPanel("body"),
    ]

    def get_admin_display_title(self):
        """Choosers and listings show how long a module is and for whom, to plan a lesson quickly."""
        return f"{super().get_admin_display_title()} ({self.duration} min, {self.get_level_display()})"

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]

    def has_quiz(self) -> bool:
        return any(block.block_type == "quiz" for block in self.body)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["excerpts"], context["excerpt_popovers"] = excerpts_for(self.body)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not self.has_quiz() and not getattr(request, "is_preview", False):
            mark_cacheable(response)  # a quiz form carries a one-time token: never cached
        return response


class OwnerFieldPanel(FieldPanel):
    """A field only a teacher's quiz has (sharing): shown to its owner, and to a teacher adding one."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            user = self.request.user if self.request else None
            if user is None or not super().is_shown():
                return False
            if self.instance.pk is None:
                return not user.has_perm("lessons.change_quiz")  # who adds without that right writes their own
            return self.instance.owner_id is not None  # its owner (others may not open it; superusers keep it)


class QuizAdminForm(WagtailAdminModelForm):
    """A quiz cannot be published without questions, nor with a question whose choices its kind cannot use
    (no right answer, or too few events to order)."""

    def is_teachers_quiz(self) -> bool:
        if self.instance.pk is not None:
            return self.instance.owner_id is not None
        user = self.for_user
        return user is not None and user.is_authenticated and not user.has_perm("lessons.change_quiz")

    def clean(self):
        cleaned = super().clean()
        teachers = self.is_teachers_quiz()
        if teachers and self.instance.pk is None:
            self.instance.owner = self.for_user  # who adds a quiz without the right to edit the site's owns it
        questions = self.formsets.get("questions")
        if questions is None:
            return cleaned
        questions.is_valid()  # the quiz form is cleaned before its inline forms: clean those first, to read them
        kept = [f for f in questions.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if not (questions.can_delete and questions._should_delete_form(f))]
        if "action-publish" in self.data and not kept:
            raise ValidationError("A quiz needs at least one question before it can be published.")
        for form in kept:
            kind = form.cleaned_data.get("kind") if hasattr(form, "cleaned_data") else None
            choices = form.formsets.get("choices")
            if kind not in KINDS or choices is None:
                continue
            kept_choices = [
                {"text": choice.cleaned_data.get("text", ""), "correct": bool(choice.cleaned_data.get("correct"))}
                for choice in choices.forms
                if getattr(choice, "cleaned_data", None)
                and not (choices.can_delete and choices._should_delete_form(choice))
            ]
            for message in KINDS[kind].choice_errors(kept_choices):
                form.add_error(None, message)
        if teachers:
            for form in kept:
                passage_errors(form)
        return cleaned


def passage_errors(form) -> None:
    """A teacher's question rests on a passage, as the shipped ones do: a document and a quote found in its text
    (the result links to that paragraph)."""
    data = getattr(form, "cleaned_data", None)
    if data is None:
        return
    document, quote = data.get("source_document"), (data.get("source_quote") or "").strip()
    if document is None:
        form.add_error("source_document", "Choose the document this question rests on.")
    if not quote:
        form.add_error("source_quote", "Paste the passage this question rests on, exactly as in the text.")
    if document is None or not quote:
        return
    text = rendered_document(document.specific).text
    wanted = [("source_quote", quote)]
    if data.get("kind") == "evidence":  # its excerpt too: a question whose excerpt is not found is never asked
        wanted.append(("excerpt_quote", (data.get("excerpt_quote") or "").strip()))
    for field, passage in wanted:
        if passage and find_passage(text, passage) is None:
            form.add_error(
                field,
                f"This passage is not in “{document.title}”: copy it exactly as in the text (a sentence or more).",
            )


class QuizQuerySet(models.QuerySet):
    def site(self):
        """The site's own quizzes, written by editors: the only ones modules may hold."""
        return self.filter(owner__isnull=True)


class Quiz(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A quiz on the sources, taken at /quizzes/<slug>/ and embedded in modules.

    A site quiz (no owner) is written by editors. A teacher's quiz belongs to them: private, or shared with
    other teachers for their plans; students reach it only through a plan's class code (see `reachable_with`).
    """

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, max_length=80, help_text="Its address: /quizzes/<slug>/.")
    intro = MarkdownxField(blank=True, help_text="One or two sentences before the questions (Markdown).")
    updated_at = models.DateTimeField(auto_now=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,  # never left without an owner: that would make it a site quiz
        related_name="quizzes",
        help_text="The teacher who wrote it; none for the site's quizzes.",
    )
    shared = models.BooleanField(
        default=False,
        help_text="Let other teachers choose this quiz for their plans. "
        "Students still reach it only through a plan's class code.",
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="quiz")

    base_form_class = QuizAdminForm
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("intro"),
        OwnerFieldPanel("shared"),
        InlinePanel("questions", heading="Questions", label="Question"),
    ]
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("intro"),
        index.FilterField("live"),
        index.FilterField("owner"),
        index.FilterField("shared"),
    ]
    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quiz", args=[self.slug])

    @property
    def revisions(self):
        return self._revisions

    @property
    def intro_html(self):
        return render_markdown(self.intro)

    def usable_by(self, owner_id) -> bool:
        """Whether a plan of this owner may hold it: a site quiz, the owner's own, or one shared."""
        return self.owner_id is None or self.shared or self.owner_id == owner_id

    def reachable_with(self, code: str) -> bool:
        """A teacher's quiz, for students: whether this class code is a published plan that holds it."""
        plan = LessonPlanPage.live_for_code(code)
        return (
            plan is not None
            and self.usable_by(plan.owner_id)
            and any(quiz.pk == self.pk for quiz in plan.quizzes(live_only=True))
        )


class Question(ClusterableModel, Orderable):
    """One question of a quiz; what makes an answer right depends on its kind."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=12, choices=model_choices(), default="single")
    prompt = models.TextField(help_text="The question (Markdown). For find-the-evidence, state the claim.")
    points = models.PositiveSmallIntegerField(default=1)
    true_false_answer = models.BooleanField(
        "true or false: the statement is true", null=True, blank=True, help_text="For true-or-false questions."
    )
    accepted_answers = models.TextField(
        blank=True, help_text="Short answer: every accepted answer, one per line (case and punctuation are ignored)."
    )
    source_document = models.ForeignKey(
        "documents.SourceDocumentPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The document the question rests on.",
    )
    source_quote = models.TextField(
        blank=True, help_text="The passage it rests on, exactly as in the text: the result links to it."
    )
    excerpt_quote = models.TextField(
        blank=True, help_text="Find the evidence: the excerpt shown (a few sentences of the source document)."
    )
    target_quote = models.TextField(
        blank=True, help_text="Find the evidence: the sentence in the excerpt that supports the claim."
    )
    explanation = MarkdownxField(help_text="Shown after submitting: why the answer is right, citing the paragraph.")

    panels = [
        FieldPanel("kind"),
        FieldPanel("prompt"),
        FieldPanel("points"),
        InlinePanel(
            "choices",
            heading="Choices (" + "; ".join(kind.choices_help for kind in all_kinds() if kind.uses_choices) + ")",
            label="Choice",
        ),
        FieldPanel("true_false_answer"),
        FieldPanel("accepted_answers"),
        MultiFieldPanel(
            [
                FieldPanel("source_document"),
                FieldPanel("source_quote"),
                FieldPanel("excerpt_quote"),
                FieldPanel("target_quote"),
            ],
            heading="Source",
        ),
        FieldPanel("explanation"),
    ]

    class Meta:
        ordering = ["sort_order"]  # ClusterableModel comes first, so Orderable's ordering is not inherited

    def __str__(self):
        return self.prompt[:80]

    def clean(self):
        super().clean()
        errors = KINDS[self.kind].model_errors(self) if self.kind in KINDS else {}
        if errors:
            raise ValidationError({field or NON_FIELD_ERRORS: message for field, message in errors.items()})


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    correct = models.BooleanField(default=False)

    panels = [FieldPanel("text"), FieldPanel("correct")]

    def __str__(self):
        return self.text


class QuizAttempt(models.Model):
    """One submission: the answers, the score, and a snapshot of exactly what was asked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token = models.UUIDField(unique=True, help_text="One per quiz form shown: a second submit finds the first attempt.")
    quiz = models.ForeignKey(Quiz, null=True, on_delete=models.SET_NULL, related_name="attempts")
    quiz_title = models.CharField(max_length=200)
    snapshot = models.JSONField(help_text="The questions as they were asked, with the answer key.")
    score = models.DecimalField(max_digits=7, decimal_places=2)
    max_score = models.DecimalField(max_digits=7, decimal_places=2)
    display_name = models.CharField(max_length=80, blank=True)
    class_code = models.CharField(max_length=12, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    hidden = models.BooleanField(
        default=False, help_text="Hidden by the teacher (a test or a prank): left out of the class's figures."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.quiz_title}: {self.score}/{self.max_score}"

    def get_absolute_url(self):
        slug = self.snapshot.get("quiz_slug") or (self.quiz.slug if self.quiz else "quiz")
        return reverse("quiz_result", args=[slug, self.pk])

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0


class QuestionResponse(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="responses")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, null=True, on_delete=models.SET_NULL, related_name="responses")
    answer = models.JSONField()
    points = models.DecimalField(max_digits=6, decimal_places=2)
    max_points = models.DecimalField(max_digits=6, decimal_places=2)
    correct = models.BooleanField()

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="one_response_per_question")]

    def __str__(self):
        return f"{self.attempt_id} #{self.position}: {self.points}/{self.max_points}"


class LessonPlanIndexPage(Page):
    """Teachers' lesson plans, at /plans/; only plans marked public are listed."""

    intro = MarkdownxField(blank=True)

    parent_page_types = ["arms_talks_site.HomePage"]
    subpage_types = ["lessons.LessonPlanPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["plans"] = LessonPlanPage.objects.child_of(self).live().filter(public=True).order_by("-date", "title")
        return context


CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed without doubt
CODE_LENGTH = 6


def new_class_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not LessonPlanPage.objects.filter(class_code=code).exists():
            return code


class OwnPlansOnly(PagePermissionTester):
    """Teachers may add plans but act only on their own: publish, unpublish, delete, copy, move, lock."""

    def restricted(self) -> bool:
        return not self.user.is_superuser and "change" not in self.permissions

    def owns(self) -> bool:
        return self.page.owner_id == self.user.pk

    def allowed(self, result: bool) -> bool:
        return result and (not self.restricted() or self.owns())

    def can_publish(self):
        return self.allowed(super().can_publish())

    def can_unpublish(self):
        return self.allowed(super().can_unpublish())

    def can_delete(self, ignore_bulk=False):
        return self.allowed(super().can_delete(ignore_bulk))

    def can_copy(self):
        return self.allowed(super().can_copy())

    def can_move(self):
        return self.allowed(super().can_move())

    def can_lock(self):
        return self.allowed(super().can_lock())


class LessonPlanForm(WagtailAdminPageForm):
    """A plan not yet published whose slug is the one made from its title gets the next free one (`-2`, `-3`).

    All teachers' plans share one parent, so an abandoned draft "Week 1" (anyone's) would otherwise block the
    next "Week 1" with an error on the Promote tab, which teachers never open. A slug the teacher typed (one
    that differs from the title's) and any published plan's keep Wagtail's "already in use" error.
    """

    def clean(self):
        slug, title = self.cleaned_data.get("slug"), self.cleaned_data.get("title")
        new_or_draft = self.instance.pk is None or not self.instance.live  # a new Page is live=True until saved
        allow_unicode = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
        if slug and title and new_or_draft and self.parent_page and slug == slugify(title, allow_unicode):
            base, suffix = slug, 1
            while not Page._slug_is_available(slug, self.parent_page, self.instance):
                suffix += 1
                slug = f"{base[: 254 - len(str(suffix))]}-{suffix}"
            self.cleaned_data["slug"] = slug
        return super().clean()


class LessonPlanPage(RoutablePageMixin, Page):
    """A teacher's plan for one class: modules, excerpts, quizzes and timed steps, with a class code.

    Its other views are routes (teacher/, print/, results/, results.csv, export.gift, export.qti.zip), so
    they follow the plan's slug and its view restrictions. The views live in `lessons/plan_views.py`,
    which imports this module: each route imports its view when called. File-like routes end in `/?`
    only so that reversing them gives no trailing slash; Wagtail always routes with one.
    """

    class_level = models.CharField("class / level", max_length=120, help_text="e.g. 11B History, AP US History.")
    date = models.DateField(null=True, blank=True, help_text="When you teach it.")
    class_code = models.CharField(
        max_length=12, unique=True, blank=True, help_text="Made for you; students type it with their quiz."
    )
    public = models.BooleanField(default=False, help_text="List this plan (without your notes) for other teachers.")
    body = StreamField(PlanBodyBlock(), help_text="The lesson in order. Teacher notes stay private.")

    parent_page_types = ["lessons.LessonPlanIndexPage"]
    subpage_types: list[str] = []
    exclude_fields_in_copy = ["class_code"]
    base_form_class = LessonPlanForm
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("class_level"), FieldPanel("date")]),
        FieldPanel("class_code", read_only=True),
        FieldPanel("public"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("class_level"), index.FilterField("public")]

    def save(self, *args, **kwargs):
        if not self.class_code:
            self.class_code = new_class_code()
        return super().save(*args, **kwargs)

    def permissions_for_user(self, user):
        return OwnPlansOnly(user, self)

    def clean(self):
        super().clean()
        for block in self.body:
            quiz = block.value.get("quiz") if block.block_type == "quiz" else None
            if quiz is not None and not quiz.usable_by(self.owner_id):
                raise ValidationError("A plan may hold the site's quizzes, your own and those shared with you.")

    @staticmethod
    def item_minutes(block) -> int | None:
        """An item's minutes; a module without its own uses the module's duration."""
        minutes = block.value.get("minutes")
        if minutes is None and block.block_type == "module" and block.value.get("module"):
            return block.value["module"].specific.duration
        return minutes

    @property
    def total_minutes(self) -> int:
        return sum(self.item_minutes(block) or 0 for block in self.body)

    def quizzes(self, live_only=False) -> list:
        """Every quiz the plan reaches: its own quiz items and those inside its modules, once each.

        `live_only` leaves out unpublished quizzes and whatever is in an unpublished module: what students
        may be shown (results and exports for the teacher keep them)."""
        found = {}
        for block in self.body:
            if block.block_type == "quiz" and block.value.get("quiz"):
                found.setdefault(block.value["quiz"].pk, block.value["quiz"])
            elif block.block_type == "module" and block.value.get("module"):
                if live_only and not block.value["module"].live:
                    continue
                for inner in block.value["module"].specific.body:
                    if inner.block_type == "quiz" and inner.value.get("quiz"):
                        found.setdefault(inner.value["quiz"].pk, inner.value["quiz"])
        # another teacher's private quiz (a forged choice, or one no longer shared) is not the plan's to give
        return [quiz for quiz in found.values() if (quiz.live or not live_only) and quiz.usable_by(self.owner_id)]

    @classmethod
    def live_for_code(cls, code: str):
        """The published plan that uses this class code, or None."""
        return cls.objects.live().filter(class_code=code).first() if code else None

    def is_owned_by(self, user) -> bool:
        return user.is_authenticated and (user.is_superuser or self.owner_id == user.pk)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["is_owner"] = self.is_owned_by(request.user)  # a signed-in answer: never stored (Cache-Control)
        return context

    @path("teacher/", name="teacher")
    def teacher_route(self, request):
        from lessons.plan_views import teacher_view  # plan_views import this module (cycle)

        return teacher_view(request, self)

    @path("print/", name="print")
    def print_route(self, request):
        from lessons.plan_views import print_view  # plan_views import this module (cycle)

        return print_view(request, self)

    @path("results/", name="results")
    def results_route(self, request):
        from lessons.plan_views import results_view  # plan_views import this module (cycle)

        return results_view(request, self)

    @path("results/hide/", name="hide_attempt")
    def hide_attempt_route(self, request):
        from lessons.plan_views import hide_attempt  # plan_views import this module (cycle)

        return hide_attempt(request, self)

    @re_path(r"^results\.csv/?$", name="results_csv")
    def results_csv_route(self, request):
        from lessons.plan_views import results_csv_view  # plan_views import this module (cycle)

        return results_csv_view(request, self)

    @re_path(r"^export\.gift/?$", name="export_gift")
    def export_gift_route(self, request):
        from lessons.plan_views import plan_export  # plan_views import this module (cycle)

        return plan_export(request, self, "gift")

    @re_path(r"^export\.qti\.zip/?$", name="export_qti")
    def export_qti_route(self, request):
        from lessons.plan_views import plan_export  # plan_views import this module (cycle)

        return plan_export(request, self, "qti")
