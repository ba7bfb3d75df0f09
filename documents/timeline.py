"""The timeline of the talks as readers see it: live events in order, each with links to its documents,
the geometry of the SVG overview, and where a document falls among the events.

A source names a document by its number in the volume, so an event links to a document the day the site
gets it; until then (or when a view restriction hides it from this reader) it links to history.state.gov.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from documents.models import SourceDocumentPage, TimelineEvent

FRUS_DOCUMENT_URL = "https://history.state.gov/historicaldocuments/frus1977-80v26/d{number}"

# The overview's drawing box (SVG user units); the labels of years sit under the axis.
WIDTH, MARGIN, AXIS_Y = 1000, 40, 70
LANES = (AXIS_Y - 28, AXIS_Y + 28)  # markers closer than MIN_GAP alternate above and below the axis
MIN_GAP = 38
RECORDED_WITHIN = timedelta(days=31)


@dataclass(frozen=True)
class SourceLink:
    label: str
    href: str
    on_site: bool
    note: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float


@dataclass(frozen=True)
class EventView:
    number: int
    event: TimelineEvent
    sources: list[SourceLink]
    marker: Marker

    @property
    def anchor(self) -> str:
        return f"event-{self.event.slug}"


@dataclass(frozen=True)
class YearTick:
    year: int
    x: float


@dataclass(frozen=True)
class Timeline:
    events: list[EventView]
    years: list[YearTick]
    width: int = WIDTH
    axis_y: int = AXIS_Y

    @property
    def first_and_last(self) -> str:
        if not self.events:
            return ""
        return f"{self.events[0].event.date_display} to {self.events[-1].event.date_display}"


def live_events():
    return TimelineEvent.objects.filter(live=True).prefetch_related("sources")


def build_timeline(request) -> Timeline:
    """Every live event, its sources resolved for this reader: three queries, however many events."""
    events = list(live_events())
    readable = {document.document_number: document for document in SourceDocumentPage.readable_by(request)}
    if not events:
        return Timeline(events=[], years=[])
    first = date(events[0].start.year, events[0].start.month, 1)
    last_day = max(event.end or event.start for event in events)
    last = date(last_day.year + (last_day.month == 12), last_day.month % 12 + 1, 1)

    def x_of(day: date) -> float:
        return round(MARGIN + (WIDTH - 2 * MARGIN) * (day - first).days / max((last - first).days, 1), 1)

    views, previous_x, lane = [], None, 0
    for number, event in enumerate(events, start=1):
        middle = event.start + ((event.end or event.start) - event.start) / 2
        x = x_of(middle)
        lane = 1 - lane if previous_x is not None and x - previous_x < MIN_GAP else 0
        previous_x = x
        sources = [source_link(source, readable, request) for source in event.sources.all()]
        views.append(EventView(number, event, sources, Marker(x, LANES[lane])))
    years = [YearTick(first.year, x_of(first))]  # the axis starts with the first event's month
    years += [YearTick(year, x_of(date(year, 1, 1))) for year in range(first.year + 1, last.year + 1)]
    return Timeline(events=views, years=years)


def source_link(source, readable: dict, request) -> SourceLink:
    document = readable.get(source.document_number)
    paragraph = source.paragraph.removeprefix("p-")
    label = f"Doc. {source.document_number}" + (f", ¶ {paragraph}" if paragraph else "")
    if document is None:
        return SourceLink(label, FRUS_DOCUMENT_URL.format(number=source.document_number), False, source.note)
    href = document.get_url(request) + (f"#{source.paragraph}" if source.paragraph else "")
    return SourceLink(label, href, True, source.note)


@dataclass(frozen=True)
class Place:
    """Where a document falls: the events it records, and the events just before and after its date."""

    recorded: list[TimelineEvent]
    before: TimelineEvent | None
    after: TimelineEvent | None


def place_of(document: SourceDocumentPage) -> Place:
    """The events that cite the document and end at most a month before its date (a report follows its round),
    then the nearest events on either side of that date."""
    events = list(live_events())
    day = document.date_sort
    if day is None:
        return Place([], None, None)
    recorded = [
        event
        for event in events
        if event.start <= day <= (event.end or event.start) + RECORDED_WITHIN
        and any(source.document_number == document.document_number for source in event.sources.all())
    ]
    before = [event for event in events if (event.end or event.start) <= day and event not in recorded]
    after = [event for event in events if event.start > day and event not in recorded]
    return Place(recorded, before[-1] if before else None, after[0] if after else None)
