"""Showcases (结业汇报, plan 6) and competitions and yearly events (plan 4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


class Showcase(models.Model):
    """结业汇报: the end-of-term showcase of the service's courses (plan 6)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(
        "schools.Term", on_delete=models.PROTECT, related_name="showcases", verbose_name=_("term")
    )
    title = models.CharField(_("title"), max_length=100)
    theme = models.CharField(_("theme"), max_length=100, blank=True)  # 活动主题: 做最好的自己!
    notes = models.TextField(_("notes for teachers"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("showcase")
        verbose_name_plural = _("showcases")
        ordering = ["-term__start", "pk"]

    def __str__(self) -> str:
        return self.title


class Cohort(models.Model):
    """The courses of some weekdays, shown on one date (plan 6: 周一周三课后服务在1月12日结业汇报)."""

    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="cohorts")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    weekdays = models.JSONField(_("weekdays"), default=list)  # 0 = Monday
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["date", "start", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return "".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))


class Form(models.TextChoices):
    """汇报形式 (plan 6 七)."""

    EXHIBITION = "exhibition", _("Exhibition (作品展)")
    FRIENDLY_MATCH = "friendly_match", _("Friendly match (友谊赛)")
    DEMO_LESSON = "demo_lesson", _("Demo lesson (展示课)")
    CONTEST = "contest", _("Contest (素养赛)")


class GuardianPart(models.TextChoices):
    """Plan 6 七(五)1: 邀请家长全程参与或者后半节课参与展示环节."""

    WHOLE = "whole", _("Guardians invited for the whole time")
    SECOND_HALF = "second_half", _("Guardians invited for the second half")
    NONE = "none", _("No guardians")


class Item(models.Model):
    """One course's part in the showcase: its form, venue, time, lead and teachers, summary."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="items")
    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="items")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey(
        "programs.Offering", on_delete=models.PROTECT, related_name="+", verbose_name=_("course")
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    venue = models.ForeignKey(
        "schools.Venue", on_delete=models.PROTECT, related_name="+", verbose_name=_("venue")
    )
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    lead = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("lead teacher")
    )
    teachers = models.ManyToManyField(
        "people.Staff", related_name="+", blank=True, verbose_name=_("teachers")
    )
    guardian_part = models.CharField(
        _("guardians"), max_length=16, choices=GuardianPart.choices, default=GuardianPart.WHOLE
    )
    # 小结 (plan 6 七(五)5): what was learnt, the children's results, next term's plan.
    summary = models.TextField(_("summary"), blank=True)
    summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("showcase item")
        verbose_name_plural = _("showcase items")
        ordering = ["cohort__date", "start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["showcase", "offering"], name="course_once_per_showcase"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="item_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering} · {self.get_form_display()}"


class Milestone(models.Model):
    """具体时间截点 (plan 6 八): a task with a deadline and the staff member who owns it."""

    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="milestones")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("task"), max_length=100)
    due = models.DateField(_("deadline"))
    owner = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """邀请函 to one guardian for one course's showcase, with their answer (RSVP)."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Coming")
        NO = "no", _("Not coming")

    MAX_PEOPLE = 3

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="invitations")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey(
        "people.Guardian", on_delete=models.CASCADE, related_name="event_invitations"
    )
    children = models.CharField(
        _("children"), max_length=200
    )  # their names, as the guardian reads them
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answer = models.CharField(
        _("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    people = models.PositiveSmallIntegerField(_("people coming"), default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "guardian"], name="one_invitation_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.guardian}"


def _media_path(instance: Media, filename: str) -> str:
    # The stored name never carries the uploader's file name (kept in ``original_name``).
    import uuid

    return f"events/{instance.school_id}/{uuid.uuid4().hex}.{instance.extension}"


class Media(models.Model):
    """A photo of the showcase or a child's work (作品), uploaded afterwards (plan 6 七(五)4)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        WORK = "work", _("Work")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="media")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=_media_path)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    original_name = models.CharField(_("file name"), max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    students = models.ManyToManyField(
        "people.Student", related_name="+", blank=True, verbose_name=_("children shown")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo or work")
        verbose_name_plural = _("photos and works")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.caption or self.original_name


class Competition(models.Model):
    """校内班级间比赛 and yearly events (plan 4 六.2): ball games, singing, … sports meet, art festival."""

    class Kind(models.TextChoices):
        BALL_GAME = "ball_game", _("Ball games (球类)")
        SINGING = "singing", _("Singing (歌咏)")
        CALLIGRAPHY = "calligraphy", _("Calligraphy (书法)")
        SPEECH = "speech", _("Speech (演讲)")
        DRAMA = "drama", _("Drama (话剧)")
        ESSAY = "essay", _("Essay (征文)")
        SPORTS_MEET = "sports_meet", _("Sports meet (运动会)")
        ART_FESTIVAL = "art_festival", _("Art festival (艺术节)")

    class Scoring(models.TextChoices):
        HIGHER_WINS = "higher", _("Score: higher wins")
        LOWER_WINS = "lower", _("Score: lower wins (times)")
        PLACEMENT = "placement", _("Placements given by the judges")

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    scoring = models.CharField(
        _("results"), max_length=12, choices=Scoring.choices, default=Scoring.HIGHER_WINS
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    entries_close = models.DateField(_("entries close"))
    grades = models.JSONField(_("grades"), default=list)  # empty: every grade
    results_published = models.BooleanField(_("results published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="competition_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    """A class's entry (参赛) and its result: a score, or a placement from the judges."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entries")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "schools.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class")
    )
    title = models.CharField(_("programme or team"), max_length=100, blank=True)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    placement = models.PositiveSmallIntegerField(_("placement"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["school_class__grade", "school_class__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "school_class"], name="class_enters_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competition}: {self.school_class}"


class Fixture(models.Model):
    """赛程: one round or match, with its time, venue and the entries that take part."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="fixtures")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    round_name = models.CharField(_("round"), max_length=50)
    starts_at = models.DateTimeField(_("time"))
    venue = models.ForeignKey(
        "schools.Venue", on_delete=models.PROTECT, related_name="+", verbose_name=_("venue")
    )
    entries = models.ManyToManyField(
        Entry, related_name="fixtures", blank=True, verbose_name=_("entries")
    )

    class Meta:
        verbose_name = _("fixture")
        verbose_name_plural = _("fixtures")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.competition} {self.round_name}"
