"""Districts, schools, terms and their calendars, classes and venues."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    """区县教育局: the education bureau that oversees many schools."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Grade(models.IntegerChoices):
    """年级 1–9 of nine-year compulsory education."""

    G1 = 1, _("Grade 1")
    G2 = 2, _("Grade 2")
    G3 = 3, _("Grade 3")
    G4 = 4, _("Grade 4")
    G5 = 5, _("Grade 5")
    G6 = 6, _("Grade 6")
    G7 = 7, _("Grade 7")
    G8 = 8, _("Grade 8")
    G9 = 9, _("Grade 9")


class Term(models.Model):
    """学期: the unit a school's plan, fees and pay are counted in."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="terms", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=64)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["school", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="term_name_unique_in_school"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="term_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.name}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The last day must not be before the first day.")})


class CalendarEntry(models.Model):
    """A school's own entry in its calendar, on top of the official one.

    - ``closure``: the school is closed on a day that would be a school day (停课).
    - ``holiday`` / ``workday``: for a year the State Council schedule in chinese-calendar
      does not cover yet, the school enters that year's days off and adjusted working days.
    - ``workday`` on any date also records which weekday's timetable the day follows
      (schools announce "按周四课表" for an adjusted Saturday).
    """

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("School closure")
        HOLIDAY = "holiday", _("Public holiday (entered by the school)")
        WORKDAY = "workday", _("Adjusted working day (调休)")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="calendar_entries", verbose_name=_("school")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    follows_weekday = models.PositiveSmallIntegerField(
        _("follows the timetable of"),
        null=True,
        blank=True,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
        ],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        ordering = ["school", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="one_calendar_entry_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    def clean(self) -> None:
        from schools.calendar import entry_problem

        if self.date is None:
            return
        problem = entry_problem(date=self.date, kind=self.kind)
        if problem:
            raise ValidationError({"kind": problem})
        if (
            self.kind == self.Kind.WORKDAY
            and self.date.weekday() >= 5
            and self.follows_weekday is None
        ):
            raise ValidationError(
                {"follows_weekday": _("Say which weekday's timetable this working day follows.")}
            )


class HolidayYear(models.Model):
    """The school's statement that it has entered a year's official holidays itself.

    Until a year is either known to chinese-calendar or declared here, the calendar
    refuses to list school days in it rather than guess that every weekday is one.
    """

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="holiday_years", verbose_name=_("school")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("holiday year entered by the school")
        verbose_name_plural = _("holiday years entered by the school")
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="holiday_year_once"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}"


class Venue(models.Model):
    """场地: a classroom, the reading room, a music room, the gym or the field."""

    class Kind(models.TextChoices):
        CLASSROOM = "classroom", _("Classroom")
        READING_ROOM = "reading_room", _("Reading room")
        MUSIC_ROOM = "music_room", _("Music room")
        ART_ROOM = "art_room", _("Art room")
        COMPUTER_ROOM = "computer_room", _("Computer room")
        GYM = "gym", _("Gym")
        FIELD = "field", _("Sports field")
        HALL = "hall", _("Hall")
        OTHER = "other", _("Other")

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="venues", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["school", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="venue_name_unique_in_school"),
        ]

    def __str__(self) -> str:
        return self.name


class SchoolClass(models.Model):
    """行政班: an administrative class such as 三年级2班."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="classes", verbose_name=_("school")
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), choices=Grade.choices, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    number = models.PositiveSmallIntegerField(_("class number"), validators=[MinValueValidator(1)])
    head_teacher = models.ForeignKey(
        "people.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="head_of_classes",
        verbose_name=_("head teacher"),
    )
    home_room = models.ForeignKey(
        Venue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home room"),
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school", "grade", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "grade", "number"], name="class_unique_in_school"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the class name as a school writes it: 三年级2班 / Grade 3 Class 2."""
        from django.utils.translation import gettext

        return gettext("%(grade)s Class %(number)s") % {
            "grade": Grade(self.grade).label,
            "number": self.number,
        }
