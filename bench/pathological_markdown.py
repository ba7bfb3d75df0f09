"""Figures: Markdown renderers on pathological inputs (what an attacker or a stray paste could send).

`core.markdown.render_markdown` (cmark, every editor field) and the transcription pipeline's Markdown stage
(`documents.pipeline.markdown_to_tree`, cmark-gfm with footnotes since it left Python-Markdown, which took
30 s over 20 KB of `[` and raised RecursionError on a 20 KB nested list) and whole pipeline
(`render_transcription`). Each input at 2, 20 and 200 KB; a renderer
that takes longer than the cut-off is stopped (in a child process) and reported as over it.
Run: `.venv/bin/python bench/pathological_markdown.py`. Prints a table; asserts nothing.
"""

import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arms_talks_site.settings.test")

import django  # noqa: E402

django.setup()

from core.markdown import render_markdown  # noqa: E402
from documents.pipeline import markdown_to_tree, render_transcription  # noqa: E402

CUT_OFF = 20.0  # seconds
SIZES = (2_000, 20_000, 200_000)


def fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


PATTERNS = {
    "[ run": lambda n: "[" * n,
    "[a]( nested links": lambda n: fill("[a](", n),
    "* emphasis run": lambda n: "*" * n,
    "*a_ mixed emphasis": lambda n: fill("*a_", n),
    "` backtick runs": lambda n: fill("`" * 7 + "a", n),
    "< run": lambda n: "<" * n,
    "<a  unclosed tags": lambda n: fill("<a ", n),
    "table rows": lambda n: "| a | b |\n|---|---|\n" + fill("| x | y |\n", n - 20),
    "> deep blockquote": lambda n: ">" * n + " a",
    "deep list": lambda n: "".join("  " * i + "- a\n" for i in range(min(n // 40, 2000))),
    "[^ footnote refs": lambda n: fill("[^1]", n),
    "long line": lambda n: fill("word ", n),
    "![ images": lambda n: fill("![", n),
}

RENDERERS = {
    "render_markdown": render_markdown,
    "pipeline markdown_to_tree": markdown_to_tree,
    "render_transcription": render_transcription,
}


def run(renderer: str, pattern: str, size: int, out) -> None:
    text = PATTERNS[pattern](size)
    start = time.perf_counter()
    try:
        RENDERERS[renderer](text)
    except RecursionError:  # Python-Markdown recursed once per nesting level
        out.put("RecursionError")
        return
    out.put(time.perf_counter() - start)


def measure(renderer: str, pattern: str, size: int) -> float | str | None:
    out = multiprocessing.Queue()
    child = multiprocessing.Process(target=run, args=(renderer, pattern, size, out))
    child.start()
    child.join(CUT_OFF)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return out.get()


def main():
    multiprocessing.set_start_method("fork")
    print(f"Markdown on pathological inputs (seconds; '>{CUT_OFF:.0f}' = stopped at the cut-off):")
    header = "".join(f"{size // 1000:>8} KB" for size in SIZES)
    for renderer in RENDERERS:
        print(f"  {renderer}\n  {'input':<24}{header}")
        for pattern in PATTERNS:
            cells = []
            for size in SIZES:
                seconds = measure(renderer, pattern, size)
                if seconds is None:
                    cells.append(f">{CUT_OFF:.0f}".rjust(11))
                elif isinstance(seconds, str):
                    cells.append(seconds[:10].rjust(11))
                else:
                    cells.append(f"{seconds:>11.3f}")
                if seconds is None:
                    cells += ["-".rjust(11)] * (len(SIZES) - len(cells))
                    break
            print(f"  {pattern:<24}{''.join(cells)}", flush=True)


if __name__ == "__main__":
    main()
