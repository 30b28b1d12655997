"""Plan pages: leaders edit drafts, nobody edits a published plan, others are refused."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from plans import services
from plans.models import SchoolPlan


def _draft(term, staff, key="p1"):
    return services.create_draft_from_preset(term=term, preset_key=key, acting_user=staff.user)


def _sections(plan, **changes):
    data = {
        k: json.dumps(v, ensure_ascii=False)
        for k, v in plan.document.items()
        if k != "schema_version"
    }
    data.update({k: json.dumps(v, ensure_ascii=False) for k, v in changes.items()})
    return data


def test_the_principal_makes_a_draft_from_a_preset(as_user, principal, term_2022):
    response = as_user(principal).post(
        reverse("plans:create"), {"term": term_2022.pk, "preset": "p7"}
    )
    plan = SchoolPlan.objects.get()
    assert response.status_code == 302
    assert (plan.preset_key, plan.version, plan.status) == ("p7", 1, "draft")


def test_a_teacher_may_read_but_not_edit(as_user, teacher, principal, term_2022):
    plan = _draft(term_2022, principal)
    client = as_user(teacher)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    assert client.post(reverse("plans:edit", args=[plan.pk]), _sections(plan)).status_code == 403
    assert (
        client.post(reverse("plans:create"), {"term": term_2022.pk, "preset": "p1"}).status_code
        == 403
    )


def test_guardians_and_other_schools_see_no_drafts(
    as_user, guardian_a, outsider, principal, term_2022
):
    plan = _draft(term_2022, principal)
    assert as_user(guardian_a).get(reverse("plans:detail", args=[plan.pk])).status_code == 403
    assert as_user(outsider).get(reverse("plans:detail", args=[plan.pk])).status_code == 404


def test_the_edit_page_saves_a_valid_draft(as_user, principal, term_2022):
    plan = _draft(term_2022, principal)
    fees = plan.document["fees"]
    fees["items"][0]["amount"] = "320.00"
    response = as_user(principal).post(
        reverse("plans:edit", args=[plan.pk]), _sections(plan, fees=fees)
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.document["fees"]["items"][0]["amount"] == "320.00"


def test_the_edit_page_shows_field_errors_and_changes_nothing(as_user, principal, term_2022):
    plan = _draft(term_2022, principal)
    fees = plan.document["fees"]
    fees["items"][0]["amount"] = "abc"
    response = as_user(principal).post(
        reverse("plans:edit", args=[plan.pk]), _sections(plan, fees=fees)
    )
    assert response.status_code == 400
    assert "fees.items.0.amount" not in response.content.decode()  # labels, not raw paths
    plan.refresh_from_db()
    assert plan.document["fees"]["items"][0]["amount"] == "350.00"


def test_a_published_plan_cannot_be_edited_on_the_page(as_user, principal, published_p1):
    fees = published_p1.document["fees"]
    fees["items"][0]["amount"] = "100.00"
    response = as_user(principal).post(
        reverse("plans:edit", args=[published_p1.pk]), _sections(published_p1, fees=fees)
    )
    assert response.status_code == 409
    published_p1.refresh_from_db()
    assert published_p1.document["fees"]["items"][0]["amount"] == "350.00"


def test_approve_and_publish_from_the_page(as_user, principal, term_2022):
    plan = _draft(term_2022, principal)
    client = as_user(principal)
    client.post(
        reverse("plans:approve", args=[plan.pk]), {"meeting_date": "2022-08-30", "attendance": "11"}
    )
    client.post(reverse("plans:publish", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "published"
    assert plan.document["governance"]["parent_committee_approval"]["date"] == "2022-08-30"
    assert AuditEvent.objects.filter(action="plan.published", subject_id=str(plan.pk)).exists()


def test_publishing_over_a_cap_shows_the_chinese_message(as_user, principal, term_2022):
    plan = _draft(term_2022, principal)
    document = plan.document
    document["fees"]["items"][0]["amount"] = "400.00"
    plan = services.update_draft(plan=plan, document=document, acting_user=principal.user)
    client = as_user(principal)
    client.post(reverse("plans:approve", args=[plan.pk]), {"meeting_date": "2022-08-30"})
    page = client.post(reverse("plans:publish", args=[plan.pk]), follow=True).content.decode()
    assert "上限为350.00 元，超出50.00 元" in page
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_the_diff_page_lists_changed_fields(as_user, principal, published_p1):
    draft = services.new_draft_from(plan=published_p1, acting_user=principal.user)
    document = draft.document
    document["fees"]["items"][0]["amount"] = "300.00"
    document["grouping"]["min_from_one_class"] = 25
    services.update_draft(plan=draft, document=document, acting_user=principal.user)
    page = (
        as_user(principal)
        .get(reverse("plans:diff", args=[draft.pk, published_p1.pk]))
        .content.decode()
    )
    assert "fees.items.0.amount" in page and "350.00" in page and "300.00" in page
    assert "grouping.min_from_one_class" in page
    assert "governance.parent_committee_approval.date" in page  # the new draft is not approved yet


def test_the_public_notice_needs_no_login_and_holds_no_personal_data(
    client, published_p1, child_a, guardian_a
):
    url = reverse("plans:notice", args=[published_p1.school.code, published_p1.term_id])
    page = client.get(url).content.decode()
    assert "350.00" in page and "0557-1234567" in page
    assert child_a.name not in page and guardian_a.name not in page and guardian_a.phone not in page


def test_a_draft_has_no_public_notice(client, principal, term_2022):
    plan = _draft(term_2022, principal)
    url = reverse("plans:notice", args=[plan.school.code, plan.term_id])
    assert client.get(url).status_code == 404


def test_a_leader_cannot_make_a_plan_for_another_schools_term(as_user, outsider, term_2022):
    response = as_user(outsider).post(
        reverse("plans:create"), {"term": term_2022.pk, "preset": "p1"}
    )
    assert response.status_code == 404
    assert not SchoolPlan.objects.exists()


def _figures(plan, **changes):
    from plans.forms import key_paths

    data = {}
    for path, _label, _kind in key_paths(plan.document):
        value = plan.document
        for part in path.split("."):
            value = value[int(part)] if isinstance(value, list) else value[part]
        data[path] = "" if value is None else value
    data.update(changes)
    return data


def test_the_figures_form_changes_the_meal_price(as_user, principal, term_2022):
    plan = _draft(term_2022, principal, key="p7")
    response = as_user(principal).post(
        reverse("plans:figures", args=[plan.pk]),
        _figures(plan, **{"fees.meals.price_per_meal": "14.50"}),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.document["fees"]["meals"]["price_per_meal"] == "14.50"


def test_the_figures_form_uses_the_same_validator(as_user, principal, term_2022):
    """A fraction of a fen is refused with the message parse_document gives everywhere."""
    from plans.policy import PlanInvalid, parse_document

    plan = _draft(term_2022, principal)
    document = plan.document
    document["fees"]["items"][0]["amount"] = "350.001"
    with pytest.raises(PlanInvalid) as exc:
        parse_document(document)
    ((_path, expected),) = exc.value.errors
    response = as_user(principal).post(
        reverse("plans:figures", args=[plan.pk]),
        _figures(plan, **{"fees.items.0.amount": "350.001"}),
    )
    assert response.status_code == 400
    assert escape(expected) in response.content.decode()
    plan.refresh_from_db()
    assert plan.document["fees"]["items"][0]["amount"] == "350.00"


def test_the_figures_form_refuses_a_published_plan(as_user, principal, published_p1):
    response = as_user(principal).post(
        reverse("plans:figures", args=[published_p1.pk]),
        _figures(published_p1, **{"fees.items.0.amount": "1.00"}),
    )
    assert response.status_code == 409
    published_p1.refresh_from_db()
    assert published_p1.document["fees"]["items"][0]["amount"] == "350.00"
