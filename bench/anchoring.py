"""Anchoring figures (issue 11): 10,000 seeded corrections of the real texts, and resolution times.

Part of `make bench`; also runs on its own (no database): `.venv/bin/python bench/anchoring.py`.
What "misplaced", "orphaned" and "small change" mean is defined in tests/documents/test_anchoring.py.
"""

import collections
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.edits import KINDS, random_edit, random_passage, shipped_passages, texts  # noqa: E402
from documents.anchoring import make_selector, resolve_anchor  # noqa: E402
from tests.documents.test_anchoring import misplaced, orphaned, small_change, words_in_random_order  # noqa: E402

EDITS = 10_000
SEED = 11


def median_ms(function, repeat=7):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def corrections():
    documents = texts()
    shipped = shipped_passages(documents)
    rng = random.Random(SEED)
    counts = collections.defaultdict(collections.Counter)
    done = 0
    started = time.perf_counter()
    while done < EDITS:
        kind = KINDS[done % len(KINDS)]
        passage = rng.choice(shipped) if rng.random() < 0.3 else random_passage(rng, documents)
        edit = random_edit(rng, documents, passage, kind)
        if edit is None:
            continue
        done += 1
        selector = make_selector(documents[passage.slug], passage.start, passage.end)
        resolution = resolve_anchor(edit.text, selector)
        count = counts[kind]
        count["edits"] += 1
        count["misplaced"] += misplaced(resolution, edit)
        count["orphaned"] += orphaned(resolution, edit)
        count["exact"] += resolution.placed and (resolution.start, resolution.end) == edit.passage
        count["deleted, not placed"] += edit.passage is None and not resolution.placed
        if small_change(edit):
            count["small"] += 1
            count["small, orphaned"] += orphaned(resolution, edit)
    seconds = time.perf_counter() - started
    print(
        f"Anchoring: {EDITS:,} corrections of the two texts (seed {SEED}), 30 % on shipped notes, in {seconds:.1f} s:"
    )
    columns = ("edits", "exact", "orphaned", "misplaced", "deleted, not placed", "small", "small, orphaned")
    print(f"  {'kind':<27}" + "".join(f"{c:>10}" if len(c) < 10 else f"{c:>21}" for c in columns))
    total = collections.Counter()
    for kind in KINDS:
        total.update(counts[kind])
        print(
            f"  {kind:<27}"
            + "".join(f"{counts[kind][c]:>10}" if len(c) < 10 else f"{counts[kind][c]:>21}" for c in columns)
        )
    print(f"  {'all':<27}" + "".join(f"{total[c]:>10}" if len(c) < 10 else f"{total[c]:>21}" for c in columns))
    print(
        f"  misplaced: {total['misplaced']} of {EDITS:,}; orphaned among small changes (≤ 15 % of the passage): "
        f"{total['small, orphaned']} of {total['small']:,} = {100 * total['small, orphaned'] / total['small']:.2f} %"
    )
    print("  (exact: placed on exactly the passage's new extent; edits that change a short quote by more than")
    print("   15 % orphan it by design, counted under 'orphaned' but not under 'small')")


def timings():
    documents = texts()
    long_text = words_in_random_order(documents["frus1977-80v26-d293"], 500_000)
    start = long_text.index(" ", len(long_text) // 2) + 1
    end = long_text.index(" ", start + 2000)
    selector = make_selector(long_text, start, end)
    insert_at = long_text.index(" ", start + 1000)
    edited = long_text[:insert_at] + " formally" + long_text[insert_at:]
    deleted = long_text[: start - 100] + long_text[end + 100 :]
    assert resolve_anchor(edited, selector).end == end + len(" formally")
    assert not resolve_anchor(deleted, selector).placed
    print("Anchoring times (median of 7):")
    row = "  {:<78} {:>8.1f} ms"
    print(
        row.format(
            "2,000-character quote, one word inserted, 500,000-character text",
            median_ms(lambda: resolve_anchor(edited, selector)),
        )
    )
    print(
        row.format(
            "the same quote deleted with its context: orphaned after searching the whole text",
            median_ms(lambda: resolve_anchor(deleted, selector)),
        )
    )
    shipped = [
        (documents[p.slug], make_selector(documents[p.slug], p.start, p.end)) for p in shipped_passages(documents)
    ]

    def resolve_all():
        for text, selector in shipped:
            resolve_anchor(text, selector)

    print(row.format(f"all {len(shipped)} shipped notes on their unchanged texts, in total", median_ms(resolve_all)))


def anchoring():
    corrections()
    timings()


if __name__ == "__main__":
    anchoring()
