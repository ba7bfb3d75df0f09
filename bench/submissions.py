"""Figures: quiz submissions per second against a live server, and where one submission's time goes.

Each student submits a quiz (POST: token checked, answers read and scored, the attempt and its responses stored)
and then gets the result page the POST redirects to. The server is started as `make run` starts it (granian,
production settings, DEBUG off). `make bench` runs this; alone:

    .venv/bin/python bench/submissions.py [--students 3000] [--connections 50] [--workers 2] [--threads 16]

How: the quiz page is fetched once per student first, untimed (each form carries a one-time signed token and a
CSRF cookie); then wrk with bench/submissions.lua POSTs those forms over 50 connections and GETs each result
page. The rate is students / wall time, and the database must hold exactly that many new attempts. Every
student comes from 127.0.0.1, so the bench server's submission throttle (600 a minute per address in
production) is lifted through THROTTLE_QUIZ_SUBMISSIONS, the setting's own environment variable.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
BENCH_THROTTLE = "1000000/m"


class QuizForm(HTMLParser):
    """The fields of a quiz form, filled as a student who answers everything would (not necessarily right)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.selects: dict[str, list[str]] = {}  # order questions: q3-1, q3-2, … each gets a distinct position

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "input" and a.get("type") == "hidden" and name in {"csrfmiddlewaretoken", "token", "version"}:
            self.fields[name] = a.get("value", "")
        elif tag == "input" and a.get("type") in {"radio", "checkbox"} and name.startswith("q"):
            self.fields.setdefault(name, a.get("value", ""))
        elif tag == "input" and a.get("type") == "text" and name.startswith("q"):
            self.fields[name] = "an answer"
        elif tag == "select" and name.startswith("q"):
            question = name.rsplit("-", 1)[0]
            self.selects.setdefault(question, []).append(name)

    def data(self) -> dict[str, str]:
        fields = dict(self.fields)
        for names in self.selects.values():
            fields.update({name: str(n) for n, name in enumerate(names, start=1)})
        return fields


def prepared_form(base: str, path: str) -> str:
    """One student's form: its CSRF cookie and urlencoded body, as one line of the wrk script's forms file."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = QuizForm()
    form.feed(opener.open(base + path).read().decode())
    cookie = next(c.value for c in jar if c.name == "csrftoken")
    return f"{cookie}\t{urllib.parse.urlencode(form.data())}"


def server_command(port: int, workers: int, threads: int) -> list[str]:
    return [
        str(ROOT / ".venv/bin/granian"),
        "--interface",
        "wsgi",
        "arms_talks_site.wsgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--http1-header-read-timeout",
        "10000",
        "--log-level",
        "warning",
    ]


def wait_until_up(base: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/readyz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the bench server did not start")


def run_wrk(base: str, path: str, forms: list[str], connections: int) -> dict:
    """wrk's counts for the forms, and the wall time until every form had its result page (or failed)."""
    wrk_threads = 2
    with tempfile.NamedTemporaryFile("w", suffix=".forms", delete=False) as file:
        file.write("\n".join(forms) + "\n")
    command = ["wrk", f"-t{wrk_threads}", f"-c{connections}", "-d300s", "--timeout", "30s"]
    command += ["-s", str(HERE / "submissions.lua"), base, "--", file.name, str(wrk_threads), path]
    started = time.perf_counter()
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    done = 0
    while done < wrk_threads:
        line = wrk.stdout.readline()
        if not line:
            break
        done += line.strip() == "DONE"
    seconds = time.perf_counter() - started
    wrk.send_signal(signal.SIGINT)  # wrk runs for its -d duration otherwise
    out = wrk.communicate(timeout=60)[0]
    os.unlink(file.name)
    figures = dict(part.split("=") for part in out.split("RESULT ", 1)[1].split())
    return {"seconds": seconds, **{k: float(v) for k, v in figures.items()}}


