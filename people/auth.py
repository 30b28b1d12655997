"""Sign in with a username or a mobile phone number."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from lib.identity import normalise_phone
from people.models import User


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        login = username.strip()
        user = (
            User.objects.filter(Q(username=login) | Q(phone=normalise_phone(login)))
            .order_by("pk")
            .first()
        )
        if user is None:
            # Spend the same time as a real check so unknown names are not revealed by timing.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
