"""Demo accounts for a local or classroom trial. A public deployment sets DEMO_ACCOUNTS=0 (or never runs this).

Each account is created only when it is missing, with a generated password written once to
var/demo-accounts.txt (readable by its owner only) and printed once. An account that exists is never touched:
its password, groups and sessions stay as they are, so a restart signs no one out and resets nothing.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

DEMO_ACCOUNTS = [
    # username, superuser, groups, what they can do
    ("admin", True, [], "everything"),
    ("editor", False, ["Editors"], "edit documents, glossary, people"),
    ("moderator", False, ["Moderators"], "edit and publish"),
    ("teacher", False, ["Teachers"], "make lesson plans, see their classes' results"),
    ("teacher2", False, ["Teachers"], "a second teacher (cannot see the first one's plans)"),
]


def passwords_file() -> Path:
    return Path(settings.BASE_DIR) / "var" / "demo-accounts.txt"


def append_private(path: Path, lines: list[str]) -> None:
    """Append to a file only its owner can read (created 0600, and kept so)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "a") as file:
        file.write("".join(f"{line}\n" for line in lines))


class Command(BaseCommand):
    help = "Create the demo accounts that are missing, with generated passwords (DEMO_ACCOUNTS=0: none)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="Where to append new passwords (var/demo-accounts.txt).")

    def handle(self, *args, **options):
        if os.environ.get("DEMO_ACCOUNTS", "1").lower() in {"0", "false", "no", "off"}:
            self.stdout.write("DEMO_ACCOUNTS=0: no demo accounts created.")
            return
        path = options["file"] or passwords_file()
        created = []
        for username, superuser, groups, purpose in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(username, password=password, is_staff=True, is_superuser=superuser)
            user.groups.set(Group.objects.filter(name__in=groups))
            created.append((username, password, purpose))
        if not created:
            self.stdout.write(f"Demo accounts: all present (passwords in {path}).")
            return
        append_private(path, [f"{username} {password}" for username, password, _ in created])
        lines = [f"New demo accounts (sign in at /admin/; passwords also in {path}):"]
        lines += [f"  {username:<10} {password:<18} {purpose}" for username, password, purpose in created]
        self.stdout.write("\n".join(lines))
