"""The guardian's first sign-in: activate an account from the roster's phone number."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.accounts import ActivationRefused, activate_guardian_account


class ActivationForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("Your mobile phone (as given to the school)"), max_length=20)
    student_number = forms.CharField(label=gettext_lazy("Your child's student number"), max_length=32)
    child_name = forms.CharField(label=gettext_lazy("Your child's name"), max_length=50)
    password = forms.CharField(label=gettext_lazy("Choose a password"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=gettext_lazy("The password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


def activate(request):
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client_key = f"{request.META.get('REMOTE_ADDR')}|{request.META.get('HTTP_USER_AGENT', '')[:80]}"
        try:
            user = activate_guardian_account(
                phone=data["phone"],
                student_number=data["student_number"],
                child_name=data["child_name"],
                password=data["password"],
                client_key=client_key,
            )
        except ActivationRefused as exc:
            form.add_error(None, exc.message)
        else:
            login(request, user, backend="people.auth.UsernameOrPhoneBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("home")
    return render(request, "registration/activate.html", {"form": form, "title": _("Activate your account")})
