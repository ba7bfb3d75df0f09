"""Lighthouse accessibility scores of the public pages, mobile and desktop: `make lighthouse` while `make run` serves.

Prints each page's score and every failing audit, the zero-weight ones too (they still matter to someone).
Lighthouse comes from the npm registry through npx, pinned; it drives Debian's chromium.
"""

import json
import os
import subprocess
import sys
import tempfile

LIGHTHOUSE = "lighthouse@12.8.2"
PAGES = [
    "/",
    "/documents/frus1977-80v26-d285/",
    "/documents/frus1977-80v26-d293/",
    "/glossary/",
    "/people/",
    "/lessons/",
    "/timeline/",
]


def audit(url: str, preset: str, out: str) -> dict:
    command = ["npx", "--yes", LIGHTHOUSE, url, "--only-categories=accessibility", "--output=json"]
    command += [f"--output-path={out}", "--quiet", "--chrome-flags=--headless=new --no-sandbox"]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"})
    with open(out) as file:
        return json.load(file)


def main() -> int:
    site = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    worst = 100
    with tempfile.TemporaryDirectory() as tmp:
        for path in PAGES:
            for preset in ("mobile", "desktop"):
                report = audit(site + path, preset, os.path.join(tmp, "report.json"))
                score = round(report["categories"]["accessibility"]["score"] * 100)
                worst = min(worst, score)
                print(f"{score:4d}  {preset:7s}  {path}")
                for key, result in report["audits"].items():
                    if result.get("scoreDisplayMode") == "binary" and result.get("score") == 0:
                        print(f"        fails {key}: {result['title']}")
    print(f"lowest accessibility score: {worst}")
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    sys.exit(main())
