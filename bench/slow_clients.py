"""Figures: do readers still get pages while 30 clients hold half-sent requests open?

Starts the server as `make run` does (or with --sync-workers, gunicorn's sync workers as before), opens 30
sockets that each send half a request and then wait, and times ordinary requests for the reading page
meanwhile. Prints the figures; asserts nothing. `make bench` runs it; alone:
`.venv/bin/python bench/slow_clients.py [--sync-workers]`.
"""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HALF_OPEN = 30
READERS = 10
PAGE = "/documents/frus1977-80v26-d293/"


def server_command(port: str, workers: str, sync: bool) -> list[str]:
    """granian as `make run` starts it, or gunicorn's sync workers (what the site ran on before)."""
    if sync:
        return [
            str(ROOT / ".venv/bin/gunicorn"),
            "arms_talks_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--log-level",
            "warning",
        ]
    return [
        str(ROOT / ".venv/bin/granian"),
        "--interface",
        "wsgi",
        "arms_talks_site.wsgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        port,
        "--workers",
        workers,
        "--http1-header-read-timeout",
        "10000",
        "--log-level",
        "warning",
    ]


def environment() -> dict:
    env = os.environ.copy()
    env.setdefault("DJANGO_SETTINGS_MODULE", "arms_talks_site.settings.production")
    env.setdefault("SECRET_KEY", (ROOT / "var" / "secret_key").read_text().strip())
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SECURE_SSL", "0")
    return env


def wait_until_up(base: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def timed_get(url: str, timeout: float = 30) -> float | None:
    start = time.perf_counter()
    try:
        urllib.request.urlopen(url, timeout=timeout).read()
    except OSError:
        return None
    return time.perf_counter() - start


def measure(base: str, port: int) -> tuple[list, list]:
    """Reader latencies (seconds; None = failed) before and while the half-sent requests are open."""
    timed_get(base + PAGE)  # warm the page cache
    calm = [timed_get(base + PAGE) for _ in range(READERS)]
    held = []
    for _ in range(HALF_OPEN):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(f"GET {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow".encode())  # no end of headers
        held.append(sock)
    time.sleep(0.5)
    try:
        under_attack = [timed_get(base + PAGE) for _ in range(READERS)]
    finally:
        for sock in held:
            sock.close()
    return calm, under_attack


def describe(latencies: list) -> str:
    served = [t for t in latencies if t is not None]
    failed = len(latencies) - len(served)
    if not served:
        return f"all {failed} failed"
    return f"median {statistics.median(served):.2f} s, worst {max(served):.2f} s, {failed} failed"


def run(sync: bool = False, workers: str | None = None) -> None:
    port = os.environ.get("SLOW_BENCH_PORT", "8766")
    workers = workers or os.environ.get("WORKERS", "4")
    server = subprocess.Popen(server_command(port, workers, sync), cwd=ROOT, env=environment())
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        calm, under_attack = measure(base, int(port))
    finally:
        server.terminate()
        server.wait(timeout=30)
    kind = "gunicorn sync workers" if sync else "granian, as make run"
    print(f"Slow clients: {HALF_OPEN} half-sent requests held open, {READERS} readers ({kind}, {workers} workers):")
    print(f"  readers before:                 {describe(calm)}")
    print(f"  readers with {HALF_OPEN} half-sent open:   {describe(under_attack)}")


if __name__ == "__main__":
    run(sync="--sync-workers" in sys.argv)
