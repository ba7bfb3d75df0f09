"""The server as `make run` starts it: readers get pages while slow clients hold half-sent requests open,
and /readyz tells a load balancer when the database is gone."""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

# The server runs in another process and reads committed data: each test starts from the loaded content
# (serialized rollback), as the browser tests do.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]
PAGE = "/documents/frus1977-80v26-d293/"


def url_of(db: dict) -> str:
    """The test database as a URL for the server process; a socket directory (the embedded server) is quoted."""
    host = quote(db["HOST"] or db.get("OPTIONS", {}).get("host") or "127.0.0.1", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def collected_static():
    """Production settings serve hashed static files from a manifest, as `make run` prepares with collectstatic
    (run every time: a manifest left from an older checkout lacks the newer files; unchanged files are skipped)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "arms_talks_site.settings.production",
        "SECRET_KEY": "serving-test-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url_of(settings.DATABASES["default"]),
    }
    command = [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


@pytest.fixture
def start_server(django_db_serialized_rollback, collected_static, tmp_path):
    """Start granian, as `make run` does, on the test database (content loaded)."""
    servers = []

    def start(database_url: str | None = None, **extra_env):
        db = settings.DATABASES["default"]
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "arms_talks_site.settings.production",
            "SECRET_KEY": "serving-test-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL": "0",
            "DATABASE_URL": database_url or url_of(db),
            "XDG_RUNTIME_DIR": str(tmp_path),
            **extra_env,
        }
        command = [str(ROOT / ".venv/bin/granian"), "--interface", "wsgi", "arms_talks_site.wsgi:application"]
        command += [
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--http1-header-read-timeout",
            "10000",
        ]
        server = subprocess.Popen(command, cwd=ROOT, env=env)
        servers.append(server)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                return base, port
            except OSError:
                time.sleep(0.2)
        pytest.fail("the server did not start")

    yield start
    for server in servers:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a worker still waiting on a database that is gone
            server.kill()
            server.wait(timeout=15)


def seconds_to_get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        response.read()
    return time.perf_counter() - start


def test_thirty_half_sent_requests_do_not_keep_readers_waiting(start_server):
    base, port = start_server()
    seconds_to_get(base + PAGE)
    held = []
    try:
        for _ in range(30):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(f"GET {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slo".encode())
            held.append(sock)
        waits = [seconds_to_get(base + PAGE) for _ in range(5)]
    finally:
        for sock in held:
            sock.close()
    assert max(waits) < 3, waits


def test_readyz_says_ok_when_database_and_cache_answer(start_server):
    base, _ = start_server()
    with urllib.request.urlopen(base + "/readyz") as response:
        assert response.read() == b"ok"


def test_readyz_names_the_database_when_it_is_gone_and_healthz_still_answers(start_server):
    base, _ = start_server("postgresql://postgres@127.0.0.1:1/nowhere")  # nothing listens on port 1
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(base + "/readyz", timeout=15)
    assert failed.value.code == 503
    assert failed.value.read().decode() == "not ready: database failed"
    assert urllib.request.urlopen(base + "/healthz").read() == b"ok"


def test_readyz_names_the_cache_when_it_is_gone(start_server):
    base, _ = start_server(REDIS_URL="redis://127.0.0.1:1/0")
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(base + "/readyz", timeout=15)
    assert failed.value.code == 503
    assert failed.value.read().decode() == "not ready: cache failed"
