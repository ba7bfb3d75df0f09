"""Source excerpts for lesson modules: the paragraphs holding a passage, cut from the rendered reading.

The reading is rendered (and cached) once per document; an excerpt takes the paragraphs that the
passage touches, with their glossary links and published notes, and points its local links
(notes, paragraphs, pages) back to the full document.
"""

from dataclasses import dataclass

from lxml import html as lxml_html

from documents.anchoring import find_passage
from documents.rendering import rendered_document

LOCAL_LINK_PREFIXES = ("#fn-", "#fnref-", "#p-", "#page-", "#signatures", "#section-", "#title")


@dataclass
class Excerpt:
    document: object
    found: bool
    html: str = ""
    first_anchor: str = ""
    label: str = ""
    popover_ids: tuple = ()

    @property
    def url(self) -> str:
        return f"{self.document.url}#{self.first_anchor}" if self.first_anchor else self.document.url


def build_excerpt(document, quote: str, rendered=None) -> Excerpt:
    rendered = rendered or rendered_document(document)
    span = find_passage(rendered.text, quote)
    if span is None:
        return Excerpt(document, found=False)
    anchors = [b.location for b in rendered.blocks if b.start < span[1] and span[0] < b.end]
    sources = (rendered.body_html, rendered.notes_html)
    trees = [lxml_html.fragment_fromstring(html, create_parent="div") for html in sources if html]
    parts, popovers = [], set()
    for location in dict.fromkeys(anchors):
        element = next((e for t in trees if (e := t.get_element_by_id(location.anchor, None)) is not None), None)
        if element is None:
            continue
        parent = element.getparent()
        piece = parent if parent is not None and "annotated" in (parent.get("class") or "").split() else element
        if piece.tag == "li" and location.anchor.startswith("fn-"):  # a FRUS note, out of its list
            note = lxml_html.fragment_fromstring(
                f'<div class="excerpt-footnote"><p class="note-label">Note {location.anchor[3:]}</p></div>'
            )
            note.extend(list(piece))
            piece = note
        for link in piece.iter("a"):
            href = link.get("href") or ""
            if href.startswith(LOCAL_LINK_PREFIXES):
                link.set("href", document.url + href)
            if link.get("data-popover"):
                popovers.add(link.get("data-popover"))
        parts.append(lxml_html.tostring(piece, encoding="unicode"))
    if not parts:
        return Excerpt(document, found=False)
    labels = [a.label for a in anchors if a.label.startswith("¶")]
    if not labels:  # a note, the dateline, a heading…
        label = anchors[0].label
    elif len(labels) == 1:
        label = labels[0]
    else:
        label = f"{labels[0]}–{labels[-1].removeprefix('¶ ')}"
    return Excerpt(document, True, "".join(parts), anchors[0].anchor, label, tuple(sorted(popovers)))


def excerpts_for(body) -> tuple[dict, str]:
    """Every excerpt block of a module, keyed by block id, and the popovers they need (once each)."""
    excerpts, popover_html, readings = {}, {}, {}
    for block in body:
        if block.block_type != "excerpt" or block.value["document"] is None:
            continue
        document = block.value["document"].specific
        if document.pk not in readings:  # each document rendered (and its cache checked) once per module
            readings[document.pk] = rendered_document(document)
        excerpt = build_excerpt(document, block.value["quote"], readings[document.pk])
        excerpts[block.id] = excerpt
        if excerpt.popover_ids:
            wanted = set(excerpt.popover_ids) - set(popover_html)
            if wanted:
                tree = lxml_html.fragment_fromstring(readings[document.pk].popovers_html, create_parent="div")
                for popover in tree:
                    if popover.get("id") in wanted:
                        popover_html[popover.get("id")] = lxml_html.tostring(popover, encoding="unicode")
    return excerpts, "".join(popover_html.values())
