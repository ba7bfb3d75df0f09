"""Demo accounts: created once with generated passwords, never reset by a restart, none for a real deployment."""

import io
import stat

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import call_command

pytestmark = pytest.mark.django_db

NAMES = {"admin", "editor", "moderator", "teacher", "teacher2"}


@pytest.fixture
def passwords(tmp_path):
    return tmp_path / "demo-accounts.txt"


def run(passwords) -> str:
    out = io.StringIO()
    call_command("create_demo_accounts", file=passwords, stdout=out)
    return out.getvalue()


def written(passwords) -> dict[str, str]:
    return dict(line.split(" ", 1) for line in passwords.read_text().splitlines())


def test_the_first_run_creates_each_account_with_a_generated_password_in_a_private_file(passwords):
    output = run(passwords)
    accounts = written(passwords)
    assert set(accounts) == NAMES
    assert stat.S_IMODE(passwords.stat().st_mode) == 0o600
    for username, password in accounts.items():
        assert len(password) >= 16 and "armstalks" not in password
        assert password in output  # printed once, when created
        assert User.objects.get(username=username).check_password(password)
    assert len(set(accounts.values())) == len(NAMES)


def test_a_second_run_changes_no_password_group_or_session_and_prints_none(client, passwords):
    run(passwords)
    teacher = User.objects.get(username="teacher")
    teacher.set_password("my-own-Passw0rd")
    teacher.save()
    editor = User.objects.get(username="editor")
    editor.groups.add(*User.objects.get(username="moderator").groups.all())  # a promotion
    client.force_login(teacher)
    sessions = Session.objects.count()

    output = run(passwords)

    assert User.objects.get(username="teacher").check_password("my-own-Passw0rd")
    assert set(editor.groups.values_list("name", flat=True)) == {"Editors", "Moderators"}
    assert Session.objects.count() == sessions
    assert client.get("/admin/").status_code == 200  # still signed in
    assert "all present" in output and "my-own" not in output
    assert len(passwords.read_text().splitlines()) == len(NAMES)


def test_a_missing_account_is_added_and_its_password_appended(passwords):
    run(passwords)
    User.objects.get(username="teacher2").delete()
    output = run(passwords)
    lines = passwords.read_text().splitlines()
    assert len(lines) == len(NAMES) + 1 and lines[-1].startswith("teacher2 ")
    assert "teacher2" in output and "admin " not in output


def test_demo_accounts_0_creates_none(passwords, monkeypatch):
    monkeypatch.setenv("DEMO_ACCOUNTS", "0")
    assert "no demo accounts" in run(passwords)
    assert not User.objects.filter(username__in=NAMES).exists()
    assert not passwords.exists()
