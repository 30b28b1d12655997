"""Guardian pages: one form for all children, idempotent, scoped to the family; the
applications page shows statuses, reasons and offers; the inbox marks notices read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enrollment.models import Application, ChildApplication, Choice, EnrollmentWindow, Review
from enrollment.services import ChildRequest, review, submit_application
from enrollment.tests.conftest import open_club, published_term
from lib import testing as make
from notices.models import Notice
from notices.services import notify
from people.actor import actor_for
from people.consent import give_consent


def open_now(term):
    """Move the term's enrollment window around the real clock: the pages apply "now"."""
    now = timezone.now()
    EnrollmentWindow.objects.filter(term=term).update(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10)
    )
    return term


def apply_now(guardian, term, *requests, key="k1"):
    """Submit through the service (for tests whose subject is a later page)."""
    return submit_application(guardian=guardian, term=term, children=list(requests),
                              idempotency_key=key, agreement_accepted=True)


@pytest.fixture
def term(lottery_term):
    return open_now(lottery_term)


@pytest.fixture
def family(class_a, child_a):
    """张妈妈 with 张小明 (grade 3) and 张小华 (grade 5)."""
    sibling = make.make_student(make.make_class(class_a.school, grade=5, number=1), name="张小华")
    guardian = make.make_guardian(child_a, sibling, name="张妈妈")
    return guardian, child_a, sibling


def _form_key(client, term) -> str:
    response = client.get(reverse("enrollment:apply", args=[term.pk]))
    assert response.status_code == 200
    return response.context["form"]["idempotency_key"].value()


def test_it_applies_for_two_children_in_one_post(as_user, term, family):
    guardian, child, sibling = family
    club = open_club(term, name="足球兴趣小组", grades=[3])
    client = as_user(guardian)
    page = client.get(reverse("enrollment:apply", args=[term.pk]))
    text = page.content.decode()
    assert "张小明" in text and "张小华" in text
    assert "3.00" in text  # plan 2's fee figure, from the published plan
    assert reverse("plans:notice", args=[term.school.code, term.pk]) in text
    assert "足球兴趣小组" in text
    key = page.context["form"]["idempotency_key"].value()
    response = client.post(reverse("enrollment:apply", args=[term.pk]), {
        "idempotency_key": key,
        f"c{child.pk}_after_school": "on",
        f"c{child.pk}_choice_1": str(club.pk),
        f"c{sibling.pk}_after_school": "on",
        f"c{sibling.pk}_keep": "on",
        "agreement_accepted": "on",
    })
    assert response.status_code == 302 and response["Location"] == reverse("enrollment:mine")
    application = Application.objects.get()
    assert application.guardian == guardian and application.idempotency_key == key
    children = {c.student_id: c for c in application.children.all()}
    assert set(children) == {child.pk, sibling.pk}
    assert list(children[child.pk].choices.values_list("offering_id", flat=True)) == [club.pk]
    assert children[sibling.pk].keep_with_siblings


def test_a_double_post_with_the_same_key_gives_one_application(as_user, term, family):
    guardian, child, _ = family
    client = as_user(guardian)
    data = {"idempotency_key": _form_key(client, term), f"c{child.pk}_after_school": "on",
            "agreement_accepted": "on"}
    first = client.post(reverse("enrollment:apply", args=[term.pk]), data)
    second = client.post(reverse("enrollment:apply", args=[term.pk]), data)
    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1 and ChildApplication.objects.count() == 1


def test_each_rendering_gets_a_new_key(as_user, term, family):
    client = as_user(family[0])
    assert _form_key(client, term) != _form_key(client, term)


def test_service_refusals_become_form_errors_and_save_nothing(as_user, term, family):
    guardian, child, _ = family
    client = as_user(guardian)
    url = reverse("enrollment:apply", args=[term.pk])
    key = _form_key(client, term)
    no_agreement = client.post(url, {"idempotency_key": key, f"c{child.pk}_after_school": "on"})
    assert no_agreement.status_code == 200 and no_agreement.context["form"].errors
    nothing_ticked = client.post(url, {"idempotency_key": key, "agreement_accepted": "on"})
    assert nothing_ticked.context["form"].non_field_errors()
    EnrollmentWindow.objects.filter(term=term).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    closed = client.post(url, {"idempotency_key": key, f"c{child.pk}_after_school": "on", "agreement_accepted": "on"})
    assert closed.status_code == 200
    # zh-hans is the default language: "Applications for this term have closed."
    assert any("本学期报名已截止" in e for e in closed.context["form"].non_field_errors())
    assert not Application.objects.exists()


