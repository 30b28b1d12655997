"""Students, guardians, staff and their roles, vetting; the login user."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from lib.identity import mask_national_id, mask_phone
from people.roles import ROLES_NEEDING_VETTING, Role


def name_pinyin(name: str) -> str:
    """Return the toneless pinyin used to sort and search names: 张小明 -> zhang xiao ming."""
    return " ".join(lazy_pinyin(name or "")).lower()


class User(AbstractUser):
    """A login. Staff sign in by username or phone; guardians by their phone."""

    phone = models.CharField(_("phone"), max_length=20, unique=True, null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Student(models.Model):
    """学生. The national ID is stored whole (insurance needs it) and shown masked."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="students", verbose_name=_("school")
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        on_delete=models.PROTECT,
        related_name="students",
        verbose_name=_("class"),
    )
    name = models.CharField(_("name"), max_length=50)
    pinyin = models.CharField(_("pinyin"), max_length=200, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    student_number = models.CharField(_("student number"), max_length=32)
    national_id = models.CharField(_("national ID number"), max_length=18, blank=True)
    # Priority flags (plan 7 三: 优先保障…). Sensitive: see people.roles.Capability.
    is_migrant_child = models.BooleanField(_("migrant worker's child (随迁子女)"), default=False)
    is_single_parent = models.BooleanField(_("single-parent family (单亲)"), default=False)
    is_left_behind = models.BooleanField(_("left-behind child (留守儿童)"), default=False)
    is_low_income = models.BooleanField(_("low-income family (家庭经济困难)"), default=False)
    has_disability = models.BooleanField(_("disability (残疾)"), default=False)
    is_active = models.BooleanField(_("on roll"), default=True)
    guardians = models.ManyToManyField(
        "Guardian", through="StudentGuardian", related_name="students", verbose_name=_("guardians")
    )

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["school_class__grade", "school_class__number", "pinyin"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"], name="student_number_unique_in_school"
            ),
        ]
        indexes = [models.Index(fields=["school", "pinyin"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.pinyin = name_pinyin(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "pinyin"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.school_class_id and self.school_id and self.school_class.school_id != self.school_id:
            raise ValidationError({"school_class": _("The class belongs to another school.")})

    @property
    def masked_national_id(self) -> str:
        return mask_national_id(self.national_id)

    PRIORITY_FLAGS = (
        "is_migrant_child",
        "is_single_parent",
        "is_left_behind",
        "is_low_income",
        "has_disability",
    )

    def priority_flag_labels(self) -> list[str]:
        return [
            str(self._meta.get_field(f).verbose_name) for f in self.PRIORITY_FLAGS if getattr(self, f)
        ]


class Guardian(models.Model):
    """监护人. One guardian may have children in several schools; the link carries the school."""

    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class StudentGuardian(models.Model):
    """The link between a child and a guardian, and whether they may collect the child."""

    class Relation(models.TextChoices):
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        GRANDFATHER = "grandfather", _("Grandfather")
        GRANDMOTHER = "grandmother", _("Grandmother")
        OTHER = "other", _("Other relative")

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="guardian_links", verbose_name=_("student")
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="student_links", verbose_name=_("guardian")
    )
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    may_pick_up = models.BooleanField(_("may pick up"), default=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("student's guardian")
        verbose_name_plural = _("students' guardians")
        constraints = [
            models.UniqueConstraint(fields=["student", "guardian"], name="guardian_linked_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.guardian} ({self.get_relation_display()})"


class Staff(models.Model):
    """教职工, including external instructors and volunteers who serve at the school."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="staff", verbose_name=_("school")
    )
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=50)
    pinyin = models.CharField(_("pinyin"), max_length=200, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    subjects = models.CharField(
        _("subjects taught"), max_length=100, blank=True, help_text=_("For example 语文, 数学")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["school", "pinyin"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.pinyin = name_pinyin(self.name)
        super().save(*args, **kwargs)

    @property
    def role_set(self) -> frozenset[str]:
        """Return the staff member's roles (uses prefetched ``roles`` when present)."""
        return frozenset(r.role for r in self.roles.all())

    @property
    def needs_vetting(self) -> bool:
        return bool(self.role_set & ROLES_NEEDING_VETTING)

    @property
    def is_vetted(self) -> bool:
        vetting = getattr(self, "vetting", None)
        return vetting is not None and vetting.is_complete


class StaffRole(models.Model):
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="roles", verbose_name=_("staff member")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["staff", "role"], name="role_held_once"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


class Vetting(models.Model):
    """审核备案 of an external instructor or volunteer (plan 7 六(五)).

    Complete when the qualification and health check are recorded and the file has been
    lodged with the education authority; only then may they be assigned to a session.
    """

    staff = models.OneToOneField(
        Staff, on_delete=models.CASCADE, related_name="vetting", verbose_name=_("staff member")
    )
    qualification = models.CharField(_("qualification"), max_length=200, blank=True)
    health_check_date = models.DateField(_("health check date"), null=True, blank=True)
    filed_with = models.CharField(_("filed with"), max_length=100, blank=True)
    filed_on = models.DateField(_("date filed with the education authority"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("vetting record")
        verbose_name_plural = _("vetting records")

    def __str__(self) -> str:
        return f"{self.staff} ({self.filed_on or '—'})"

    @property
    def is_complete(self) -> bool:
        return bool(self.qualification and self.health_check_date and self.filed_on)


class DistrictOfficer(models.Model):
    """A login of the district education bureau; sees its schools, never other districts'."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="district_officer", verbose_name=_("login")
    )
    district = models.ForeignKey(
        "schools.District", on_delete=models.PROTECT, related_name="officers", verbose_name=_("district")
    )

    class Meta:
        verbose_name = _("district officer")
        verbose_name_plural = _("district officers")

    def __str__(self) -> str:
        return f"{self.user} @ {self.district}"


class Consent(models.Model):
    """监护人同意: a guardian's consent to use a child's data beyond the roster (PIPL art. 31).

    The roster itself (name, class, student number, the school's own records) needs no
    consent. Each purpose has at most one standing consent per child; withdrawing it sets
    ``withdrawn_at`` (any of the child's guardians may withdraw) and giving it again adds a
    new row, so the history stays readable. See docs/security.md, "Guardian consent".
    """

    class Purpose(models.TextChoices):
        SERVICE = "service", _("After-school service: applications, attendance, hand-overs and fees")

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="consents", verbose_name=_("student")
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="consents", verbose_name=_("given by")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    text_version = models.CharField(_("text version"), max_length=16)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Guardian,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")
        ordering = ["student", "purpose", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_standing_consent_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.get_purpose_display()}"
