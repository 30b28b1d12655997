"""``manage.py create_api_token USERNAME --name NAME``: issue a token and print it once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from api.services import issue_token


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print the secret (it is not stored and not shown again)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args, username: str, name: str, **options) -> None:
        name = name.strip()
        if not name:
            raise CommandError(_("Give the token a name saying what it is for."))
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(
                _("No active user with the username “%(username)s”.") % {"username": username}
            ) from None
        secret = issue_token(user=user, name=name)
        self.stderr.write(_("Token issued. Copy it now: it cannot be shown again."))
        self.stdout.write(secret)