def test_a_club_of_another_grade_is_not_offered_and_not_accepted(as_user, term, family):
    guardian, child, _ = family
    open_club(term, name="三年级面塑", grades=[3])
    sixth = open_club(term, name="六年级书法", grades=[6])
    client = as_user(guardian)
    page = client.get(reverse("enrollment:apply", args=[term.pk]))
    assert "六年级书法" not in page.content.decode()
    response = client.post(reverse("enrollment:apply", args=[term.pk]), {
        "idempotency_key": page.context["form"]["idempotency_key"].value(),
        f"c{child.pk}_choice_1": str(sixth.pk), "agreement_accepted": "on",
    })
    assert response.status_code == 200 and f"c{child.pk}_choice_1" in response.context["form"].errors
    assert not Application.objects.exists()


@pytest.fixture
def insured_term(school_a):
    """Plan 2 with plan 7's lunch (about 15 yuan a meal) and its insurance rule (八.3(4))."""
    from plans.presets import load_preset

    def lunch_and_insurance(document):
        document["fees"]["meals"] = load_preset("p7").document["fees"]["meals"]
        document["safety"]["insurance_required"] = True

    return open_now(published_term(school_a, "p2", lunch_and_insurance))


def test_plan_2_asks_for_no_meals_noon_care_or_insurance(as_user, term, family):
    guardian, child, _ = family
    form = as_user(guardian).get(reverse("enrollment:apply", args=[term.pk])).context["form"]
    assert f"c{child.pk}_after_school" in form.fields
    for name in ("meals", "noon_care", "insurer", "policy"):
        assert f"c{child.pk}_{name}" not in form.fields, name


def test_meals_and_insurance_are_asked_when_the_plan_has_them(as_user, insured_term, family):
    guardian, child, _ = family
    client = as_user(guardian)
    page = client.get(reverse("enrollment:apply", args=[insured_term.pk]))
    form = page.context["form"]
    assert f"c{child.pk}_meals" in form.fields and f"c{child.pk}_insurer" in form.fields
    assert "15.00" in page.content.decode()
    url = reverse("enrollment:apply", args=[insured_term.pk])
    key = form["idempotency_key"].value()
    missing = client.post(url, {"idempotency_key": key, f"c{child.pk}_meals": "on", "agreement_accepted": "on"})
    assert missing.status_code == 200 and missing.context["form"].non_field_errors()
    assert not Application.objects.exists()
    done = client.post(url, {
        "idempotency_key": key, f"c{child.pk}_meals": "on", "agreement_accepted": "on",
        f"c{child.pk}_insurer": "平安保险", f"c{child.pk}_policy": "PA-2026-001",
        f"c{child.pk}_ins_start": "2026-09-01", f"c{child.pk}_ins_end": "2027-01-31",
    })
    assert done.status_code == 302
    item = ChildApplication.objects.get()
    assert item.wants_meals and item.insurance_policy == "PA-2026-001"


