"""The school's plan (一校一案): one versioned policy document per school per term."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedPlanIsFrozen(Exception):
    """A published plan never changes: make a new draft from it instead."""


class SchoolPlanQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(status=SchoolPlan.Status.PUBLISHED).exists():
            raise PublishedPlanIsFrozen("A published plan cannot be updated.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=SchoolPlan.Status.PUBLISHED).exists():
            raise PublishedPlanIsFrozen("A published plan cannot be deleted.")
        return super().delete()


class SchoolPlan(models.Model):
    """One version of a school's plan for a term: draft → approved → published.

    The ``document`` is the policy (see :mod:`plans.policy`); every later rule is read from
    it. A published version is frozen: saving, updating or deleting it raises
    :class:`PublishedPlanIsFrozen`; editing makes a new draft with the next version number.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved by the parent committee")
        PUBLISHED = "published", _("Published")

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="plans", verbose_name=_("school")
    )
    term = models.ForeignKey(
        "schools.Term", on_delete=models.PROTECT, related_name="plans", verbose_name=_("term")
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    document = models.JSONField(_("plan document"))
    preset_key = models.CharField(_("preset"), max_length=16, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approval recorded by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = SchoolPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("school plan")
        verbose_name_plural = _("school plans")
        ordering = ["school", "term", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["term", "version"], name="plan_version_unique_in_term"),
        ]

    def __str__(self) -> str:
        return f"{self.term} v{self.version} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.PUBLISHED:
                raise PublishedPlanIsFrozen("A published plan cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED:
            raise PublishedPlanIsFrozen("A published plan cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.PUBLISHED
