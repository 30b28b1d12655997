"""Published results (公示): the lottery anyone can re-run, a receipt check that shows a
position and never a tier, and rosters with masked names only, for the school community."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from enrollment.allocation import allocate_term
from enrollment.models import ChildApplication, Choice, LotteryDraw
from enrollment.services import ChildRequest
from enrollment.tests.conftest import open_club
from enrollment.tests.test_pages_guardian import apply_now, open_now
from lib import testing as make
from lib.identity import mask_name

ID_PATTERN = re.compile(r"\d{17}[\dXx]")


def test_mask_name_keeps_the_first_and_last_character():
    assert mask_name("张小明") == "张*明"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("李四") == "李*"
    assert mask_name("王") == "*"
    assert mask_name(" ") == "" and mask_name(None) == ""


@pytest.fixture
def drawn(lottery_term, class_a, guardian_a, child_a, guardian_b, child_b):
    """Three applicants for two places in 足球兴趣小组, drawn with the seed "20260831"."""
    term = open_now(lottery_term)
    club = open_club(term, capacity=2, grades=[3])
    third = make.make_student(class_a, name="王小刚")
    for guardian, child, key in ((guardian_a, child_a, "a"), (guardian_b, child_b, "b"),
                                 (make.make_guardian(third), third, "c")):
        apply_now(guardian, term, ChildRequest(student_id=child.pk, after_school=True, choices=[club.pk]), key=key)
    ChildApplication.objects.update(status=ChildApplication.Status.APPROVED)
    allocate_term(term=term, acting_user=None, seed="20260831")
    return club


def _lottery_url(club) -> str:
    return reverse("enrollment:lottery", args=[club.school.code, club.pk])


def test_the_lottery_is_public_and_anyone_can_rerun_it(client, drawn):
    response = client.get(_lottery_url(drawn))
    assert response.status_code == 200
    text = response.content.decode()
    draw = LotteryDraw.objects.get()
    assert draw.seed in text and draw.input_hash in text
    # Re-run from what the page publishes: sha256(seed + ":" + receipt), sorted.
    receipts = re.findall(r'<li value="\d+">([0-9A-F]{10})</li>', text)
    assert sorted(receipts) == draw.receipts
    rerun = sorted(receipts, key=lambda r: (hashlib.sha256(f"{draw.seed}:{r}".encode()).hexdigest(), r))
    assert rerun == receipts == draw.order
    for name in ("张小明", "刘小红", "王小刚", "张*明"):
        assert name not in text


def test_the_receipt_check_shows_the_position_but_never_the_tier(client, drawn, child_a):
    receipt = ChildApplication.objects.get(student=child_a).receipt
    response = client.get(_lottery_url(drawn), {"receipt": receipt.lower()})
    draw = LotteryDraw.objects.get()
    assert response.context["found"] == [(draw, draw.order.index(receipt) + 1)]
    check = response.content.decode().split("<form", 1)[1].split("</form>", 1)[0]
    choice = Choice.objects.get(child_application__student=child_a)
    assert f"{choice.lottery_position}" in check
    assert "tier " + str(choice.tier + 1) not in check.lower()
    assert client.get(_lottery_url(drawn), {"receipt": "FFFFFFFFFF"}).context["found"] == []


def test_the_guardian_sees_their_own_childs_tier_on_their_page(as_user, drawn, guardian_a, child_a):
    choice = Choice.objects.get(child_application__student=child_a)
    text = as_user(guardian_a).get(reverse("enrollment:mine")).content.decode()
    assert choice.why in text
    assert f"{choice.lottery_position}" in text


def test_the_published_roster_masks_names_and_shows_no_ids(as_user, drawn, class_a, guardian_b):
    url = reverse("enrollment:roster", args=[drawn.school.code, drawn.pk])
    response = as_user(guardian_b).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    placed = ChildApplication.objects.filter(choices__status=Choice.Status.PLACED).select_related("student")
    assert len(placed) == 2
    for child in placed:
        assert mask_name(child.student.name) in text
    for student in class_a.students.all():
        assert student.name not in text  # no full name of a 3-character name
        assert student.national_id not in text
    assert not ID_PATTERN.search(text)
    assert "困难" not in text and "low-income" not in text.lower()  # no priority flag
    assert "139" not in re.sub(r"<[^>]+>", "", text)  # no phone


def test_the_care_service_roster_lists_approved_children(as_user, drawn, principal):
    url = reverse("enrollment:service_roster", args=[drawn.school.code, drawn.term_id, "after_school"])
    response = as_user(principal).get(url)
    assert response.status_code == 200 and len(response.context["rows"]) == 3
    assert "张*明" in response.content.decode()
    bad = reverse("enrollment:service_roster", args=[drawn.school.code, drawn.term_id, "swimming"])
    assert as_user(principal).get(bad).status_code == 404


def test_rosters_are_for_the_school_community_only(client, as_user, drawn, outsider, school_b):
    url = reverse("enrollment:roster", args=[drawn.school.code, drawn.pk])
    assert client.get(url).status_code == 302  # sign in first
    assert as_user(outsider).get(url).status_code == 404
    elsewhere = make.make_guardian(make.make_student(make.make_class(school_b), name="赵小北"))
    assert as_user(elsewhere).get(url).status_code == 404


def test_the_published_index_links_draws_and_rosters(client, drawn):
    response = client.get(reverse("enrollment:published", args=[drawn.school.code, drawn.term_id]))
    assert response.status_code == 200
    text = response.content.decode()
    assert _lottery_url(drawn) in text
    assert reverse("enrollment:roster", args=[drawn.school.code, drawn.pk]) in text
    assert client.get(reverse("enrollment:published", args=["nobody", drawn.term_id])).status_code == 404
