"""How a school watches its own staff: duties, what happened at each session, leave with
substitutes, inspections (查堂) and the month's performance events (plans 1, 3 and 5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Post(models.TextChoices):
    """Duty posts that earn a management subsidy per day (plan 1 二(三)1)."""

    DUTY_LEADER = "duty_leader", _("Duty leader")
    GUARD = "guard", _("Guard / security")
    CLEANER = "cleaner", _("Cleaner / caretaker")
    ADMINISTRATIVE_DUTY = "administrative_duty", _("Administrative duty")


class DutyPattern(models.Model):
    """The weekly pattern the term's duty roster is generated from."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.CASCADE, related_name="duty_patterns")
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    post = models.CharField(_("post"), max_length=24, choices=Post.choices)
    staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("duty pattern")
        verbose_name_plural = _("duty patterns")
        constraints = [models.UniqueConstraint(fields=["term", "weekday", "post", "staff"], name="pattern_once")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.post} {self.staff}"


class DutyAssignment(models.Model):
    """值班: one person on one post on one school day. Subsidies are paid on these days."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    post = models.CharField(_("post"), max_length=24, choices=Post.choices)
    staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="duties")

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duty roster")
        ordering = ["date", "post"]
        constraints = [models.UniqueConstraint(fields=["date", "post", "staff"], name="duty_once")]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_post_display()} {self.staff}"


class TeachingRecord(models.Model):
    """What happened at one session (or one care group's day): who taught, and how."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        SUBSTITUTE = "substitute", _("Delivered by an approved substitute")
        NOT_HELD = "not_held", _("Not held (cancelled by the school)")
        MISSED = "missed", _("Missed without leave (空堂)")
        LATE_START = "late_start", _("Started late")
        EARLY_FINISH = "early_finish", _("Finished early")
        UNAPPROVED_SWAP = "unapproved_swap", _("Swapped without approval")

    # Outcomes that earn the session's periods for the teacher who gave it.
    PAID = (Outcome.DELIVERED, Outcome.SUBSTITUTE, Outcome.LATE_START, Outcome.EARLY_FINISH, Outcome.UNAPPROVED_SWAP)

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    session = models.OneToOneField("programs.Session", on_delete=models.PROTECT, null=True, blank=True, related_name="record")
    care_group = models.ForeignKey("programs.CareGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    teacher = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="teaching_records")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    periods = models.PositiveSmallIntegerField(_("periods"), default=1)
    minutes_off = models.PositiveSmallIntegerField(_("minutes late or early"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed by the teacher"), null=True, blank=True)

    class Meta:
        verbose_name = _("teaching record")
        verbose_name_plural = _("teaching records")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["care_group", "date"], condition=Q(care_group__isnull=False), name="one_record_per_group_day"),
        ]
        indexes = [models.Index(fields=["school", "date"]), models.Index(fields=["teacher", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.teacher} {self.get_outcome_display()}"


class TeachingRecordChange(models.Model):
    """A correction by 教导处 keeps the history."""

    record = models.ForeignKey(TeachingRecord, on_delete=models.CASCADE, related_name="changes")
    old_outcome = models.CharField(max_length=20)
    new_outcome = models.CharField(max_length=20)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("teaching record change")
        verbose_name_plural = _("teaching record changes")

    def __str__(self) -> str:
        return f"{self.old_outcome} → {self.new_outcome}"


class LeaveRequest(models.Model):
    """请假: a teacher asks leave for sessions; the principal approves and names a substitute."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="leave_requests")
    sessions = models.ManyToManyField("programs.Session", related_name="leave_requests")
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    substitute = models.ForeignKey("people.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("teacher's leave")
        verbose_name_plural = _("teachers' leave")

    def __str__(self) -> str:
        return f"{self.teacher} ({self.get_status_display()})"


class Inspection(models.Model):
    """查堂: a regular round or a random spot check of one session, scored by criterion."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular round (定期普查)")
        RANDOM = "random", _("Random spot check (不定时抽查)")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey("programs.Session", on_delete=models.PROTECT, null=True, blank=True, related_name="inspections")
    care_group = models.ForeignKey("programs.CareGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    teacher = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("time"))
    # Plan 5: 从出勤、上课内容和质量入手 — each 0–10.
    attendance_score = models.PositiveSmallIntegerField(_("attendance"))
    content_score = models.PositiveSmallIntegerField(_("content"))
    quality_score = models.PositiveSmallIntegerField(_("quality"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.teacher}"

    @property
    def total(self) -> int:
        return self.attendance_score + self.content_score + self.quality_score


class PerformanceEvent(models.Model):
    """One entry on a teacher's month: a breach the deduction ladder reads, or a commendation."""

    class Kind(models.TextChoices):
        UNEXCUSED_ABSENCE = "unexcused_absence", _("Unexcused absence (空堂)")
        LATE_EARLY_OR_SWAP = "late_early_or_swap", _("Late, early or unapproved swap")
        HANDOVER_BREACH = "handover_breach", _("Hand-over breach")
        NEGLECT = "neglect", _("Neglect of duty")
        SAFETY_ACCIDENT = "safety_accident", _("Serious safety accident")
        COMMENDATION = "commendation", _("Commendation")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey("people.Staff", on_delete=models.PROTECT, related_name="performance_events")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    session = models.ForeignKey("programs.Session", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The periods and day of pay at stake (for "that period" / "that day" deductions).
    periods = models.PositiveSmallIntegerField(_("periods concerned"), default=0)
    # For neglect and accidents the principal decides the percent within the plan's range.
    percent = models.DecimalField(_("percent decided"), max_digits=5, decimal_places=2, null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=300)
    # A unique key per source (e.g. "session:12") so deriving twice adds nothing.
    source_key = models.CharField(max_length=64)
    overridden = models.BooleanField(_("overridden"), default=False)
    override_reason = models.CharField(_("override reason"), max_length=300, blank=True)
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("performance event")
        verbose_name_plural = _("performance events")
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["staff", "kind", "source_key"], name="event_once_per_source")]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.staff} {self.get_kind_display()}"
