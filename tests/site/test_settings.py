"""Production settings refuse to start without their secrets, and pass Django's deployment check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    left_out = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in left_out}
    environment.update(DJANGO_SETTINGS_MODULE="arms_talks_site.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_deployment_check_is_clean():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="k" * 30 + "Q7x!" * 10, ALLOWED_HOSTS="example.org"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
