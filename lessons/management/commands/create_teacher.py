"""Add a teacher without a superuser: `manage.py create_teacher USERNAME EMAIL [--name "Ada Lovelace"]`."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from lessons.roles import TEACHERS


class Command(BaseCommand):
    help = "Create a teacher account (Teachers group) and print a one-time password to hand over."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="First and last name")
        parser.add_argument("--password", default="", help="Set this password instead of a random one")

    def handle(self, *args, username, email, name, password, **options):
        User = get_user_model()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        group = Group.objects.filter(name=TEACHERS).first()
        if group is None:
            raise CommandError("The Teachers group is missing: run `manage.py migrate` first.")
        first, _, last = name.partition(" ")
        password = password or secrets.token_urlsafe(12)
        user = User.objects.create_user(username, email, password, first_name=first, last_name=last, is_staff=True)
        user.groups.add(group)
        self.stdout.write(f"Teacher {username} created. Sign in at /admin/ with the password: {password}")
        self.stdout.write("Ask them to change it under Account after signing in.")
