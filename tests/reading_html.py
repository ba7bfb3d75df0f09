"""The reading as a reader gets it: rendered through the reading's templates."""

from django.template.loader import render_to_string


def reading_html(reading) -> str:
    """Title, text (with the editors' notes) and FRUS notes, as on the page."""
    return "".join(
        render_to_string(f"documents/reading/{name}.html", {"rendered": reading})
        for name in ("title", "body", "footnotes")
    )


def popovers_html(reading) -> str:
    return render_to_string("documents/reading/popovers.html", {"entries": reading.entries})