def test_a_guardian_cannot_see_or_touch_another_familys_application(as_user, term, guardian_a, child_a, guardian_b):
    item = apply_now(guardian_a, term, ChildRequest(student_id=child_a.pk, after_school=True)).children.get()
    other = as_user(guardian_b)
    assert "张小明" not in other.get(reverse("enrollment:mine")).content.decode()
    assert other.post(reverse("enrollment:withdraw", args=[item.pk])).status_code == 404
    assert other.get(reverse("enrollment:resubmit", args=[item.pk])).status_code == 404
    assert other.get(reverse("enrollment:agreement_pdf", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.status == ChildApplication.Status.SUBMITTED


def test_staff_get_403_on_guardian_pages(as_user, term, teacher):
    client = as_user(teacher)
    for url in [reverse("enrollment:apply_index"), reverse("enrollment:apply", args=[term.pk]),
                reverse("enrollment:mine"), reverse("enrollment:inbox")]:
        assert client.get(url).status_code == 403, url


def test_the_returned_reason_shows_on_the_guardians_page_and_they_resubmit(as_user, term, guardian_a, child_a, teacher):
    item = apply_now(guardian_a, term, ChildRequest(student_id=child_a.pk, after_school=True)).children.get()
    review(child=item, step=Review.Step.CLASS, approve=False, reason="请补充接送人信息", actor=actor_for(teacher.user))
    client = as_user(guardian_a)
    assert "请补充接送人信息" in client.get(reverse("enrollment:mine")).content.decode()
    assert "请补充接送人信息" in client.get(reverse("enrollment:resubmit", args=[item.pk])).content.decode()
    assert client.post(reverse("enrollment:resubmit", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.status == ChildApplication.Status.SUBMITTED


def test_withdrawing_from_the_page(as_user, term, guardian_a, child_a):
    item = apply_now(guardian_a, term, ChildRequest(student_id=child_a.pk, after_school=True)).children.get()
    assert as_user(guardian_a).post(reverse("enrollment:withdraw", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.status == ChildApplication.Status.WITHDRAWN


@pytest.fixture
def first_come(first_come_term):
    return open_now(first_come_term)


def test_accepting_an_offered_place_from_the_page(as_user, first_come, guardian_a, child_a, guardian_b, child_b):
    club = open_club(first_come, capacity=1)
    mine = apply_now(guardian_a, first_come, ChildRequest(student_id=child_a.pk, choices=[club.pk])).children.get()
    apply_now(guardian_b, first_come, ChildRequest(student_id=child_b.pk, choices=[club.pk]), key="b")
    as_user(guardian_a).post(reverse("enrollment:withdraw", args=[mine.pk]))
    offered = Choice.objects.get(child_application__student=child_b)
    assert offered.status == Choice.Status.OFFERED
    client = as_user(guardian_b)
    page = client.get(reverse("enrollment:mine")).content.decode()
    assert reverse("enrollment:answer_offer", args=[offered.pk]) in page
    assert as_user(guardian_a).post(reverse("enrollment:answer_offer", args=[offered.pk]),
                                    {"answer": "accept"}).status_code == 404
    client.post(reverse("enrollment:answer_offer", args=[offered.pk]), {"answer": "accept"})
    offered.refresh_from_db()
    assert offered.status == Choice.Status.PLACED


def test_the_inbox_lists_newest_first_and_opening_marks_read(as_user, school_a, guardian_a, guardian_b):
    older = notify(guardian_id=guardian_a.pk, school_id=school_a.pk, kind="x", subject="第一条", body="甲")
    newer = notify(guardian_id=guardian_a.pk, school_id=school_a.pk, kind="x", subject="第二条", body="乙")
    Notice.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    theirs = notify(guardian_id=guardian_b.pk, school_id=school_a.pk, kind="x", subject="别人的", body="丙")
    client = as_user(guardian_a)
    inbox = client.get(reverse("enrollment:inbox"))
    assert [n.pk for n in inbox.context["page"]] == [newer.pk, older.pk]
    assert inbox.context["unread"] == 2 and "别人的" not in inbox.content.decode()
    assert client.get(reverse("enrollment:notice", args=[newer.pk])).status_code == 200
    newer.refresh_from_db()
    assert newer.read_at is not None
    assert client.get(reverse("enrollment:inbox")).context["unread"] == 1
    assert client.get(reverse("enrollment:notice", args=[theirs.pk])).status_code == 404


def test_the_guardian_home_links_to_applications_and_inbox(as_user, guardian_a):
    text = as_user(guardian_a).get(reverse("home")).content.decode()
    assert reverse("enrollment:mine") in text and reverse("enrollment:inbox") in text


def test_my_applications_costs_the_same_queries_for_one_and_three_children(as_user, term, class_a, guardian_a, child_a):
    club = open_club(term, capacity=10)
    apply_now(guardian_a, term, ChildRequest(student_id=child_a.pk, after_school=True, choices=[club.pk]))
    client = as_user(guardian_a)
    counts = []
    for round_ in range(2):
        if round_:
            more = [make.make_student(class_a, name=f"张小{n}") for n in "二三"]
            for student in more:
                guardian_a.student_links.create(school_id=student.school_id, student=student, relation="mother")
                give_consent(guardian=guardian_a, student_id=student.pk)
            apply_now(guardian_a, term, *[ChildRequest(student_id=s.pk, after_school=True, choices=[club.pk])
                                          for s in more], key="more")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("enrollment:mine")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_before_the_window_opens_the_plan_shows_but_the_form_does_not(as_user, term, family):
    EnrollmentWindow.objects.filter(term=term).update(opens_at=timezone.now() + dt.timedelta(days=2))
    response = as_user(family[0]).get(reverse("enrollment:apply", args=[term.pk]))
    assert response.status_code == 200 and not response.context["is_open"]
    text = response.content.decode()
    assert "3.00" in text and 'name="agreement_accepted"' not in text
