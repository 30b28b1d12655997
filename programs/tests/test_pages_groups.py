"""The group forming report (编班), its action for leaders and its command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lib import testing as make
from programs.models import CareGroupMember, GroupFormingRun
from programs.selectors import care_participants
from programs.tests.conftest import term_with_plan


@pytest.fixture
def term7(school_a):
    return term_with_plan(school_a, "p7")


@pytest.fixture
def rooms(school_a, class_a, child_a, child_b):
    """三年级2班 (class_a: 张小明, 刘小红) and 四年级1班 (王小刚) with their home rooms."""
    class_a.home_room = make.make_venue(school_a, name="3-2教室", capacity=45)
    class_a.save(update_fields=["home_room"])
    grade4 = make.make_class(school_a, grade=4, number=1)
    grade4.home_room = make.make_venue(school_a, name="4-1教室", capacity=45)
    grade4.save(update_fields=["home_room"])
    return make.make_student(grade4, name="王小刚")


def _url(term, service="noon_care"):
    return reverse("programs:groups") + f"?term={term.pk}&service={service}"


def test_care_participants_are_every_active_student_for_now(term7, rooms, child_a, child_b, school_b):
    make.make_student(make.make_class(school_b), name="外校生")
    gone = make.make_student(child_a.school_class, name="已转学", is_active=False)
    ids = care_participants(term7, "noon_care")
    assert sorted(ids) == sorted([child_a.pk, child_b.pk, rooms.pk]) and gone.pk not in ids


def test_a_leader_forms_the_groups_and_the_report_names_every_student(as_user, principal, term7, rooms):
    """Plan 7: fewer than 30 from each class, so 三年级2班 (2) and 四年级1班 (1), adjacent
    grades, merge into one group of 3 in 3-2教室 (45 places)."""
    client = as_user(principal)
    response = client.post(reverse("programs:form_groups"), {"term": term7.pk, "service": "noon_care"},
                           follow=True)
    assert response.status_code == 200
    run = GroupFormingRun.objects.get()
    assert run.service == "noon_care" and CareGroupMember.objects.count() == 3
    [group] = response.context["groups"]
    assert group.students == ["刘小红", "张小明", "王小刚"]
    text = response.content.decode()
    assert "3-2教室" in text and "张小明" in text
    assert rooms.student_number not in text  # names only


def test_a_rerun_lists_the_changes(as_user, principal, term7, rooms, class_a):
    client = as_user(principal)
    client.post(reverse("programs:form_groups"), {"term": term7.pk, "service": "noon_care"})
    newcomer = make.make_student(class_a, name="赵小丽")
    client.post(reverse("programs:form_groups"), {"term": term7.pk, "service": "noon_care"})
    response = client.get(_url(term7))
    assert response.context["run"].changes == [
        {"student": newcomer.pk, "name": "赵小丽", "from": "", "to": response.context["groups"][0].group.name}
    ]
    assert "赵小丽" in response.content.decode()


def test_a_teacher_reads_the_report_but_cannot_form_groups(as_user, teacher, term7, rooms):
    client = as_user(teacher)
    assert client.get(_url(term7)).status_code == 200
    response = client.post(reverse("programs:form_groups"), {"term": term7.pk, "service": "noon_care"})
    assert response.status_code == 403 and not GroupFormingRun.objects.exists()


def test_a_class_without_a_home_room_is_refused_with_a_message(as_user, principal, term7, rooms, school_a):
    make.make_student(make.make_class(school_a, grade=5, number=1), name="孙小五")
    response = as_user(principal).post(
        reverse("programs:form_groups"), {"term": term7.pk, "service": "noon_care"}, follow=True
    )
    assert any("五年级1班" in str(m) for m in response.context["messages"])
    assert not GroupFormingRun.objects.exists()


def test_the_command_forms_the_same_groups(term7, rooms, capsys):
    call_command("form_groups", "--term", str(term7.pk), "--service", "noon_care")
    out = capsys.readouterr().out
    assert "3-2教室" in out and "1 groups" in out
    assert CareGroupMember.objects.count() == 3


def test_the_command_reports_a_refusal(term7, rooms, school_a):
    make.make_student(make.make_class(school_a, grade=5, number=1), name="孙小五")
    with pytest.raises(CommandError, match="五年级1班"):
        call_command("form_groups", "--term", str(term7.pk), "--service", "noon_care")


def test_the_report_reads_more_than_a_thousand_students(as_user, principal, term7, school_a):
    """A prefetch of students by id once failed on SQLite past 1,000 ids (expression depth)."""
    from people.models import Student

    classes = []
    for number in range(1, 26):
        cls = make.make_class(school_a, grade=3, number=number)
        cls.home_room = make.make_venue(school_a, name=f"3-{number}教室", capacity=50)
        cls.save(update_fields=["home_room"])
        classes.append(cls)
    Student.objects.bulk_create(
        Student(school=school_a, school_class=classes[i % 25], name=f"学生{i}", pinyin=f"xs{i}",
                gender="F", birth_date="2017-01-01", student_number=f"B{i:05d}")
        for i in range(1100)
    )
    client = as_user(principal)
    client.post(reverse("programs:form_groups"), {"term": term7.pk, "service": "noon_care"})
    response = client.get(_url(term7))
    assert response.status_code == 200 and response.context["student_count"] == 1100