def live(students: int, connections: int, workers: int, threads: int, port: int) -> None:
    from lessons.models import QuizAttempt

    quiz = quiz_for_bench()
    path = f"/quizzes/{quiz.slug}/"
    env = os.environ.copy()
    env["THROTTLE_QUIZ_SUBMISSIONS"] = BENCH_THROTTLE  # one address for all: see the docstring
    server = subprocess.Popen(server_command(port, workers, threads), cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        with ThreadPoolExecutor(8) as pool:
            forms = list(pool.map(lambda _: prepared_form(base, path), range(students)))
        before = QuizAttempt.objects.count()
        load = os.getloadavg()[0]  # other work on the machine lowers the figure: say how busy it was
        figures = run_wrk(base, path, forms, connections)
        stored = QuizAttempt.objects.count() - before
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    errors = int(figures["failed"]) + (students - stored)
    print(
        f"Quiz submissions, live: {students} students, {connections} at once; granian {workers} workers x {threads} "
        f"threads; quiz {quiz.slug} ({quiz.questions.count()} questions); load average before "
        f"{load:.1f}:"
    )
    print(f"  {students / figures['seconds']:>9.0f} submissions/s (each POST scored and stored, then its result page)")
    print(
        f"  {int(figures['shown'])} result pages, {stored} attempts stored, {errors} errors; "
        f"request latency p50 {figures['p50']:.0f} ms, p99 {figures['p99']:.0f} ms"
    )


def quiz_for_bench():
    """The site's quiz with the most questions (a fair, not a flattering, case)."""
    from django.db.models import Count

    from lessons.models import Quiz

    return Quiz.objects.filter(live=True, owner=None).annotate(n=Count("questions")).order_by("-n", "slug").first()


def timed(function, repeat: int = 30) -> tuple[float, float]:
    """Median milliseconds: wall time, and this process's CPU time (what bounds the rate on a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def breakdown() -> None:
    """One submission's parts, timed in-process (same settings, same database; no HTTP, no server). The requests
    call the WSGI application as granian does: Django's test client would add its own instrumentation's cost."""
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import QueryDict
    from django.test import RequestFactory, override_settings

    from lessons import views
    from lessons.scoring import score
    from lessons.snapshots import cached_snapshot, quiz_snapshot, snapshot_key

    app, factory = WSGIHandler(), RequestFactory()

    def call(environ) -> tuple[str, list, bytes]:
        answer = []
        body = b"".join(app(environ, lambda status, headers, exc_info=None: answer.extend([status, headers])))
        return answer[0], answer[1], body

    quiz = quiz_for_bench()
    path = f"/quizzes/{quiz.slug}/"
    _, headers, page = call(factory.get(path).environ)
    cookies = [v.strip().split(";")[0] for k, v in headers if k == "Set-Cookie"]
    cookie = next(c for c in cookies if c.startswith("csrftoken="))
    form = QuizForm()
    form.feed(page.decode())
    data = form.data()
    snapshot = cached_snapshot(quiz)
    answers, _ = views.read_answers(snapshot, QueryDict(urllib.parse.urlencode(data)))

    def post() -> str:
        body = urllib.parse.urlencode({**data, "token": views.issue_token(quiz)})
        environ = factory.post(path, body, "application/x-www-form-urlencoded", HTTP_COOKIE=cookie).environ
        status, headers, _ = call(environ)
        assert status.startswith("302"), status
        return dict(headers)["Location"]

    def post_and_result():
        call(factory.get(post()).environ)

    def store():
        views.record_attempt(quiz, snapshot, answers, views.uuid.uuid4(), "", "")

    with override_settings(THROTTLE_QUIZ_SUBMISSIONS=BENCH_THROTTLE):
        result_url = post()
        rows = [
            ("snapshot built from the database (once per quiz revision)", timed(lambda: quiz_snapshot(quiz), 10)),
            ("snapshot read from the cache (each submission)", timed(lambda: cache.get(snapshot_key(quiz)))),
            (
                "answers read and scored",
                timed(lambda: [score(q, answers[q["position"]]) for q in snapshot["questions"]]),
            ),
            ("attempt and responses stored (2 inserts, 1 transaction)", timed(store)),
            ("submission (POST, whole request)", timed(post)),
            ("result page (GET, whole request)", timed(lambda: call(factory.get(result_url).environ))),
            ("submission and its result page", timed(post_and_result)),
        ]
    print(f"Where a submission's time goes (in-process, median ms; quiz {quiz.slug}):{'wall':>13}{'CPU':>9}")
    for label, (wall, cpu) in rows:
        print(f"  {label:<58} {wall:>8.2f} {cpu:>8.2f}")


def run(students: int = 3000, connections: int = 50, workers: int | None = None, threads: int | None = None):
    workers = workers or int(os.environ.get("SUBMIT_WORKERS", "2"))
    threads = threads or int(os.environ.get("SUBMIT_THREADS", "16"))
    port = int(os.environ.get("SUBMIT_BENCH_PORT", "8767"))
    breakdown()
    live(students, connections, workers, threads, port)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arms_talks_site.settings.production")
    os.environ.setdefault("SECRET_KEY", (ROOT / "var" / "secret_key").read_text().strip())
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("SECURE_SSL", "0")
    import django

    django.setup()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--live-only", action="store_true", help="skip the in-process breakdown")
    args = parser.parse_args()
    if not args.live_only:
        breakdown()
    live(
        args.students,
        args.connections,
        args.workers or int(os.environ.get("SUBMIT_WORKERS", "2")),
        args.threads or int(os.environ.get("SUBMIT_THREADS", "16")),
        int(os.environ.get("SUBMIT_BENCH_PORT", "8767")),
    )
