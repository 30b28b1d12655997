"""The service day: leave notes, roll calls, the custody chain of hand-overs, pickups.

"不遗漏一个学生" (plan 7 六(四)2): at every moment each child in care is with one
responsible adult, on leave, or handed to an authorised guardian. These rows are the
evidence; :mod:`attendance.custody` reads them to say where every child is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LeaveNote(models.Model):
    """请假: a guardian reports a child absent for a day or one session, before it starts."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="leave_notes")
    date = models.DateField(_("date"))
    session = models.ForeignKey(
        "programs.Session", on_delete=models.PROTECT, null=True, blank=True, related_name="leave_notes",
        verbose_name=_("session"), help_text=_("Empty for the whole day."),
    )
    reason = models.CharField(_("reason"), max_length=200)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("leave note")
        verbose_name_plural = _("leave notes")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.student} {self.date} {self.reason}"


class RollCall(models.Model):
    """点名 of one club session or one care group on one day."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    session = models.ForeignKey("programs.Session", on_delete=models.PROTECT, null=True, blank=True, related_name="roll_calls")
    care_group = models.ForeignKey("programs.CareGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="roll_calls")
    taken_by = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by"))
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("roll call")
        verbose_name_plural = _("roll calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, care_group__isnull=True) | Q(session__isnull=True, care_group__isnull=False),
                name="roll_call_of_session_or_group",
            ),
            models.UniqueConstraint(fields=["session"], condition=Q(session__isnull=False), name="one_roll_call_per_session"),
            models.UniqueConstraint(fields=["care_group", "date"], condition=Q(care_group__isnull=False), name="one_roll_call_per_group_day"),
        ]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.session or self.care_group}"


class Mark(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        LEAVE = "leave", _("On leave")

    roll_call = models.ForeignKey(RollCall, on_delete=models.CASCADE, related_name="marks")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        verbose_name = _("roll-call mark")
        verbose_name_plural = _("roll-call marks")
        constraints = [models.UniqueConstraint(fields=["roll_call", "student"], name="one_mark_per_child")]

    def __str__(self) -> str:
        return f"{self.student}: {self.get_status_display()}"


class MarkCorrection(models.Model):
    """A corrected mark keeps its history: what it was, what it became, who, when."""

    mark = models.ForeignKey(Mark, on_delete=models.CASCADE, related_name="corrections")
    old_status = models.CharField(max_length=10)
    new_status = models.CharField(max_length=10)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mark correction")
        verbose_name_plural = _("mark corrections")
        ordering = ["corrected_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"


class HandOver(models.Model):
    """交接: one adult hands a list of children to another, who confirms receipt (plan 7 六(四))."""

    class Kind(models.TextChoices):
        TO_CARE = "to_care", _("Last-period teacher to care teacher")
        TO_DUTY = "to_duty", _("Care teacher back to the duty teacher")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    care_group = models.ForeignKey("programs.CareGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="hand_overs")
    from_staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("handed by"))
    to_staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("handed to"))
    students = models.ManyToManyField("people.Student", related_name="+", verbose_name=_("children handed over"))
    handed_count = models.PositiveIntegerField(_("count handed"))
    on_leave_count = models.PositiveIntegerField(_("on leave"), default=0)
    handed_at = models.DateTimeField(_("handed at"))
    received_count = models.PositiveIntegerField(_("count received"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["handed_at", "id"]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.from_staff} → {self.to_staff} ({self.handed_count})"

    @property
    def mismatch(self) -> bool:
        return self.received_count is not None and self.received_count != self.handed_count


class Pickup(models.Model):
    """接走: a child released to an authorised guardian, checked by code or by their login."""

    class Check(models.TextChoices):
        CODE = "code", _("Pickup code")
        LOGIN = "login", _("Guardian's login")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="pickups")
    guardian = models.ForeignKey("people.Guardian", on_delete=models.PROTECT, related_name="+")
    checked_by = models.CharField(_("checked by"), max_length=8, choices=Check.choices)
    released_by = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("released by"))
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("pickup")
        verbose_name_plural = _("pickups")
        constraints = [models.UniqueConstraint(fields=["student", "date"], name="one_pickup_per_child_day")]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.student} → {self.guardian} {self.at:%H:%M}"


class RefusedPickup(models.Model):
    """An attempt to collect a child by someone not authorised: kept for the duty leader."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    claimed_by = models.CharField(_("who tried"), max_length=100)
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("refused pickup")
        verbose_name_plural = _("refused pickups")

    def __str__(self) -> str:
        return f"{self.student} {self.claimed_by} {self.at:%H:%M}"


from attendance.models_log import (  # noqa: E402,F401 — one app, models split by topic
    CareLog,
    GateEntry,
    Incident,
    Patrol,
    WeeklyClassRecord,
)


class Alert(models.Model):
    """Something the duty leader and the head teacher must see now (a child unaccounted for,
    a count that does not match, a refused pickup). Resolved alerts stay as history."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=32)
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    message = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "date", "resolved_at"])]

    def __str__(self) -> str:
        return self.message
