"""Change one's own password; the other sessions of the account end (people/signals.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache


@method_decorator(never_cache, name="dispatch")
class PasswordChange(auth_views.PasswordChangeView):
    """Django's form (old password, new twice, the password rules), in Kehou's page."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")
    extra_context = {"title": gettext_lazy("Change password")}

    def form_valid(self, form):
        # The form saves the user (which ends every session of the account) and keeps
        # this one by moving it to a new key with the new password's hash.
        response = super().form_valid(form)
        messages.success(
            self.request, _("Password changed. You have been signed out on your other devices.")
        )
        return response
