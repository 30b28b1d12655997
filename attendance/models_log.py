"""Gate register, patrols, care logs, weekly class records and incidents (plans 3 and 7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GateEntry(models.Model):
    """门卫登记: a visitor or a late pickup at the gate."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=50)
    purpose = models.CharField(_("purpose"), max_length=200)
    for_student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("came for")
    )
    time_in = models.DateTimeField(_("in"))
    time_out = models.DateTimeField(_("out"), null=True, blank=True)
    recorded_by = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("gate register entry")
        verbose_name_plural = _("gate register")
        ordering = ["-time_in"]

    def __str__(self) -> str:
        return f"{self.name} {self.time_in:%H:%M}"


class Patrol(models.Model):
    """值班领导巡视 of a group during service time (plan 7 六(四)4)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    leader = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("duty leader"))
    care_group = models.ForeignKey("programs.CareGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    session = models.ForeignKey("programs.Session", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("time"))
    all_well = models.BooleanField(_("all well"), default=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.leader} {self.at:%H:%M}"


class CareLog(models.Model):
    """看管记录: what the care teacher did with the group today (plan 7 八.3(5))."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    care_group = models.ForeignKey("programs.CareGroup", on_delete=models.PROTECT, related_name="logs")
    date = models.DateField(_("date"))
    teacher = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+")
    activities = models.TextField(_("what was done"))
    notes = models.TextField(_("notes"), blank=True)
    written_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("care log")
        verbose_name_plural = _("care logs")
        constraints = [models.UniqueConstraint(fields=["care_group", "date"], name="one_care_log_per_group_day")]

    def __str__(self) -> str:
        return f"{self.care_group} {self.date}"


class WeeklyClassRecord(models.Model):
    """班级活动记录: the head teacher's weekly record, archived at term end (plan 3 (三)1)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey("schools.SchoolClass", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField(_("week of"))
    content = models.TextField(_("activities of the week"))
    written_by = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+")
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("weekly class record")
        verbose_name_plural = _("weekly class records")
        constraints = [models.UniqueConstraint(fields=["school_class", "week_start"], name="one_record_per_class_week")]

    def __str__(self) -> str:
        return f"{self.school_class} {self.week_start}"


class Incident(models.Model):
    """An injury, illness, conflict or hazard: what happened, what was done, who was told."""

    class Kind(models.TextChoices):
        INJURY = "injury", _("Injury")
        ILLNESS = "illness", _("Illness")
        CONFLICT = "conflict", _("Conflict")
        HAZARD = "hazard", _("Safety hazard")
        MISSING = "missing", _("Child unaccounted for")

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        SERIOUS = "serious", _("Serious")
        CRITICAL = "critical", _("Critical")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    students = models.ManyToManyField("people.Student", related_name="incidents", blank=True)
    description = models.TextField(_("what happened"))
    actions = models.TextField(_("actions taken"), blank=True)
    guardian_notified_at = models.DateTimeField(_("guardian told at"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(_("escalated to the principal at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} ({self.get_severity_display()})"
