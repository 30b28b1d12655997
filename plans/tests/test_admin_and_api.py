"""The admin and the API edit plans through the same validator; published plans stay frozen."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from ninja.testing import TestClient

from people.models import User
from plans import services
from plans.api import router
from plans.models import SchoolPlan


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser(username="root", password="x-Kehou-2026!")
    client.force_login(user, backend="people.auth.UsernameOrPhoneBackend")
    return client


@pytest.fixture
def api():
    return TestClient(router)


def _admin_post(plan, document):
    return {"document": json.dumps(document, ensure_ascii=False)}


def test_admin_adds_a_draft_from_a_preset(admin_client, term_2022):
    response = admin_client.post(
        reverse("admin:plans_schoolplan_add"),
        {"term": term_2022.pk, "preset_key": "p7", "document": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = SchoolPlan.objects.get()
    assert plan.preset_key == "p7"
    assert plan.document["governance"]["parent_committee_approval"] is None


def test_admin_edits_a_draft(admin_client, principal, term_2022):
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    document = plan.document
    document["title"] = "改后的方案"
    response = admin_client.post(
        reverse("admin:plans_schoolplan_change", args=[plan.pk]), _admin_post(plan, document)
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.document["title"] == "改后的方案"


def test_admin_and_page_refuse_a_bad_document_with_the_same_message(
    admin_client, as_user, principal, term_2022
):
    """One validator: the admin form and the plan page both call plans.policy.parse_document."""
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    document = plan.document
    document["windows"][0]["end"] = "16:00"  # before the start
    admin_page = admin_client.post(
        reverse("admin:plans_schoolplan_change", args=[plan.pk]), _admin_post(plan, document)
    ).content.decode()
    sections = {
        k: json.dumps(v, ensure_ascii=False) for k, v in document.items() if k != "schema_version"
    }
    page = as_user(principal).post(reverse("plans:edit", args=[plan.pk]), sections).content.decode()
    from plans.policy import PlanInvalid, parse_document

    with pytest.raises(PlanInvalid) as exc:
        parse_document(document)
    ((_path, message),) = exc.value.errors
    assert message in admin_page and message in page
    plan.refresh_from_db()
    assert plan.document["windows"][0]["end"] == "18:30"


def test_admin_shows_a_published_plan_read_only(admin_client, published_p1):
    url = reverse("admin:plans_schoolplan_change", args=[published_p1.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="document"' not in page.content.decode()
    document = dict(published_p1.document, title="改过")
    assert admin_client.post(url, _admin_post(published_p1, document)).status_code == 403
    delete = reverse("admin:plans_schoolplan_delete", args=[published_p1.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    published_p1.refresh_from_db()
    assert published_p1.document["title"] == "课后服务收费管理与分配方案"


def test_api_refuses_to_edit_a_published_plan(api, principal, published_p1):
    document = dict(published_p1.document, title="改过")
    response = api.put(
        f"/{published_p1.pk}/document", json={"document": document}, user=principal.user
    )
    assert response.status_code == 409
    published_p1.refresh_from_db()
    assert published_p1.document["title"] == "课后服务收费管理与分配方案"


def test_api_returns_field_errors_for_a_bad_document(api, principal, term_2022):
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    document = plan.document
    document["fees"]["items"][0]["amount"] = 350.5
    response = api.put(f"/{plan.pk}/document", json={"document": document}, user=principal.user)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "fees.items.0.amount"


def test_api_edits_a_draft_and_refuses_teachers_and_other_schools(
    api, principal, teacher, outsider, term_2022
):
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    document = dict(plan.document, title="新标题")
    assert (
        api.put(f"/{plan.pk}/document", json={"document": document}, user=teacher.user).status_code
        == 404
    )
    assert (
        api.put(f"/{plan.pk}/document", json={"document": document}, user=outsider.user).status_code
        == 404
    )
    response = api.put(f"/{plan.pk}/document", json={"document": document}, user=principal.user)
    assert response.status_code == 200
    assert response.json()["document"]["title"] == "新标题"


def test_api_publish_lists_the_breaches(api, principal, term_2022):
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    document = plan.document
    document["pay"]["cap_per_period"] = "70.00"
    plan = services.update_draft(plan=plan, document=document, acting_user=principal.user)
    services.approve(
        plan=plan, meeting_date=term_2022.start, attendance=None, acting_user=principal.user
    )
    response = api.post(f"/{plan.pk}/publish", user=principal.user)
    assert response.status_code == 409
    assert "超出10.00 元" in response.json()["errors"][0]["message"]
