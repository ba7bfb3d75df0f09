"""Site search at /search/: documents (down to the paragraph), published notes, glossary, people, lessons.

PostgreSQL full-text search through Wagtail's configured backend (`WAGTAILSEARCH_BACKENDS`, the database
backend), one ranked query per type, merged by score. What the reader typed is reduced to its words before it
reaches the backend, so quotes, operators and symbols never become query syntax. Which words of a text match
(for the paragraph links and the highlighted excerpts) is decided with the same stemming as the index: the
words are stemmed by PostgreSQL, in one query for the whole page of results.

Queries per request do not depend on the number of results: one per type (and as many again when no result
has all the words and the search is repeated with any of them), two for stemming, and the paragraphs of the
documents come from the cache (filled from `rendered_document` the first time a transcription is seen).
"""

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.shortcuts import render
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django_ratelimit.decorators import ratelimit
from wagtail.search.backends import get_search_backend

from core.markdown import render_markdown
from core.throttling import setting_rate
from documents.models import Annotation, GlossaryTerm, Person, SourceDocumentPage
from documents.rendering import CACHE_SECONDS, PIPELINE_VERSION, rendered_document
from lessons.models import LessonModulePage, LessonPlanPage

MAX_QUERY_LENGTH = 200
MAX_PER_TYPE = 100  # ranked results kept per type; the count says "100+" beyond
PER_PAGE = 20
PASSAGES_PER_DOCUMENT = 3
EXCERPT_LENGTH = 220
EXACT_MATCH_BONUS = 1.0  # a title, name or expansion equal to the query comes before passing mentions

WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ResultType:
    key: str
    label: str  # in the filter links
    singular: str  # on each result


TYPES = [
    ResultType("documents", "Documents", "Document"),
    ResultType("annotations", "Notes", "Note on the text"),
    ResultType("glossary", "Glossary", "Glossary"),
    ResultType("people", "People", "Person"),
    ResultType("lessons", "Lesson modules", "Lesson module"),
    ResultType("plans", "Lesson plans", "Lesson plan"),
]
TYPE_ORDER = {t.key: n for n, t in enumerate(TYPES)}


@dataclass
class Passage:
    """A paragraph (or note, heading…) of a document that contains the words."""

    label: str
    url: str
    excerpt: SafeString

    @property
    def spoken(self) -> str:
        """The label as a screen reader should say it ("¶ 12" is "Paragraph 12")."""
        return self.label.replace("¶", "Paragraph", 1).capitalize()


@dataclass
class Result:
    kind: ResultType
    obj: object
    score: float
    url: str
    title: str
    meta: str = ""  # one line under the title (highlighted too)
    text_of: Callable[[], str] | None = None  # the plain text of the excerpt, made only for results shown
    names: tuple[str, ...] = ()  # equal to the query: the exact-match bonus
    title_html: SafeString = SafeString("")
    meta_html: SafeString = SafeString("")
    text: str = ""
    excerpt: SafeString = SafeString("")
    passages: list[Passage] = field(default_factory=list)


# ---------------------------------------------------------------- the query


def clean_query(raw: str) -> tuple[str, bool]:
    """The query as searched: no control characters, single spaces, at most 200 characters (and whether
    it was cut)."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in raw[: MAX_QUERY_LENGTH * 10])
    text = SPACES.sub(" ", text).strip()
    if len(text) <= MAX_QUERY_LENGTH:
        return text, len(raw) > MAX_QUERY_LENGTH * 10
    return text[:MAX_QUERY_LENGTH].rstrip(), True


def normalised(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


def lexemes(words) -> dict[str, frozenset[str]]:
    """Each word (lower case) with the lexemes PostgreSQL indexes it as; stop words have none. One query."""
    words = sorted({w.lower() for w in words})
    if not words:
        return {}
    config = getattr(get_search_backend(), "config", None)
    vector = "to_tsvector(%s::regconfig, w)" if config else "to_tsvector(w)"
    params = [config, words] if config else [words]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT w, tsvector_to_array({vector}) FROM unnest(%s::text[]) AS w", params)  # noqa: S608
        return {word: frozenset(found or ()) for word, found in cursor.fetchall()}


class Matcher:
    """Which words of a text count as the query's words: same lexeme, as in the index."""

    def __init__(self, query_words: list[str], known: dict[str, frozenset[str]]):
        self.terms = [known.get(w.lower(), frozenset()) for w in query_words]
        self.terms = [t for t in self.terms if t]  # stop words are not searched for
        self.lexemes = frozenset().union(*self.terms)
        self.prefixes = {w.lower()[:2] for w in query_words}
        self.known = dict(known)

    def candidates(self, text: str) -> set[str]:
        """Words of `text` that could match: a stem keeps the first two letters of its word."""
        return {w.lower() for w in WORD.findall(text) if w.lower()[:2] in self.prefixes} - self.known.keys()

    def learn(self, known: dict[str, frozenset[str]]) -> None:
        self.known.update(known)

    def matches(self, word: str) -> bool:
        return bool(self.known.get(word.lower(), frozenset()) & self.lexemes)

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in WORD.finditer(text) if self.matches(m.group())]

    def coverage(self, text: str) -> int:
        """How many of the query's words occur in `text`."""
        found = set()
        for word in WORD.findall(text):
            found |= self.known.get(word.lower(), frozenset())
        return sum(1 for term in self.terms if term & found)


