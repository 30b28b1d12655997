"""Offerings with the five fixes (五定), weekly slots, dated sessions and care groups (编班)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Offering(models.Model):
    """One thing the school offers in service time, e.g. 三年级面塑兴趣小组 or 合唱社团.

    It may open for enrollment only with all five fixes (五定, plan 4): an activity plan, the
    content, weekly time slots, a venue and vetted instructors.
    """

    class Kind(models.TextChoices):
        SUPERVISED_HOMEWORK = "supervised_homework", _("Supervised homework (作业看护)")
        HOMEWORK_HELP = "homework_help", _("Subject help (答疑辅导)")
        INTEREST_GROUP = "interest_group", _("Interest group (兴趣小组)")
        CLUB = "club", _("School club (社团)")
        READING_ROOM = "reading_room", _("Reading room (阅览室)")
        NOON_CARE = "noon_care", _("Noon care (午托)")
        SPORT = "sport", _("Sport")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for enrollment")
        CLOSED = "closed", _("Closed")

    # Kinds run by administrative class (the class stays together; plan 3, plan 7 编班).
    CLASS_BASED = frozenset({Kind.SUPERVISED_HOMEWORK, Kind.NOON_CARE})

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="offerings", verbose_name=_("school")
    )
    term = models.ForeignKey(
        "schools.Term", on_delete=models.PROTECT, related_name="offerings", verbose_name=_("term")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    subject = models.CharField(_("subject"), max_length=32, blank=True)
    content = models.TextField(_("content"), blank=True)  # 定内容
    activity_plan = models.TextField(  # 定计划: the term's plan with weekly topics
        _("activity plan"), blank=True, help_text=_("The term plan, one weekly topic per line.")
    )
    grades = models.JSONField(_("eligible grades"), default=list)
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name=_("class"),
        help_text=_("For care run by class; empty for grade or school-wide offerings."),
    )
    venue = models.ForeignKey(  # 定场所 (a slot may name another)
        "schools.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name=_("venue"),
    )
    instructors = models.ManyToManyField(  # 定指导教师
        "people.Staff", related_name="offerings", blank=True, verbose_name=_("instructors")
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    is_charged = models.BooleanField(_("charged"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["term", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="offering_name_unique_in_term"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="offering_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        grades = self.grades or []
        if not isinstance(grades, list) or any(
            not isinstance(g, int) or g < 1 or g > 9 for g in grades
        ):
            raise ValidationError({"grades": _("Grades are whole numbers from 1 to 9.")})
        if self.school_class_id and self.school_class.grade not in grades:
            raise ValidationError({"grades": _("The class's grade must be among the eligible grades.")})


class WeeklySlot(models.Model):
    """定时间: a fixed weekly time, e.g. every Tuesday 15:40–16:40 in the music room."""

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="slots", verbose_name=_("offering")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    venue = models.ForeignKey(
        "schools.Venue", on_delete=models.PROTECT, related_name="slots", verbose_name=_("venue")
    )
    instructor = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="slots", verbose_name=_("instructor")
    )

    class Meta:
        verbose_name = _("weekly slot")
        verbose_name_plural = _("weekly slots")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


class Session(models.Model):
    """One dated occurrence of a slot. Moves, cancellations and substitutes keep history."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("offering")
    )
    slot = models.ForeignKey(
        WeeklySlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    # The date the slot produced (unique per slot), kept when a session is moved.
    planned_date = models.DateField(_("planned date"))
    date = models.DateField(_("date"), db_index=True)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    venue = models.ForeignKey("schools.Venue", on_delete=models.PROTECT, related_name="+", verbose_name=_("venue"))
    instructor = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("instructor")
    )
    # The instructor the slot assigned, when a substitute now takes the session.
    substitute_for = models.ForeignKey(
        "people.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_sessions",
        verbose_name=_("substitute for"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "planned_date"], name="one_session_per_slot_and_day"),
        ]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self) -> str:
        return f"{self.offering} {self.date} {self.start:%H:%M}"


class SessionChange(models.Model):
    """The history of one session: what was moved, cancelled or substituted, by whom and why."""

    class Kind(models.TextChoices):
        MOVED = "moved", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")
        RESTORED = "restored", _("Restored")
        SUBSTITUTED = "substituted", _("Substitute assigned")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    old_values = models.JSONField(_("old values"), default=dict)
    new_values = models.JSONField(_("new values"), default=dict)
    reason = models.CharField(_("reason"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("session change")
        verbose_name_plural = _("session changes")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.session} {self.get_kind_display()}"


class GroupFormingRun(models.Model):
    """One run of group forming (编班) for a class-based care service; the latest one stands."""

    class Service(models.TextChoices):
        AFTER_SCHOOL = "after_school", _("After-school care")
        NOON_CARE = "noon_care", _("Noon care")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="group_runs")
    service = models.CharField(_("service"), max_length=16, choices=Service.choices)
    min_from_one_class = models.PositiveSmallIntegerField(_("minimum to stay a class"))
    merge = models.CharField(_("merge rule"), max_length=20)
    # Students whose group changed since the previous run: [{student, name, from, to}].
    changes = models.JSONField(_("changes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("group forming run")
        verbose_name_plural = _("group forming runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.term} {self.get_service_display()} {self.created_at:%Y-%m-%d %H:%M}"


class CareGroup(models.Model):
    """看护班: a group formed for class-based care, with its room, teacher and the reason."""

    run = models.ForeignKey(GroupFormingRun, on_delete=models.CASCADE, related_name="groups")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    # Stable across re-runs (e.g. "class-12" or "merged-12"), so changes can be listed.
    key = models.CharField(max_length=32)
    name = models.CharField(_("name"), max_length=100)
    venue = models.ForeignKey("schools.Venue", on_delete=models.PROTECT, related_name="+", verbose_name=_("venue"))
    teacher = models.ForeignKey(
        "people.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("care teacher")
    )
    grades = models.JSONField(_("grades"), default=list)
    reason = models.TextField(_("why formed this way"))

    class Meta:
        verbose_name = _("care group")
        verbose_name_plural = _("care groups")
        ordering = ["run", "key"]
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="group_key_unique_in_run")]

    def __str__(self) -> str:
        return self.name


class CareGroupMember(models.Model):
    group = models.ForeignKey(CareGroup, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey("people.Student", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey("schools.SchoolClass", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("care group member")
        verbose_name_plural = _("care group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "student"], name="student_once_in_group"),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.student}"
