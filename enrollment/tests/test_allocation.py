"""Over-full offerings: priority tiers, then a seeded lottery anyone can re-run (plan 7 三:
优先保障进城务工人员随迁子女、单亲家庭子女、留守儿童、家庭经济困难学生和低年级学生)."""

from __future__ import annotations

import datetime as dt

import pytest

from enrollment.allocation import allocate_term, answer_offer, expire_offers
from enrollment.lottery import lottery_order
from enrollment.models import ChildApplication, Choice, LotteryDraw
from enrollment.services import ChildRequest, submit_application
from enrollment.tests.conftest import OPEN_NOW, open_club, published_term
from lib import testing as make


def _approved(guardian, term, student, offering_ids, *, key=None, keep=False, siblings=()):
    requests = [ChildRequest(student_id=s.pk, choices=list(offering_ids), keep_with_siblings=keep)
                for s in (student, *siblings)]
    application = submit_application(guardian=guardian, term=term, children=requests,
                                     idempotency_key=key or f"k{student.pk}", agreement_accepted=True, now=OPEN_NOW)
    application.children.update(status=ChildApplication.Status.APPROVED)
    return application


def _status(student):
    return Choice.objects.get(child_application__student=student).status


@pytest.fixture
def p7_term(school_a):
    """Plan 7's priority order (migrant, single-parent, left-behind, low-income, then grades
    1–2) on plan 2's after-school service: plan 7's own noon care is not 课后服务 under the
    2024 national rule, so plan 7 as written cannot be published for a 2026 term."""
    from plans.presets import load_preset

    def plan_7_selection(document):
        document["selection"] = load_preset("p7").document["selection"]

    return published_term(school_a, "p2", plan_7_selection)


@pytest.mark.parametrize("seed", ["a", "b", "c", "d", "e", "f"])
def test_low_income_child_is_placed_before_a_child_without_flags(p7_term, class_a, seed):
    """One place, two grade-3 applicants: the low-income child is in tier 4 (index 3), the
    other in the last tier (5), so the low-income child gets the place whatever the seed."""
    club = open_club(p7_term, capacity=1, grades=[3])
    poor = make.make_student(class_a, name="困难生", is_low_income=True)
    plain = make.make_student(class_a, name="普通生")
    _approved(make.make_guardian(plain), p7_term, plain, [club.pk])  # applied first, too
    _approved(make.make_guardian(poor), p7_term, poor, [club.pk])
    allocate_term(term=p7_term, acting_user=None, seed=seed, now=OPEN_NOW)
    assert _status(poor) == Choice.Status.PLACED
    assert _status(plain) == Choice.Status.WAITLISTED
    poor_choice = Choice.objects.get(child_application__student=poor)
    assert poor_choice.tier == 3 and "3" not in str(poor_choice.tier + 2)  # tier shown as 4 to the family
    assert "4" in poor_choice.why


def test_lottery_is_reproducible_from_the_published_draw(p7_term, class_a):
    club = open_club(p7_term, capacity=3, grades=[3])
    kids = [make.make_student(class_a, name=f"学生{i}") for i in range(8)]
    for kid in kids:
        _approved(make.make_guardian(kid), p7_term, kid, [club.pk])
    allocate_term(term=p7_term, acting_user=None, seed="2026-09-01 上证收盘 3312.45", now=OPEN_NOW)
    published = LotteryDraw.objects.get()
    # Anyone re-runs the order from the seed and the receipts alone.
    assert lottery_order(published.seed, published.receipts) == published.order
    assert published.tier_sizes == {"5": 8} and published.places == 3
    # Everyone is in the same tier, so the first three of the order are placed.
    placed = set(
        Choice.objects.filter(status=Choice.Status.PLACED).values_list("child_application__receipt", flat=True)
    )
    assert placed == set(published.order[:3])
    assert published.cutoffs == {"5": 3}
    # The published draw names no child and no family situation.
    text = str(published.receipts) + str(published.order) + str(published.tier_sizes)
    assert all(kid.name not in text for kid in kids) and "low_income" not in text
    # Waiting list in lottery order.
    waiting = list(
        Choice.objects.filter(status=Choice.Status.WAITLISTED).order_by("waitlist_position")
        .values_list("child_application__receipt", flat=True)
    )
    assert waiting == published.order[3:]


