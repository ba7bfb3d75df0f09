"""Site search at /search/: merges what each app offers (documents down to the paragraph, published notes,
glossary, people, lessons) through the adapters listed in `settings.SEARCH_ADAPTERS` (see `core.search_adapters`).

Each adapter says what this reader may find and how a hit reads; this module knows no model. It searches
through Wagtail's configured backend (`WAGTAILSEARCH_BACKENDS`, PostgreSQL full text), one ranked query per
type, merged by score. What the reader typed is reduced to its words before it reaches the backend, so quotes,
operators and symbols never become query syntax. Which words of a text match (for the paragraph links and the
highlighted excerpts) is decided with the same stemming as the index: the words are stemmed by PostgreSQL, in
one query for the whole page of results.

Queries per request do not depend on the number of results: one per type (and as many again when no result
has all the words and the search is repeated with any of them), one for the view restrictions, two for
stemming, and what the adapters need to describe the results shown (a constant number each).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import connection
from django.shortcuts import render
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_ratelimit.decorators import ratelimit
from wagtail.search.backends import get_search_backend

from core.search_adapters import Hit, Paragraph, SearchAdapter
from core.throttling import setting_rate
from search.registry import adapters

MAX_QUERY_LENGTH = 200
MAX_PER_TYPE = 100  # ranked results kept per type; the count says "100+" beyond
PER_PAGE = 20
PASSAGES_PER_DOCUMENT = 3
EXCERPT_LENGTH = 220
EXACT_MATCH_BONUS = 1.0  # a title, name or expansion equal to the query comes before passing mentions

WORD = re.compile(r"\w+")
SPACES = re.compile(r"\s+")


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
    """A hit as the search page shows it: ranked, highlighted."""

    adapter: SearchAdapter
    hit: Hit
    score: float
    title_html: SafeString = SafeString("")
    meta_html: SafeString = SafeString("")
    excerpt: SafeString = SafeString("")
    passages: list[Passage] = field(default_factory=list)

    @property
    def kind(self):
        return self.adapter.kind

    @property
    def url(self) -> str:
        return self.hit.url

    @property
    def title(self) -> str:
        return self.hit.title


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


# ---------------------------------------------------------------- searching each type


def ranked(queryset, query: str, operator: str) -> list:
    """One query: the best MAX_PER_TYPE + 1 objects, each with its `_score`."""
    if hasattr(queryset, "search"):
        results = queryset.search(query, operator=operator)
    else:  # snippets have no searchable manager: the same backend, called directly
        results = get_search_backend().search(query, queryset, operator=operator)
    return list(results.annotate_score("_score")[: MAX_PER_TYPE + 1])


def search_all(query: str, operator: str, request, chosen_adapters) -> dict[str, list[Result]]:
    """Every adapter's ranked hits, an exact title, name or expansion counting as a better match."""
    exact = normalised(query)
    found = {}
    for adapter in chosen_adapters:
        results = []
        for obj in ranked(adapter.queryset(request), query, operator):
            hit = adapter.hit(obj, request)
            bonus = EXACT_MATCH_BONUS if any(normalised(name) == exact for name in hit.names if name) else 0
            results.append(Result(adapter, hit, obj._score + bonus))
        found[adapter.kind.key] = results
    return found


# ---------------------------------------------------------------- highlighting the results shown


def passages(result: Result, matcher: Matcher) -> list[Passage]:
    """Up to three paragraphs of the text with the most of the query's words, in reading order."""
    text = result.hit.source_text
    scored, seen = [], set()
    for paragraph in result.hit.paragraphs:
        if paragraph.anchor in seen:
            continue  # several blocks of one note or of the signatures: one link
        covered = matcher.coverage(text[paragraph.start : paragraph.end])
        if covered:
            seen.add(paragraph.anchor)
            scored.append((-covered, paragraph.start, paragraph))
    most = sorted(scored, key=lambda item: item[:2])[:PASSAGES_PER_DOCUMENT]
    best: list[Paragraph] = [p for _, _, p in sorted(most, key=lambda item: item[1])]
    return [Passage(p.label, f"{result.url}#{p.anchor}", excerpt(text[p.start : p.end], matcher)) for p in best]


def finish(results: list[Result], matcher: Matcher) -> None:
    """Let each app describe its hits shown, then highlight titles, lines, excerpts and paragraphs."""
    by_adapter = {}
    for result in results:
        by_adapter.setdefault(result.kind.key, (result.adapter, []))[1].append(result.hit)
    for adapter, hits in by_adapter.values():
        adapter.describe(hits)
    texts = {r.hit.source_text for r in results if r.hit.source_text}
    texts |= {part for r in results for part in (r.hit.title, r.hit.meta, r.hit.text)}
    matcher.learn(lexemes(set().union(*(matcher.candidates(t) for t in texts))))
    for result in results:
        result.title_html = highlight(result.hit.title, matcher)
        result.meta_html = highlight(result.hit.meta, matcher)
        if result.hit.paragraphs:
            result.passages = passages(result, matcher)
        if not result.passages and result.hit.text:
            result.excerpt = excerpt(result.hit.text, matcher)


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
    offered = adapters()
    types = [adapter.kind for adapter in offered]
    type_order = {t.key: n for n, t in enumerate(types)}
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
    found = search_all(search_string, "and", request, offered)
    if len(matcher.terms) > 1 and not any(found.values()):
        found = search_all(search_string, "or", request, offered)
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
    shown.sort(key=lambda r: (-r.score, type_order[r.kind.key], r.title.casefold()))
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
