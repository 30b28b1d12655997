"""A hand-built end-of-term showcase (plan 6) for school A, in the coming January (``YEAR``), so
that guardians may still answer whatever day the tests run.

- 书法兴趣小组 meets on Monday, 篮球兴趣小组 on Wednesday, 少儿编程 on Thursday.
- 张小明 (guardians 张妈妈 and 张爸爸) and 刘小红 (刘爸爸) are placed in 书法; 王小军 (王妈妈)
  only waits for a place in it.
- 张小丽, 张小明's sister, is placed in 篮球; her guardians are 张妈妈 and 奶奶 (the grandmother
  is linked to her only).
- 陈小东 (陈妈妈) is in no course.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from enrollment.models import Application, ChildApplication, Choice
from events import services
from events.models import Form
from lib import testing as make
from people.models import StudentGuardian
from people.roles import Role
from plans.models import SchoolPlan
from programs.models import Offering, WeeklySlot
from programs.tests.conftest import term_with_plan

_receipts = iter(range(1, 10_000))
YEAR = timezone.localdate().year + 1  # the showcase is on 12 and 13 January of YEAR


def course(term, name: str, weekday: int, teacher, venue) -> Offering:
    offering = Offering.objects.create(
        school=term.school,
        term=term,
        kind=Offering.Kind.INTEREST_GROUP,
        name=name,
        grades=[1, 2, 3, 4, 5, 6],
        capacity=30,
        status=Offering.Status.OPEN,
        venue=venue,
    )
    offering.instructors.add(teacher)
    WeeklySlot.objects.create(
        offering=offering,
        weekday=weekday,
        start=dt.time(16, 30),
        end=dt.time(17, 30),
        venue=venue,
        instructor=teacher,
    )
    return offering


def place(term, student, guardian, offering, status=Choice.Status.PLACED) -> Choice:
    """Hand-build an approved application with one choice of ``offering`` in ``status``."""
    app = Application.objects.create(
        school=term.school,
        term=term,
        guardian=guardian,
        plan=SchoolPlan.objects.get(term=term),
        plan_version=1,
        agreement_accepted_at=timezone.now(),
        idempotency_key=f"k{next(_receipts)}",
    )
    child = ChildApplication.objects.create(
        application=app,
        school=term.school,
        term=term,
        student=student,
        status=ChildApplication.Status.APPROVED,
        receipt=f"R{next(_receipts):06d}",
    )
    return Choice.objects.create(
        child_application=child, school=term.school, offering=offering, rank=1, status=status
    )


def link(student, guardian, relation="father"):
    StudentGuardian.objects.create(
        school_id=student.school_id, student=student, guardian=guardian, relation=relation
    )


@pytest.fixture
def scene(school_a, class_a, principal, teacher, child_a, child_b, guardian_a, guardian_b):
    term = term_with_plan(school_a, "p2", start=dt.date(YEAR - 1, 9, 1), end=dt.date(YEAR, 1, 20))
    art = make.make_venue(school_a, name="一楼阶梯教室", kind="hall", capacity=120)
    gym = make.make_venue(school_a, name="室内体育馆", kind="gym", capacity=200)
    coach = make.make_staff(school_a, Role.TEACHER, name="袁老师")
    coder = make.make_staff(school_a, Role.TEACHER, name="王老师")
    calligraphy = course(term, "书法兴趣小组", 0, teacher, art)
    basketball = course(term, "篮球兴趣小组", 2, coach, gym)
    coding = course(term, "少儿编程", 3, coder, art)

    father = make.make_guardian(child_a, name="张爸爸")  # child_a = 张小明, guardian_a = 张妈妈
    sister = make.make_student(class_a, name="张小丽")
    link(sister, guardian_a, "mother")
    grandma = make.make_guardian(sister, name="奶奶")
    waiting = make.make_student(class_a, name="王小军")
    waiting_mum = make.make_guardian(waiting, name="王妈妈")
    loner = make.make_student(class_a, name="陈小东")
    loner_mum = make.make_guardian(loner, name="陈妈妈")

    place(term, child_a, guardian_a, calligraphy)
    place(term, child_b, guardian_b, calligraphy)  # child_b = 刘小红, guardian_b = 刘爸爸
    place(term, waiting, waiting_mum, calligraphy, status=Choice.Status.WAITLISTED)
    place(term, sister, guardian_a, basketball)

    user = principal.user
    showcase = services.create_showcase(
        term=term, title="秋季课后服务结业汇报", theme="做最好的自己！", acting_user=user
    )
    # Plan 6 四: 周一周三课后服务在1月12日结业汇报; 周二周四在1月13日.
    mon_wed = services.add_cohort(
        showcase=showcase,
        weekdays=[0, 2],
        date=dt.date(YEAR, 1, 12),
        start=dt.time(15, 30),
        end=dt.time(17, 30),
        acting_user=user,
    )
    tue_thu = services.add_cohort(
        showcase=showcase,
        weekdays=[1, 3],
        date=dt.date(YEAR, 1, 13),
        start=dt.time(15, 30),
        end=dt.time(17, 30),
        acting_user=user,
    )
    calligraphy_item = services.add_item(
        cohort=mon_wed,
        offering=calligraphy,
        form=Form.EXHIBITION,
        venue=art,
        start=dt.time(15, 30),
        end=dt.time(16, 30),
        lead=teacher,
        teachers=[coach],
        acting_user=user,
    )
    basketball_item = services.add_item(
        cohort=mon_wed,
        offering=basketball,
        form=Form.FRIENDLY_MATCH,
        venue=gym,
        start=dt.time(16, 0),
        end=dt.time(17, 0),
        lead=coach,
        teachers=[],
        acting_user=user,
    )
    coding_item = services.add_item(
        cohort=tue_thu,
        offering=coding,
        form=Form.DEMO_LESSON,
        venue=art,
        start=dt.time(15, 30),
        end=dt.time(16, 30),
        lead=coder,
        teachers=[],
        acting_user=user,
    )
    return SimpleNamespace(
        term=term,
        showcase=showcase,
        mon_wed=mon_wed,
        tue_thu=tue_thu,
        art=art,
        gym=gym,
        calligraphy=calligraphy_item,
        basketball=basketball_item,
        coding=coding_item,
        father=father,
        grandma=grandma,
        waiting_mum=waiting_mum,
        loner_mum=loner_mum,
        sister=sister,
        coach=coach,
        coder=coder,
    )
