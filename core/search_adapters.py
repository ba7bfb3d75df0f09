"""What an app offers to site search: an adapter beside its models, listed in `settings.SEARCH_ADAPTERS`.

The adapter knows its models (what to search, what this reader may see, how a hit reads); the `search` app
knows none of them: it ranks, merges, paginates, filters by type and highlights. Plain data, no HTML: every
string here is text, escaped by the search page around its highlights.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ResultType:
    key: str  # in the URL: ?type=documents
    label: str  # in the filter links
    singular: str  # above each result


@dataclass(frozen=True)
class Paragraph:
    """Where a numbered paragraph (or heading, note…) of a text lies in it, and how a reader cites it."""

    anchor: str  # the fragment that links to it: "p-5"
    label: str  # "¶ 5"
    start: int
    end: int


@dataclass
class Hit:
    """One object found, as its app describes it to the search page."""

    obj: object
    title: str
    url: str
    meta: str = ""  # one line under the title
    names: tuple[str, ...] = ()  # a title, name or expansion equal to the query puts the hit first
    text: str = ""  # the plain text to excerpt; filled by `describe`, for the hits shown only
    source_text: str = ""  # a text whose paragraphs the hit links to (a document's canonical text)
    paragraphs: list[Paragraph] = field(default_factory=list)


class SearchAdapter:
    """One kind of result. Subclasses set `kind` and say what to search and how a hit reads."""

    kind: ResultType

    def queryset(self, request):
        """What to search: only what this request may read (published, not behind a restriction it fails)."""
        raise NotImplementedError

    def hit(self, obj, request) -> Hit:
        """Title, URL and the line under the title, for every object ranked: no query here."""
        raise NotImplementedError

    def describe(self, hits: list[Hit]) -> None:
        """Fill the text to excerpt (and the paragraphs) of the hits shown, in a constant number of queries."""
