"""Demo accounts for a local or classroom trial. Never run this on a public deployment."""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

DEMO_ACCOUNTS = [
    # username, password, superuser, groups, what they can do
    ("admin", "armstalks-admin", True, [], "everything"),
    ("editor", "armstalks-editor", False, ["Editors"], "edit documents, glossary, people"),
    ("moderator", "armstalks-moderator", False, ["Moderators"], "edit and publish"),
    ("teacher", "armstalks-teacher", False, ["Teachers"], "make lesson plans, see their classes' results"),
    ("teacher2", "armstalks-teacher2", False, ["Teachers"], "a second teacher (cannot see the first one's plans)"),
]


class Command(BaseCommand):
    help = "Create (or reset) the demo accounts and print how to sign in."

    def handle(self, *args, **options):
        lines = ["Demo accounts (sign in at /admin/):"]
        for username, password, superuser, groups, purpose in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
            user.groups.set(Group.objects.filter(name__in=groups))
            lines.append(f"  {username:<10} / {password:<22} {purpose}")
        self.stdout.write("\n".join(lines))
