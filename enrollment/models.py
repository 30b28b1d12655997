"""Applications (家长书面委托申请), the review chain, club choices, lotteries and the notice outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrollmentWindow(models.Model):
    """When a term's applications open and close, and how long a waitlist offer stands."""

    term = models.OneToOneField(
        "schools.Term", on_delete=models.CASCADE, related_name="enrollment_window", verbose_name=_("term")
    )
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    offer_days = models.PositiveSmallIntegerField(
        _("days to accept a waitlist place"), default=3
    )

    class Meta:
        verbose_name = _("enrollment window")
        verbose_name_plural = _("enrollment windows")

    def __str__(self) -> str:
        return f"{self.term} {self.opens_at:%Y-%m-%d %H:%M}–{self.closes_at:%Y-%m-%d %H:%M}"


class Application(models.Model):
    """One guardian's written application for their children in a term (one submission).

    It keeps exactly what the guardian saw: the plan version and its fee figures.
    """

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="applications")
    guardian = models.ForeignKey(
        "people.Guardian", on_delete=models.PROTECT, related_name="applications", verbose_name=_("guardian")
    )
    plan = models.ForeignKey("plans.SchoolPlan", on_delete=models.PROTECT, related_name="+")
    plan_version = models.PositiveIntegerField(_("plan version"))
    fees_seen = models.JSONField(_("fee figures shown"), default=dict)
    agreement_accepted_at = models.DateTimeField(_("service agreement accepted"))
    # A double-click or a retried request with the same key gives this same application.
    idempotency_key = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["guardian", "idempotency_key"], name="application_idempotent"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian} {self.term} #{self.pk}"


class ChildApplication(models.Model):
    """The application for one child: services wanted, insurance, status in the review chain."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the head teacher")
        CLASS_APPROVED = "class_approved", _("Waiting for the school")
        SCHOOL_APPROVED = "school_approved", _("Waiting for the parent committee")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned to the guardian")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="children")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey("schools.Term", on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(
        "people.Student", on_delete=models.PROTECT, related_name="applications", verbose_name=_("student")
    )
    wants_after_school = models.BooleanField(_("after-school care"), default=False)
    wants_noon_care = models.BooleanField(_("noon care"), default=False)
    wants_meals = models.BooleanField(_("school lunch"), default=False)
    keep_with_siblings = models.BooleanField(_("keep with brothers and sisters"), default=False)
    insurer = models.CharField(_("insurer"), max_length=100, blank=True)
    insurance_policy = models.CharField(_("insurance policy number"), max_length=64, blank=True)
    insurance_start = models.DateField(_("insurance from"), null=True, blank=True)
    insurance_end = models.DateField(_("insurance until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    # A public, unguessable receipt: the guardian checks published lottery results with it.
    receipt = models.CharField(_("receipt"), max_length=16, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("child's application")
        verbose_name_plural = _("children's applications")
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "student"],
                condition=~Q(status="withdrawn"),
                name="one_live_application_per_child",
            ),
        ]
        indexes = [models.Index(fields=["school", "term", "status"])]

    def __str__(self) -> str:
        return f"{self.student} ({self.get_status_display()})"


class Review(models.Model):
    """One step of the chain: head teacher, school, parent committee — who, when, why."""

    class Step(models.TextChoices):
        CLASS = "class_review", _("Head teacher's review")
        SCHOOL = "school_review", _("School's approval")
        COMMITTEE = "parent_committee_review", _("Parent committee's review")

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    child_application = models.ForeignKey(ChildApplication, on_delete=models.CASCADE, related_name="reviews")
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.get_decision_display()}"


class Choice(models.Model):
    """A ranked choice of a club or interest group, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for allocation")
        PLACED = "placed", _("Place given")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Place offered: accept by the deadline")
        REFUSED = "refused", _("No place")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Statuses that hold one of the offering's places.
    HOLDS_PLACE = (Status.PLACED, Status.OFFERED)

    child_application = models.ForeignKey(ChildApplication, on_delete=models.CASCADE, related_name="choices")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey("programs.Offering", on_delete=models.PROTECT, related_name="choices")
    rank = models.PositiveSmallIntegerField(_("rank"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    tier = models.PositiveSmallIntegerField(_("priority tier"), null=True, blank=True)
    lottery_position = models.PositiveIntegerField(_("lottery position"), null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(_("waiting list position"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("accept by"), null=True, blank=True)
    why = models.CharField(_("why"), max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["child_application_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["child_application", "offering"], name="offering_chosen_once"),
            models.UniqueConstraint(fields=["child_application", "rank"], name="rank_used_once"),
        ]
        indexes = [models.Index(fields=["offering", "status"])]

    def __str__(self) -> str:
        return f"{self.child_application.student} → {self.offering} ({self.get_status_display()})"


class LotteryDraw(models.Model):
    """A published, re-runnable lottery for one over-full offering.

    Published: the seed, the sorted receipts, the lottery order, tier sizes and per-tier
    cut-offs. Not published: which receipt is in which tier (it would disclose family
    situations); only the input hash commits to it, and each guardian sees their own.
    """

    offering = models.ForeignKey("programs.Offering", on_delete=models.PROTECT, related_name="draws")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("choice rank drawn"))
    places = models.PositiveIntegerField(_("places available"))
    seed = models.CharField(_("seed"), max_length=128)
    receipts = models.JSONField(_("receipts in the draw"))  # sorted, public
    input_hash = models.CharField(_("input hash"), max_length=64)  # sha256 of receipts with tiers
    order = models.JSONField(_("lottery order"))  # receipts by sha256(seed:receipt), public
    tier_sizes = models.JSONField(_("tier sizes"))
    cutoffs = models.JSONField(_("last placed lottery position per tier"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lottery draw")
        verbose_name_plural = _("lottery draws")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.offering} {self.created_at:%Y-%m-%d %H:%M}"
