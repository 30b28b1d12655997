"""Page cost does not grow with the roster (DESIGN.md §4): the roll-call page and the duty
screen run the same number of queries for 10 children as for 200."""

from __future__ import annotations

from django.urls import reverse

from attendance.services import report_leave, take_roll_call
from attendance.tests.conftest import DAY, at
from lib import testing as make
from people.actor import actor_for
from programs.models import CareGroupMember

Q = f"?date={DAY.isoformat()}"


def _grow_group(care, school_class, total: int) -> None:
    """Add children to the care group until it has ``total``, with marks for all of them."""
    group = care["group"]
    have = CareGroupMember.objects.filter(group=group).count()
    new = [make.make_student(school_class, name=f"学生{have + i}") for i in range(total - have)]
    CareGroupMember.objects.bulk_create(
        [CareGroupMember(group=group, student=s, school_class=school_class) for s in new])
    ids = CareGroupMember.objects.filter(group=group).values_list("student_id", flat=True)
    take_roll_call(actor=actor_for(care["care_teacher"].user), date=DAY, care_group=group,
                   marks=dict.fromkeys(ids, "present"), now=at(16, 35))


def _count(client, url, django_assert_max_num_queries, limit=60) -> int:
    with django_assert_max_num_queries(limit) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_roll_call_page_queries_do_not_grow_with_children(
    care, class_a, child_b, guardian_b, as_user, django_assert_max_num_queries,
):
    report_leave(student=child_b, actor=actor_for(guardian_b.user), date=DAY, reason="发烧", now=at(8, 0))
    client = as_user(care["care_teacher"])
    url = reverse("attendance:group_roll", args=[care["group"].pk]) + Q
    _grow_group(care, class_a, 10)
    few = _count(client, url, django_assert_max_num_queries)
    _grow_group(care, class_a, 200)
    with django_assert_max_num_queries(few):
        html = client.get(url).content.decode()
    assert html.count('class="roll-row"') == 200


def test_duty_screen_queries_do_not_grow_with_children(care, class_a, as_user, django_assert_max_num_queries):
    client = as_user(care["duty"])
    url = reverse("attendance:duty") + Q
    _grow_group(care, class_a, 10)
    few = _count(client, url, django_assert_max_num_queries)
    _grow_group(care, class_a, 200)
    with django_assert_max_num_queries(few):
        html = client.get(url).content.decode()
    assert "学生199" in html  # after 18:45 nobody picked up: every child is listed
