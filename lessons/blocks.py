"""The blocks a lesson module is built from: one StructBlock per idea."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from core.markdown import markdown_plain_text
from lessons.choosers import LiveQuizChooserBlock


class SearchableAsRead:
    """A StructBlock's searchable content as a student reads it: its Markdown children as plain text.

    Wagtail indexes a StreamField through each block's `get_searchable_content`; a TextBlock holding Markdown
    would otherwise give asterisks and link syntax to the index and to search excerpts.
    """

    markdown_children: tuple[str, ...] = ()

    def get_searchable_content(self, value):
        content = []
        for name, block in self.child_blocks.items():
            found = block.get_searchable_content(value.get(name, block.get_default()))
            if name in self.markdown_children:
                found = [markdown_plain_text(text) for text in found]
            content.extend(text for text in found if text)
        return content


class TextSectionBlock(SearchableAsRead, blocks.StructBlock):
    """Teacher-written text: context, instructions, a bridge between sources."""

    heading = blocks.CharBlock(required=False, help_text="Optional heading.")
    body = blocks.TextBlock(help_text="Markdown.")
    markdown_children = ("body",)

    class Meta:
        icon = "doc-full"
        template = "lessons/blocks/text_section.html"
        description = "A heading and Markdown text."
        preview_value = {"heading": "Why restraint?", "body": "In 1977 the Carter administration…"}


class SourceExcerptBlock(SearchableAsRead, blocks.StructBlock):
    """A passage of a source document, shown with its glossary links and published annotations."""

    document = blocks.PageChooserBlock(page_type="documents.SourceDocumentPage")
    quote = blocks.TextBlock(help_text="The passage, exactly as in the text (a sentence to a few paragraphs).")
    intro = blocks.TextBlock(required=False, help_text="What to look for while reading (Markdown).")
    markdown_children = ("intro",)

    class Meta:
        icon = "openquote"
        template = "lessons/blocks/source_excerpt.html"
        description = "A passage of a source, with its notes and a link to the full reading."
        preview_value = {"quote": "The US and USSR have many parallel if not common interests"}


class DiscussionBlock(SearchableAsRead, blocks.StructBlock):
    heading = blocks.CharBlock(required=False, default="Discuss")
    questions = blocks.ListBlock(blocks.TextBlock(), help_text="Open questions; do not give the answers away.")
    markdown_children = ("questions",)

    class Meta:
        icon = "help"
        template = "lessons/blocks/discussion.html"
        description = "Discussion questions."
        preview_value = {"heading": "Discuss", "questions": ["What did the US want from the USSR?"]}


class GlossarySpotlightBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, default="Key terms")
    terms = blocks.ListBlock(SnippetChooserBlock("documents.GlossaryTerm"))

    def get_searchable_content(self, value):
        """The heading and each term with its expansion, as the spotlight names them (the definitions are
        the glossary's own search results)."""
        content = super().get_searchable_content(value)
        for term in value.get("terms") or []:
            if term:
                content.extend(text for text in (term.term, term.expansion) if text)
        return content

    class Meta:
        icon = "tag"
        template = "lessons/blocks/glossary_spotlight.html"
        description = "Glossary terms to know before reading."
        preview_value = {"heading": "Key terms", "terms": []}


class ActivityBlock(SearchableAsRead, blocks.StructBlock):
    title = blocks.CharBlock()
    instructions = blocks.TextBlock(help_text="Markdown.")
    grouping = blocks.ChoiceBlock(
        choices=[
            ("individual", "Individual"),
            ("pairs", "Pairs"),
            ("small-groups", "Small groups"),
            ("whole-class", "Whole class"),
        ],
        default="pairs",
    )
    minutes = blocks.IntegerBlock(min_value=1, max_value=180, default=15)
    markdown_children = ("instructions",)

    class Meta:
        icon = "group"
        template = "lessons/blocks/activity.html"
        description = "A classroom activity with grouping and time."
        preview_value = {"title": "Sort the interests", "instructions": "In pairs…", "grouping": "pairs", "minutes": 15}


class QuizBlock(blocks.StructBlock):
    quiz = SnippetChooserBlock("lessons.Quiz")
    note = blocks.CharBlock(required=False, help_text="A line before the quiz, e.g. 'Check your reading'.")

    def clean(self, value):
        value = super().clean(value)
        quiz = value.get("quiz")
        if quiz is not None and quiz.owner_id is not None:  # the chooser offers only the site's: a forged choice
            raise blocks.StructBlockValidationError(
                block_errors={"quiz": ValidationError("A lesson module may hold only the site's quizzes.")}
            )
        return value

    def get_searchable_content(self, value):
        """The quiz's title, as its heading shows it, and the note."""
        quiz = value.get("quiz")
        return [text for text in (quiz.title if quiz else "", value.get("note") or "") if text]

    class Meta:
        icon = "tick-inverse"
        template = "lessons/blocks/quiz.html"
        description = "An embedded quiz, scored when submitted."
        preview_value = {"note": "Check your reading"}


class ModuleBodyBlock(blocks.StreamBlock):
    text = TextSectionBlock()
    excerpt = SourceExcerptBlock()
    discussion = DiscussionBlock()
    glossary = GlossarySpotlightBlock()
    activity = ActivityBlock()
    quiz = QuizBlock()


class PlanItemBlock(blocks.StructBlock):
    """What every item of a lesson plan has: minutes and a note only the teacher sees."""

    minutes = blocks.IntegerBlock(required=False, min_value=0, max_value=240, help_text="Time in class.")
    teacher_note = blocks.TextBlock(required=False, help_text="Only you see this (not students, not the handout).")


def draft_error(field: str, what: str, item) -> blocks.StructBlockValidationError:
    message = f"“{item}” is a draft {what}: a plan may hold only published ones. Choose another, or publish it first."
    return blocks.StructBlockValidationError(block_errors={field: ValidationError(message)})


class PlanModuleBlock(PlanItemBlock):
    """A lesson module; only live ones (the chooser offers only those, see `lessons.wagtail_hooks`)."""

    module = blocks.PageChooserBlock(page_type="lessons.LessonModulePage")

    class Meta:
        icon = "doc-full-inverse"
        template = "lessons/plan_blocks/module.html"
        description = "A lesson module (leave minutes empty to use its own duration)."
        preview_value = {"minutes": 50}

    def clean(self, value):
        value = super().clean(value)
        module = value.get("module")
        if module is not None and not module.live:
            raise draft_error("module", "lesson module", module.title)
        return value


class PlanExcerptBlock(PlanItemBlock):
    document = blocks.PageChooserBlock(page_type="documents.SourceDocumentPage")
    quote = blocks.TextBlock(help_text="The passage, exactly as in the text.")

    class Meta:
        icon = "openquote"
        template = "lessons/plan_blocks/excerpt.html"
        description = "A passage of a source, with its notes."
        preview_value = {"minutes": 10}


class PlanQuizBlock(PlanItemBlock):
    """A quiz; only live ones (the chooser offers only those)."""

    quiz = LiveQuizChooserBlock()

    class Meta:
        icon = "tick-inverse"
        template = "lessons/plan_blocks/quiz.html"
        description = "A quiz; students reach it with the class code."
        preview_value = {"minutes": 10}

    def clean(self, value):
        value = super().clean(value)
        quiz = value.get("quiz")
        if quiz is not None and not quiz.live:
            raise draft_error("quiz", "quiz", quiz.title)
        return value


class AgendaItemBlock(PlanItemBlock):
    title = blocks.CharBlock()
    instructions = blocks.TextBlock(required=False, help_text="What students do (Markdown).")

    class Meta:
        icon = "time"
        template = "lessons/plan_blocks/agenda.html"
        description = "A timed step: warm-up, discussion, exit ticket…"
        preview_value = {"title": "Warm-up", "minutes": 5}


class PlanBodyBlock(blocks.StreamBlock):
    module = PlanModuleBlock()
    excerpt = PlanExcerptBlock()
    quiz = PlanQuizBlock()
    agenda = AgendaItemBlock()