def test_siblings_kept_together_where_places_allow(p7_term, class_a):
    """Two places; a pair of siblings asking to stay together and one other child, all in
    the same tier. Whoever draws first, no place stays empty and the pair is never split
    when it fits: either the pair gets both places, or the single child plus one sibling."""
    club = open_club(p7_term, capacity=2, grades=[3])
    elder, younger = make.make_student(class_a, name="哥哥"), make.make_student(class_a, name="弟弟")
    single = make.make_student(class_a, name="独生")
    _approved(make.make_guardian(elder, younger), p7_term, elder, [club.pk], keep=True, siblings=[younger])
    _approved(make.make_guardian(single), p7_term, single, [club.pk])
    allocate_term(term=p7_term, acting_user=None, seed="s1", now=OPEN_NOW)
    placed = set(Choice.objects.filter(status="placed").values_list("child_application__student__name", flat=True))
    assert len(placed) == 2
    assert placed == {"哥哥", "弟弟"} or "独生" in placed


def test_second_choice_when_the_first_is_full(p7_term, class_a):
    chess = open_club(p7_term, name="象棋兴趣小组", capacity=1, grades=[3])
    art = open_club(p7_term, name="美术兴趣小组", capacity=5, grades=[3])
    a, b = make.make_student(class_a, name="甲", is_migrant_child=True), make.make_student(class_a, name="乙")
    _approved(make.make_guardian(a), p7_term, a, [chess.pk, art.pk])
    _approved(make.make_guardian(b), p7_term, b, [chess.pk, art.pk])
    allocate_term(term=p7_term, acting_user=None, seed="x", now=OPEN_NOW)
    by = {(c.child_application.student.name, c.offering.name): c.status for c in Choice.objects.select_related("child_application__student", "offering")}
    assert by[("甲", "象棋兴趣小组")] == "placed"
    assert by[("甲", "美术兴趣小组")] == "refused"  # placed in a higher choice
    assert by[("乙", "象棋兴趣小组")] == "waitlisted"
    assert by[("乙", "美术兴趣小组")] == "placed"


def test_accepting_an_offer_releases_the_lower_place_and_expiry_moves_on(p7_term, class_a):
    chess = open_club(p7_term, name="象棋兴趣小组", capacity=1, grades=[3])
    art = open_club(p7_term, name="美术兴趣小组", capacity=1, grades=[3])
    a, b, c = (make.make_student(class_a, name=n) for n in ("甲", "乙", "丙"))
    a.is_migrant_child = True
    a.save()
    ga, gb, gc = make.make_guardian(a), make.make_guardian(b), make.make_guardian(c)
    _approved(ga, p7_term, a, [chess.pk])
    _approved(gb, p7_term, b, [chess.pk, art.pk])
    _approved(gc, p7_term, c, [art.pk])
    allocate_term(term=p7_term, acting_user=None, seed="x", now=OPEN_NOW)
    # 乙 waits for chess and holds art; 丙 then waits for art (or the other way round).
    a_choice = Choice.objects.get(child_application__student=a)
    a_choice.status = Choice.Status.DECLINED  # 甲 leaves chess
    a_choice.save()
    from enrollment.allocation import promote_waitlist

    [offer] = promote_waitlist(offering_id=chess.pk, now=OPEN_NOW)
    assert offer.child_application.student == b
    answer_offer(choice=offer, guardian_id=gb.pk, accept=True, now=OPEN_NOW)
    b_art = Choice.objects.get(child_application__student=b, offering=art)
    assert b_art.status in ("declined", "waitlisted", "refused")
    if Choice.objects.filter(child_application__student=c, status="offered").exists():
        later = OPEN_NOW + dt.timedelta(days=4)
        assert expire_offers(now=later) == 1
        assert Choice.objects.get(child_application__student=c).status == "declined"
    assert Choice.objects.filter(offering=art, status__in=["placed", "offered"]).count() <= 1
