"""Source excerpts for lesson modules (the excerpts themselves are cut by `documents.excerpts`)."""

from documents.excerpts import build_excerpt
from documents.rendering import rendered_document


def excerpts_for(body) -> tuple[dict, list]:
    """Every excerpt block of a module, keyed by block id, and the popovers they need (once each)."""
    excerpts, entries, readings = {}, {}, {}
    for block in body:
        if block.block_type != "excerpt" or block.value["document"] is None:
            continue
        document = block.value["document"].specific
        if document.pk not in readings:  # each document rendered (and its cache checked) once per module
            readings[document.pk] = rendered_document(document)
        excerpt = build_excerpt(document, block.value["quote"], readings[document.pk])
        excerpts[block.id] = excerpt
        for entry in excerpt.entries:
            entries.setdefault(entry.popover_id, entry)
    return excerpts, list(entries.values())
