"""Draft → approved (parent committee) → published; a published version never changes."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from plans import services
from plans.models import PublishedPlanIsFrozen, SchoolPlan
from plans.policy import PlanInvalid
from plans.presets import PRESET_KEYS
from plans.tests.conftest import approved


@pytest.mark.parametrize("key", PRESET_KEYS)
def test_every_preset_publishes(key, term_2022, principal):
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key=key, acting_user=principal.user
    )
    assert services.publication_problems(approved(plan)) == []
    plan = services.publish(plan=plan, acting_user=principal.user)
    assert plan.status == SchoolPlan.Status.PUBLISHED


def test_a_draft_from_a_preset_drops_the_seed_schools_committee_record(term_2022, principal):
    """Plan 7 was approved by its own 家委会 on 2022.2.10; that is not this school's approval."""
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p7", acting_user=principal.user
    )
    assert plan.document["governance"]["parent_committee_approval"] is None
    assert plan.document["governance"]["complaint_phone"] == "0557-1234567"


def test_a_draft_cannot_be_published_before_approval(term_2022, principal):
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    with pytest.raises(services.PlanNotPublishable):
        services.publish(plan=plan, acting_user=principal.user)


def test_publishing_writes_an_audit_row(published_p1, principal):
    event = AuditEvent.objects.get(action="plan.published")
    assert event.subject_id == str(published_p1.pk)
    assert event.actor == principal.user
    assert event.school_id == published_p1.school_id


def test_a_published_plan_cannot_be_edited_by_the_service(published_p1, principal):
    with pytest.raises(PublishedPlanIsFrozen):
        services.update_draft(
            plan=published_p1, document=published_p1.document, acting_user=principal.user
        )


def test_a_published_plan_cannot_be_saved_updated_or_deleted(published_p1):
    published_p1.document["title"] = "改过的标题"
    with pytest.raises(PublishedPlanIsFrozen):
        published_p1.save()
    with pytest.raises(PublishedPlanIsFrozen):
        SchoolPlan.objects.filter(pk=published_p1.pk).update(document={})
    with pytest.raises(PublishedPlanIsFrozen):
        published_p1.delete()
    with pytest.raises(PublishedPlanIsFrozen):
        SchoolPlan.objects.filter(pk=published_p1.pk).delete()
    published_p1.refresh_from_db()
    assert published_p1.document["title"] == "课后服务收费管理与分配方案"


def test_editing_a_published_plan_makes_a_new_draft(published_p1, principal):
    draft = services.new_draft_from(plan=published_p1, acting_user=principal.user)
    assert (draft.version, draft.status, draft.based_on) == (2, "draft", published_p1)
    document = draft.document
    document["fees"]["items"][0]["amount"] = "300.00"
    services.update_draft(plan=draft, document=document, acting_user=principal.user)
    published_p1.refresh_from_db()
    assert published_p1.document["fees"]["items"][0]["amount"] == "350.00"


def test_editing_an_approved_plan_sends_it_back_to_draft(term_2022, principal):
    plan = approved(
        services.create_draft_from_preset(
            term=term_2022, preset_key="p1", acting_user=principal.user
        )
    )
    document = plan.document
    document["title"] = "新标题"
    plan = services.update_draft(plan=plan, document=document, acting_user=principal.user)
    assert plan.status == SchoolPlan.Status.DRAFT
    assert plan.document["governance"]["parent_committee_approval"] is None


def test_an_invalid_document_changes_nothing(term_2022, principal):
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    document = plan.document
    document["fees"]["items"][0]["amount"] = 350.5  # a float: refused
    with pytest.raises(PlanInvalid) as exc:
        services.update_draft(plan=plan, document=document, acting_user=principal.user)
    assert exc.value.errors[0][0] == "fees.items.0.amount"
    plan.refresh_from_db()
    assert plan.document["fees"]["items"][0]["amount"] == "350.00"


def test_a_plan_without_complaint_phone_is_not_published(term_2022, principal):
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    document = plan.document
    document["governance"]["complaint_phone"] = ""
    plan = approved(services.update_draft(plan=plan, document=document, acting_user=principal.user))
    with pytest.raises(services.PlanNotPublishable) as exc:
        services.publish(plan=plan, acting_user=principal.user)
    assert len(exc.value.problems) == 1
