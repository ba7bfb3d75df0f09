"""Two app servers behind Debian's nginx, sharing one PostgreSQL and one Redis: `make cluster`.

    python -m arms_talks_site.cluster [--port 8080] [--app-ports 8081,8082] [--workers 2] [--threads 8]

starts, under var/cluster/:
- Redis: REDIS_URL when set, else Debian's `redis-server` on its own port (nothing kept on disk);
- two app servers, each the server `make run` starts (granian, production settings), on the database of
  DATABASE_URL or the embedded one;
- nginx, from a config written to var/cluster/nginx.conf, balancing between them (least connections) and
  sending a request on to the other server when one does not answer.
It waits until every part answers /readyz, prints where, and on Ctrl-C (or SIGTERM) stops all it started.
The tests (tests/cluster) and the bench (bench/cluster_bench.py) use `Cluster` directly.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from core.embedded_db import PROJECT_DIR, VAR_DIR

GRANIAN = [str(PROJECT_DIR / ".venv/bin/granian"), "--interface", "wsgi", "arms_talks_site.wsgi:application"]

NGINX_CONF = """\
{user}worker_processes 1;
error_log {dir}/nginx-error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/nginx-temp/body;
    proxy_temp_path {dir}/nginx-temp/proxy;
    fastcgi_temp_path {dir}/nginx-temp/fastcgi;
    uwsgi_temp_path {dir}/nginx-temp/uwsgi;
    scgi_temp_path {dir}/nginx-temp/scgi;
    client_max_body_size 20m;
    upstream app {{
        least_conn;
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A server that refuses the connection gets no request: nginx sends it (a POST too) to the other.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            proxy_buffers 16 32k;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - our own http:// URLs
            return response.status == 200
    except OSError:
        return False


def stop(process: subprocess.Popen | None, seconds: float = 15) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=seconds)


class Cluster:
    """nginx on `port` in front of one app server per port of `app_ports`, on one database and one Redis."""

    def __init__(
        self,
        database_url: str,
        port: int | None = None,
        app_ports: list[int] | None = None,
        redis_url: str | None = None,
        workers: int = 2,
        threads: int = 8,
        directory: Path | None = None,
        secret_key: str | None = None,
        extra_env: dict | None = None,
    ):
        self.database_url = database_url
        self.port = port or free_port()
        self.app_ports = app_ports or [free_port(), free_port()]
        self.redis_url = redis_url
        self.workers = workers
        self.threads = threads
        self.dir = Path(directory or VAR_DIR / "cluster").resolve()
        self.secret_key = secret_key or self.read_secret_key()
        self.extra_env = extra_env or {}
        self.redis: subprocess.Popen | None = None
        self.apps: list[subprocess.Popen | None] = [None] * len(self.app_ports)
        self.nginx: subprocess.Popen | None = None

    @staticmethod
    def read_secret_key() -> str:
        path = VAR_DIR / "secret_key"
        if path.exists():
            return path.read_text().strip()
        import secrets

        return secrets.token_urlsafe(50)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[index]}"

    def start(self) -> "Cluster":
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            if not self.redis_url:
                self.start_redis()
            for index in range(len(self.app_ports)):
                self.start_app(index)
            self.start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def start_redis(self) -> None:
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            raise RuntimeError("redis-server is missing: install Debian's redis-server package, or set REDIS_URL")
        port = free_port()
        (self.dir / "redis").mkdir(exist_ok=True)
        command = [redis_server, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(self.dir / "redis")]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"]
        self.redis = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603 - fixed commands
        self.redis_url = f"redis://127.0.0.1:{port}/0"
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def app_env(self) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "arms_talks_site.settings.production",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL": "0",
            "TRUSTED_PROXIES": "127.0.0.1",  # nginx: the reader's address comes from X-Forwarded-For
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "XDG_RUNTIME_DIR": str(self.dir),
            **self.extra_env,
        }

    def start_app(self, index: int) -> None:
        """Start (or start again) app server `index`, the way `make run` does, and wait until it is ready."""
        port = self.app_ports[index]
        command = [*GRANIAN, "--host", "127.0.0.1", "--port", str(port), "--workers", str(self.workers)]
        # Threads borrow database connections from their worker's pool (DB_POOL_MAX_SIZE, settings/base.py):
        # servers × workers × pool size must stay under PostgreSQL's max_connections (100 by default).
        command += ["--blocking-threads", str(self.threads), "--http1-header-read-timeout", "10000"]
        log = open(self.dir / f"app-{index}.log", "ab")  # noqa: SIM115 - the server's, closed with the process
        env = self.app_env()
        self.apps[index] = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=log)  # noqa: S603
        self.wait_for(self.app_url(index) + "/readyz", f"app server {index} (port {port})", self.apps[index])

    def stop_app(self, index: int) -> None:
        stop(self.apps[index])

    def start_nginx(self) -> None:
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if nginx is None:
            raise RuntimeError("nginx is missing: install Debian's nginx package")
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / "nginx-temp" / name).mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in self.app_ports)
        # Started by root, nginx's workers would switch to `nobody`, who cannot write under var/: keep root's.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        conf = self.dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, dir=self.dir, servers=servers, port=self.port))
        command = [nginx, "-c", str(conf), "-p", str(self.dir), "-e", str(self.dir / "nginx-error.log")]
        self.nginx = subprocess.Popen([*command, "-g", "daemon off;"])  # noqa: S603
        self.wait_for(self.url + "/readyz", f"nginx (port {self.port})", self.nginx)

    @staticmethod
    def wait_for(url: str, what: str, process: subprocess.Popen, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited with status {process.returncode}")
            if answers(url):
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} did not answer {url} within {seconds:.0f} s")

    def stop(self) -> None:
        """Stop everything this cluster started, front first: nginx, the app servers, then Redis."""
        stop(self.nginx)
        for process in self.apps:
            stop(process)
        stop(self.redis)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", "8080")))
    parser.add_argument("--app-ports", default=os.environ.get("CLUSTER_APP_PORTS", "8081,8082"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("CLUSTER_WORKERS", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("CLUSTER_THREADS", "8")))
    args = parser.parse_args()
    from core.embedded_db import database_url

    cluster = Cluster(
        database_url(),
        port=args.port,
        app_ports=[int(port) for port in args.app_ports.split(",")],
        redis_url=os.environ.get("REDIS_URL"),
        workers=args.workers,
        threads=args.threads,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    with cluster:
        print(
            f"Arms Talks cluster at {cluster.url}/ (nginx) in front of",
            ", ".join(cluster.app_url(i) for i in range(len(cluster.app_ports))),
            f"; Redis {cluster.redis_url}",
        )
        print(f"Config and logs in {cluster.dir}. Ctrl-C stops it all.", flush=True)
        try:
            while all(p is not None and p.poll() is None for p in [cluster.nginx, *cluster.apps]):
                time.sleep(1)
            print("a part of the cluster exited: stopping the rest", file=sys.stderr)
            sys.exit(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
