"""Figures, not verdicts: render times, scaling, and requests per second under gunicorn.

Run with `make bench` (it loads the content first). Prints a table; asserts nothing.
"""

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arms_talks_site.settings.production")
os.environ.setdefault("SECRET_KEY", (ROOT / "var" / "secret_key").read_text().strip())
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL", "0")

import django  # noqa: E402

django.setup()

import cluster_bench  # noqa: E402  (bench/, beside this file)
import slow_clients  # noqa: E402  (bench/, beside this file)
import submissions  # noqa: E402  (bench/, beside this file)
from django.core.cache import cache  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from bench.anchoring import anchoring  # noqa: E402
from documents.anchoring import make_selector, resolve_anchor  # noqa: E402
from documents.models import SourceDocumentPage, linkables  # noqa: E402
from documents.pipeline import Linkable, Note, canonical_text, render_transcription  # noqa: E402
from documents.reading import Markup  # noqa: E402
from documents.rendering import notes_resolver  # noqa: E402


def timed(function, repeat=5):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def timed_both(function, repeat=15):
    """Median wall-clock and CPU time of this process (the second hardly moves when the machine is shared)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def row(label, value, unit="ms"):
    print(f"  {label:<58} {value:>10.1f} {unit}")


def render_times():
    print("Reading pages, full request in-process (median):")
    client = Client()
    for page in SourceDocumentPage.objects.live().order_by("document_number"):
        label = f"doc. {page.document_number}"
        with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=0):

            def cold(url=page.url):
                cache.clear()
                client.get(url)

            row(f"{label} cold (empty cache: pipeline runs)", timed(cold, 9))
            client.get(page.url)
            row(f"{label} rendered transcription cached, page rendered", timed(lambda u=page.url: client.get(u), 20))
        client.get(page.url)
        row(f"{label} whole page cached (anonymous reader)", timed(lambda u=page.url: client.get(u), 20))
    cold_breakdown(SourceDocumentPage.objects.get(document_number=293), client)


def cold_breakdown(page, client):
    """Where a cold render of the page goes: each step the page takes with the cache empty, timed alone.

    "Cold" empties Django's cache (the reading, its HTML fragments, the citations). What stays is what is
    stored in the database with the published revisions: each note's resolved position (`reanchor` on
    publish, so anchoring only checks it) and the MLA/APA citations (`StoredCitations`).
    """
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=0):

        def cold():
            cache.clear()
            client.get(page.url)

        client.get(page.url)
        total = timed_both(cold, 9)
        warm = timed_both(lambda: client.get(page.url), 20)
    text = canonical_text(page.transcription)
    annotations = page.published_annotations()
    items = page.linkables()
    notes = notes_resolver(annotations)(text)
    reading = render_transcription(page.transcription, items, lambda _text: notes)
    context = {"rendered": reading, "base": ""}
    fragments = [render_to_string(f"documents/reading/{name}.html", context) for name in ("title", "page_text")]
    steps = {
        "annotation fetch (notes with their terms, people, pairs)": lambda: page.published_annotations(),
        "linkables (every glossary term and person)": lambda: page.linkables(),
        "anchoring (each note checked at its stored position)": lambda: [
            resolve_anchor(text, a.selector) for a in annotations
        ],
        "notes (anchoring, bodies, see-also links)": lambda: notes_resolver(annotations)(text),
        "pipeline (Markdown, text, links, marks; notes given)": lambda: render_transcription(
            page.transcription, items, lambda _text: notes
        ),
        "template (title, text with notes, endnotes, popovers)": lambda: (
            [render_to_string(f"documents/reading/{name}.html", context) for name in ("title", "page_text")]
            + [render_to_string("documents/reading/popovers.html", {"entries": reading.entries})]
        ),
        "cache writes (the reading, its HTML fragments)": lambda: [
            cache.set(f"bench:{n}", value) for n, value in enumerate([reading, *fragments])
        ],
    }
    print(f"  where the cold render of doc. {page.document_number} went (each step alone, median; wall / CPU):")
    spent = [0.0, 0.0]
    for label, step in steps.items():
        took = timed_both(step)
        if not label.startswith("anchoring"):  # inside "notes"
            spent = [spent[0] + took[0], spent[1] + took[1]]
        pair(f"  {label}", took)
    pair(
        "  the rest: routing, page context, base template, queries",
        [max(0.0, t - s) for t, s in zip(total, spent, strict=True)],
    )
    pair("  cold render, all of it", total)
    pair("  warm render (reading and fragments cached)", warm)


def pair(label, values):
    print(f"  {label:<58} {values[0]:>7.1f} / {values[1]:>5.1f} ms")


def synthetic_document(source: str, copies: int) -> str:
    """`copies` copies of a transcription, footnotes renumbered so each copy keeps its own notes."""
    parts = []
    for n in range(copies):
        parts.append(re.sub(r"\[\^(\d+)\]", lambda m, n=n: f"[^{n}x{m.group(1)}]", source))
    return "\n\n".join(parts)


def synthetic_terms(text: str, count: int, real: list[Linkable]) -> list[Linkable]:
    words = sorted(set(re.findall(r"[A-Za-z]{6,}", text)))
    extra = [
        Linkable("term", f"synthetic-{i}", word, f"/glossary/synthetic-{i}/", (word,), Markup("<p>Synthetic.</p>"))
        for i, word in enumerate(words[: max(0, count - len(real))])
    ]
    return [*real, *extra]


def scaling():
    page = SourceDocumentPage.objects.get(document_number=293)
    real = linkables()
    print(f"Pipeline scaling (doc. 293, {len(page.transcription):,} characters of Markdown):")
    base = render_transcription(page.transcription, real)
    row(f"1x text, {len(real)} real terms and people", timed(lambda: render_transcription(page.transcription, real)))
    for copies in (10, 18):  # 18 copies (190k characters) is near the longest transcription the site renders
        source = synthetic_document(page.transcription, copies)
        terms = synthetic_terms(source, 300, real)
        result = render_transcription(source, terms)
        row(
            f"{copies}x text ({len(source) // 1000:,}k chars), {len(terms)} terms, {len(result.occurrences):,} links",
            timed(lambda s=source, t=terms: render_transcription(s, t), repeat=3),
        )
    print(f"  (1x has {len(base.occurrences)} occurrences)")


def annotation_scaling():
    """1,800 annotations over 18x the text against 500 over 5x: the ratio shows how cost grows (18 copies, 190k
    characters, is near the longest transcription the site renders: `core.markdown.MAX_MARKDOWN_CHARS`)."""
    page = SourceDocumentPage.objects.get(document_number=293)
    real = linkables()
    print("Annotations (marks, notes and anchoring; doc. 293 repeated):")
    timings = {}
    for copies, count in ((5, 500), (18, 1800)):
        source = synthetic_document(page.transcription, copies)
        text = canonical_text(source)
        spans = [m.span() for m in re.finditer(r"\w+(?: \w+){2,6}", text)]
        step = max(1, len(spans) // count)
        selectors = [make_selector(text, *spans[i * step]) for i in range(count)]

        def notes_for_text(t, selectors=selectors):
            notes = []
            for n, selector in enumerate(selectors):
                found = resolve_anchor(t, selector)
                notes.append(Note(n + 1, "context", found.start, found.end, Markup("<p>A note.</p>")))
            return notes

        result = render_transcription(source, real, notes_for_text)
        timings[copies] = timed(lambda s=source, f=notes_for_text: render_transcription(s, real, f), repeat=3)
        row(f"{copies}x text ({len(text) // 1000}k chars), {result.note_count:,} annotations", timings[copies])
    print(f"  3.6x the content took {timings[18] / timings[5]:.1f}x the time")


def wrk(url: str, seconds: int = 8, encoding: str = "") -> float:
    """Requests per second; `encoding` is the Accept-Encoding a browser would send ("br", "gzip")."""
    headers = ["-H", f"Accept-Encoding: {encoding}"] if encoding else []
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", *headers, url], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  !! {errors.group(1)} non-2xx responses for {url}")
    return float(match.group(1))


def throughput():
    port = os.environ.get("BENCH_PORT", "8765")
    workers = os.environ.get("WORKERS", "4")
    # The server as `make run` starts it: granian (slow clients cannot hold its workers).
    server = subprocess.Popen(slow_clients.server_command(port, workers, sync=False), cwd=ROOT, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                subprocess.run(["curl", "-sf", f"{base}/healthz"], check=True, capture_output=True)
                break
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        targets = {
            "bare Django view (/healthz, the floor)": "/healthz",
            "home page": "/",
            "reading page, doc. 293": "/documents/frus1977-80v26-d293/",
            "glossary term page (/glossary/ssod/)": "/glossary/ssod/",
            "glossary index": "/glossary/",
        }
        print(f"Requests per second under granian ({workers} workers, wrk -t2 -c16, 8 s each, same machine):")
        floor = None
        for label, path in targets.items():
            subprocess.run(["curl", "-sf", "-o", "/dev/null", base + path], check=True)  # warm the cache
            if floor is None:
                floor = wrk(base + path)
                print(f"  {label:<45} {floor:>9.0f} req/s")
                continue
            for encoding in ("br", "gzip"):  # as browsers ask: every one sends one of these
                rps = wrk(base + path, encoding=encoding)
                print(f"  {label + ', ' + encoding:<45} {rps:>9.0f} req/s   {rps / floor:>5.2f} of the floor")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    print(f"Arms Talks bench, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs")
    render_times()
    scaling()
    annotation_scaling()
    anchoring()
    throughput()
    submissions.run()
    cluster_bench.two_servers(wrk)
    slow_clients.run()