# ---------------------------------------------------------------- excerpts


def marked(text: str, spans, start: int = 0, end: int | None = None) -> SafeString:
    """text[start:end] escaped, with the spans in <mark>: nothing of the text is trusted."""
    end = len(text) if end is None else end
    parts, position = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(conditional_escape(text[position:span_start]))
        parts.append(format_html("<mark>{}</mark>", text[span_start:span_end]))
        position = span_end
    parts.append(conditional_escape(text[position:end]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def highlight(text: str, matcher: Matcher) -> SafeString:
    return marked(text, matcher.spans(text))


def excerpt(text: str, matcher: Matcher, length: int = EXCERPT_LENGTH) -> SafeString:
    """About `length` characters around the first match, cut between words, matches marked."""
    text = SPACES.sub(" ", text).strip()
    if not text:
        return SafeString("")
    spans = matcher.spans(text)
    start = 0
    if spans and spans[0][1] > length * 2 // 3:
        first = spans[0][0]
        start = max(0, first - length // 3)
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), max(start + length, spans[0][1] if spans else 0))
    if end < len(text):
        space = text.rfind(" ", max(start + length // 2, spans[0][1] if spans else 0), end)
        end = space if space != -1 else end
    before = "…" if start > 0 else ""
    after = "…" if end < len(text) else ""
    return format_html("{}{}{}", before, marked(text, spans, start, end), after)


def shortened(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def markdown_text(source: str) -> Callable[[], str]:
    return lambda: html.unescape(strip_tags(render_markdown(source)))


def module_text(module) -> Callable[[], str]:
    parts = [module.summary, module.essential_question, *module.objective_list]
    return lambda: " ".join([*parts, stream_text(module.body.raw_data)])


def stream_text(raw) -> str:
    """The prose of a StreamField's raw data (ids, slugs and numbers left out): no query."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("id", "type"):
                    walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, str) and " " in value.strip():
            found.append(value.strip())

    walk(raw)
    return " ".join(found)


# ---------------------------------------------------------------- searching each type


def ranked(queryset, query: str, operator: str) -> list:
    """One query: the best MAX_PER_TYPE + 1 objects, each with its `_score`."""
    if hasattr(queryset, "search"):
        results = queryset.search(query, operator=operator)
    else:  # snippets have no searchable manager: the same backend, called directly
        results = get_search_backend().search(query, queryset, operator=operator)
    return list(results.annotate_score("_score")[: MAX_PER_TYPE + 1])


def search_documents(query, operator, request, kind):
    pages = ranked(SourceDocumentPage.objects.live().public(), query, operator)
    return [
        Result(
            kind,
            page,
            page._score,
            page.get_url(request),
            page.title,
            meta=f"{page.short_citation} · {page.date_display}",
            text_of=markdown_text(page.summary),
        )
        for page in pages
    ]


def search_annotations(query, operator, request, kind):
    queryset = Annotation.objects.filter(live=True).select_related("document")
    found = ranked(queryset, query, operator)
    results = []
    for note in found:
        if note.anchor_status == "orphan" or not note.document.live:
            continue  # never shown to readers: nothing to link to
        quote = shortened(SPACES.sub(" ", note.quote_exact), 90)
        url = f"{note.document.get_url(request)}#annotation-{note.pk}"
        results.append(
            Result(
                kind,
                note,
                note._score,
                url,
                f"“{quote}”",
                meta=note.get_kind_display(),
                text_of=markdown_text(note.body),
            )
        )
    return results


def search_glossary(query, operator, request, kind):
    return [
        Result(
            kind,
            term,
            term._score,
            term.get_absolute_url(),
            term.term,
            meta=term.expansion or term.get_category_display(),
            text_of=markdown_text(term.definition),
            names=(term.term, term.expansion, *term.aliases),
        )
        for term in ranked(GlossaryTerm.objects.all(), query, operator)
    ]


def search_people(query, operator, request, kind):
    return [
        Result(
            kind,
            person,
            person._score,
            person.get_absolute_url(),
            person.name,
            meta=person.role,
            text_of=markdown_text(person.biography),
            names=(person.name, *person.aliases),
        )
        for person in ranked(Person.objects.all(), query, operator)
    ]


def search_lessons(query, operator, request, kind):
    results = []
    for module in ranked(LessonModulePage.objects.live().public(), query, operator):
        meta = f"{module.get_level_display()} · {module.duration} minutes"
        results.append(
            Result(
                kind,
                module,
                module._score,
                module.get_url(request),
                module.title,
                meta=meta,
                text_of=module_text(module),
                names=(module.title,),
            )
        )
    return results


def search_plans(query, operator, request, kind):
    plans = ranked(LessonPlanPage.objects.live().public().filter(public=True), query, operator)
    # Only the title and the class are shown: a plan's body holds the teacher's private notes.
    return [
        Result(kind, plan, plan._score, plan.get_url(request), plan.title, meta=plan.class_level, names=(plan.title,))
        for plan in plans
    ]


SEARCHES = {
    "documents": search_documents,
    "annotations": search_annotations,
    "glossary": search_glossary,
    "people": search_people,
    "lessons": search_lessons,
    "plans": search_plans,
}


def search_all(query: str, operator: str, request, types) -> dict[str, list[Result]]:
    exact = normalised(query)
    found = {}
    for kind in types:
        results = SEARCHES[kind.key](query, operator, request, kind)
        for result in results:
            if any(normalised(name) == exact for name in result.names if name):
                result.score += EXACT_MATCH_BONUS
        found[kind.key] = results
    return found


# ---------------------------------------------------------------- paragraphs of documents


def document_paragraphs(pages) -> dict[int, tuple[str, list]]:
    """Canonical text and located blocks of each document, from the cache: no query once seen.

    Filled from `rendered_document` (itself cached); text and blocks depend only on the transcription,
    so the key is its hash and any published correction is a new key.
    """
    pages = list({page.pk: page for page in pages}.values())
    keys = {}
    for page in pages:
        digest = hashlib.sha256(page.transcription.encode()).hexdigest()[:32]
        keys[page.pk] = f"search-paragraphs:{PIPELINE_VERSION}:{page.pk}:{digest}"
    found = cache.get_many(list(keys.values()))
    paragraphs, missing = {}, {}
    for page in pages:
        value = found.get(keys[page.pk])
        if value is None:
            rendered = rendered_document(page)
            value = missing[keys[page.pk]] = (rendered.text, list(rendered.blocks))
        paragraphs[page.pk] = value
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return paragraphs


def passages(result: Result, text: str, blocks, matcher: Matcher) -> list[Passage]:
    """Up to three places in the document with the most of the query's words, in reading order."""
    scored, seen = [], set()
    for block in blocks:
        anchor = block.location.anchor
        if anchor in seen:
            continue  # several blocks of one note or of the signatures: one link
        covered = matcher.coverage(text[block.start : block.end])
        if covered:
            seen.add(anchor)
            scored.append((-covered, block.start, block))
    best = sorted(sorted(scored)[:PASSAGES_PER_DOCUMENT], key=lambda item: item[1])
    return [
        Passage(
            block.location.label,
            f"{result.url}#{block.location.anchor}",
            excerpt(text[block.start : block.end], matcher),
        )
        for _, _, block in best
    ]


def block_label(position: int, blocks) -> str:
    label = ""
    for block in blocks:
        if block.start > position:
            break
        label = block.location.label
    return label


def finish(results: list[Result], matcher: Matcher) -> None:
    """Highlight the results shown: titles, lines, excerpts and the paragraphs of documents."""
    documents = [r.obj for r in results if r.kind.key == "documents"]
    documents += [r.obj.document for r in results if r.kind.key == "annotations"]
    paragraphs = document_paragraphs(documents)
    for result in results:
        result.text = result.text_of() if result.text_of else ""
    texts = [text for text, _ in paragraphs.values()]
    texts += [part for r in results for part in (r.title, r.meta, r.text)]
    matcher.learn(lexemes(set().union(*(matcher.candidates(t) for t in texts))))
    for result in results:
        result.title_html = highlight(result.title, matcher)
        result.meta_html = highlight(result.meta, matcher)
        if result.kind.key == "documents":
            text, blocks = paragraphs[result.obj.pk]
            result.passages = passages(result, text, blocks, matcher)
        if result.kind.key == "annotations":
            _, blocks = paragraphs[result.obj.document_id]
            where = block_label(result.obj.position_start, blocks)
            document = result.obj.document
            result.meta = f"{result.meta} · {document.short_citation}{', ' + where if where else ''}"
            result.meta_html = highlight(result.meta, matcher)
        if not result.passages and result.text:
            result.excerpt = excerpt(result.text, matcher)


# ---------------------------------------------------------------- the view


def page_link(query: str, kind: str, page: int | None = None) -> str:
    params = {"q": query}
    if kind:
        params["type"] = kind
    if page and page > 1:
        params["page"] = page
    return "?" + urlencode(params)


def capped(count: int) -> str:
    """A count of ranked results: "100+" when there were more than were kept."""
    return f"{MAX_PER_TYPE}+" if count > MAX_PER_TYPE else str(count)


def results_phrase(count: str) -> str:
    return f"{count} result" if count == "1" else f"{count} results"


def answer(request, context, status: str):
    context["status"] = status
    return render(request, "search/search.html", context)


@ratelimit(key="ip", rate=setting_rate("THROTTLE_SEARCHES"), block=True)
def search(request):
    query, truncated = clean_query(request.GET.get("q", ""))
    types = TYPES
    asked = request.GET.get("type", "")
    chosen = next((t for t in types if t.key == asked), None)
    notices = []
    context = {"query": query, "chosen": chosen, "notices": notices, "results": None}
    if truncated:
        notices.append(
            f"Your search was longer than {MAX_QUERY_LENGTH} characters: only its first "
            f"{MAX_QUERY_LENGTH} characters were searched for."
        )
    if asked and chosen is None:
        notices.append("There is no such kind of result to filter by, so all kinds are shown.")

    words = WORD.findall(query)
    if not query:
        return answer(
            request, context, "Type a word or two to search the documents, notes, glossary, people and lessons."
        )
    if not words:
        return answer(
            request,
            context,
            f"“{query}” has no letters or numbers to look for. Try a word, a name "
            "or an abbreviation, such as Helsinki, Gelb or SCC.",
        )
    matcher = Matcher(words, lexemes(words))
    if not matcher.terms:
        return answer(
            request,
            context,
            f"“{query}” is made only of very common words, which are not searched "
            "for. Try a more specific word, such as a name, a place or an abbreviation.",
        )

    search_string = " ".join(words)
    found = search_all(search_string, "and", request, types)
    if len(matcher.terms) > 1 and not any(found.values()):
        found = search_all(search_string, "or", request, types)
        if any(found.values()):
            notices.append("No result has all of these words, so results with any of them are shown.")

    kept = {key: results[:MAX_PER_TYPE] for key, results in found.items()}
    total = sum(len(results) for results in kept.values())
    total_text = f"{total}+" if any(len(results) > MAX_PER_TYPE for results in found.values()) else str(total)
    context["filters"] = [{"label": "All", "count": total_text, "url": page_link(query, ""), "current": not chosen}]
    context["filters"] += [
        {"label": t.label, "count": capped(len(found[t.key])), "url": page_link(query, t.key), "current": chosen == t}
        for t in types
    ]
    if not total:
        return answer(request, context, f"No results for “{query}”. Check the spelling, or try another word or a name.")

    shown = [result for t in types if chosen in (None, t) for result in kept[t.key]]
    shown.sort(key=lambda r: (-r.score, TYPE_ORDER[r.kind.key], r.title.casefold()))
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    finish(list(page.object_list), matcher)
    context.update(page=page, results=page.object_list)
    if chosen is None:
        status = f"{results_phrase(total_text)} for “{query}”."
    else:
        count = capped(len(found[chosen.key]))
        status = f"{results_phrase(count)} in {chosen.label.lower()} for “{query}” ({total_text} in all)."
    if page.has_other_pages():
        status += f" Page {page.number} of {page.paginator.num_pages}."
        kind = chosen.key if chosen else ""
        context["previous_url"] = page_link(query, kind, page.number - 1)
        context["next_url"] = page_link(query, kind, page.number + 1)
    return answer(request, context, status)
