"""Inter-class competitions (plan 4 六.2: 班级之间的球类、歌咏、书法、演讲、话剧、征文等比赛):
entries by class, the schedule, results and rankings with ties, the public results page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import client_for
from events import services
from events import services_competitions as contests
from events.models import Competition, Entry
from events.selectors import competition_detail, rank_entries
from lib import testing as make


@pytest.fixture
def singing(school_a, principal):
    """A singing contest (歌咏比赛) for grade 3, 10–11 December 2026; entries close 1 December."""
    return contests.create_competition(
        school_id=school_a.pk,
        name="红五月歌咏比赛",
        kind=Competition.Kind.SINGING,
        scoring=Competition.Scoring.HIGHER_WINS,
        start=dt.date(2026, 12, 10),
        end=dt.date(2026, 12, 11),
        entries_close=dt.date(2026, 12, 1),
        grades=[3],
        acting_user=principal.user,
    )


@pytest.fixture
def four_classes(school_a, class_a):
    """三年级1班…4班 (class_a is 三年级2班)."""
    return [
        make.make_class(school_a, grade=3, number=1),
        class_a,
        make.make_class(school_a, grade=3, number=3),
        make.make_class(school_a, grade=3, number=4),
    ]


def enter_all(competition, classes, user):
    return [
        contests.enter_class(
            competition=competition, school_class=c, may_override=True, acting_user=user
        )
        for c in classes
    ]


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped(singing, four_classes, principal):
    entries = enter_all(singing, four_classes, principal.user)
    # Judges' scores: 1班 92.5, 2班 95, 3班 92.5, 4班 88 →
    # 2班 first; 1班 and 3班 tie for second; 4班 fourth (no third place).
    contests.record_results(
        competition=singing,
        acting_user=principal.user,
        results={
            entries[0].pk: "92.5",
            entries[1].pk: "95",
            entries[2].pk: "92.50",
            entries[3].pk: "88",
        },
    )
    standings = competition_detail(singing)["standings"]
    assert [(s.rank, s.entry.school_class.number, s.tied) for s in standings] == [
        (1, 2, False),
        (2, 1, True),
        (2, 3, True),
        (4, 4, False),
    ]


def test_lower_wins_for_times_and_entries_without_a_result_come_last(
    school_a, four_classes, principal
):
    relay = contests.create_competition(
        school_id=school_a.pk,
        name="运动会 4×100米接力",
        kind=Competition.Kind.SPORTS_MEET,
        scoring=Competition.Scoring.LOWER_WINS,
        start=dt.date(2026, 10, 20),
        end=dt.date(2026, 10, 21),
        entries_close=dt.date(2026, 10, 15),
        acting_user=principal.user,
    )
    entries = enter_all(relay, four_classes, principal.user)
    contests.record_results(
        competition=relay,
        acting_user=principal.user,
        results={
            entries[0].pk: "61.3",
            entries[1].pk: "58.9",
            entries[2].pk: "61.3",
            entries[3].pk: "",
        },
    )
    standings = competition_detail(relay)["standings"]
    assert [(s.rank, s.entry.school_class.number) for s in standings] == [
        (1, 2),
        (2, 1),
        (2, 3),
        (None, 4),
    ]


def test_placements_from_the_judges_keep_their_ties(four_classes, principal, school_a):
    entries = [
        Entry(school_class=c, placement=p)
        for c, p in zip(four_classes, [3, 1, 3, None], strict=True)
    ]
    standings = rank_entries(entries, Competition.Scoring.PLACEMENT)
    assert [(s.rank, s.entry.school_class.number) for s in standings] == [
        (1, 2),
        (3, 1),
        (3, 3),
        (None, 4),
    ]


def test_a_bad_score_is_refused_with_the_class_named_and_nothing_changes(
    singing, four_classes, principal
):
    entries = enter_all(singing, four_classes[:2], principal.user)
    response = client_for(principal).post(
        f"/events/competitions/{singing.pk}/results/",
        {f"result-{entries[0].pk}": "90", f"result-{entries[1].pk}": "九十"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "“九十” is not a number." in response.content.decode()
    assert list(Entry.objects.filter(competition=singing).values_list("score", flat=True)) == [
        None,
        None,
    ]


def test_a_head_teacher_enters_their_own_class_only(singing, four_classes, teacher, school_a):
    client = client_for(teacher)  # head teacher of class_a, 三年级2班
    other = four_classes[0]
    # Entries still open, whatever day the test runs.
    in_a_week = timezone.localdate() + dt.timedelta(days=7)
    Competition.objects.filter(pk=singing.pk).update(entries_close=in_a_week, end=in_a_week)

    with_own = client.post(
        f"/events/competitions/{singing.pk}/entries/", {"school_class": four_classes[1].pk}
    )
    with_other = client.post(
        f"/events/competitions/{singing.pk}/entries/", {"school_class": other.pk}
    )

    assert with_own.status_code == with_other.status_code == 302
    assert list(
        Entry.objects.filter(competition=singing).values_list("school_class_id", flat=True)
    ) == [four_classes[1].pk]


def test_entries_close_for_head_teachers_on_the_day_set(singing, class_a, teacher):
    with pytest.raises(services.EventError):
        contests.enter_class(
            competition=singing,
            school_class=class_a,
            may_override=False,
            acting_user=teacher.user,
            today=dt.date(2026, 12, 2),
        )
    assert not Entry.objects.exists()


def test_the_schedule_lists_rounds_with_time_and_venue(singing, four_classes, principal, school_a):
    entries = enter_all(singing, four_classes[:2], principal.user)
    hall = make.make_venue(school_a, name="报告厅", kind="hall")
    contests.add_fixture(
        competition=singing,
        round_name="决赛",
        venue=hall,
        entries=entries,
        acting_user=principal.user,
        starts_at=dt.datetime(2026, 12, 10, 7, 0, tzinfo=dt.UTC),
    )  # 15:00 in Shanghai
    page = client_for(principal).get(f"/events/competitions/{singing.pk}/").content.decode()
    assert "决赛" in page and "报告厅" in page and "2026-12-10 15:00" in page


def test_public_results_show_class_names_only_once_published(
    singing, four_classes, principal, school_a, child_a
):
    entries = enter_all(singing, four_classes[:2], principal.user)
    Entry.objects.filter(pk=entries[0].pk).update(title=f"{child_a.name}领唱《歌唱祖国》")
    contests.record_results(
        competition=singing,
        acting_user=principal.user,
        results={entries[0].pk: "90", entries[1].pk: "95"},
    )
    url = f"/events/public/{school_a.code}/competitions/{singing.pk}/"
    from django.test import Client

    assert Client().get(url).status_code == 404  # not published yet
    contests.set_results_published(competition=singing, published=True, acting_user=principal.user)
    page = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Grade 3 Class 2" in page and "Grade 3 Class 1" in page and "95.00" in page
    assert child_a.name not in page and "歌唱祖国" not in page


def test_another_schools_principal_gets_404(singing, outsider):
    assert client_for(outsider).get(f"/events/competitions/{singing.pk}/").status_code == 404
    assert (
        client_for(outsider).post(f"/events/competitions/{singing.pk}/results/", {}).status_code
        == 404
    )


def test_guardians_of_the_school_see_the_results_and_staff_without_the_role_cannot_edit(
    singing, guardian_a, teacher
):
    assert client_for(guardian_a).get(f"/events/competitions/{singing.pk}/").status_code == 200
    assert (
        client_for(teacher).post(f"/events/competitions/{singing.pk}/results/", {}).status_code
        == 403
    )
    assert (
        client_for(guardian_a).post(f"/events/competitions/{singing.pk}/results/", {}).status_code
        == 403
    )


def test_scores_are_kept_to_the_fen(singing, class_a, principal):
    entry = contests.enter_class(
        competition=singing, school_class=class_a, may_override=True, acting_user=principal.user
    )
    contests.record_results(
        competition=singing, results={entry.pk: "93.456"}, acting_user=principal.user
    )
    entry.refresh_from_db()
    assert entry.score == Decimal("93.46")


def test_district_sees_no_single_schools_competition(singing, district):
    assert client_for(district).get(f"/events/competitions/{singing.pk}/").status_code == 404
    assert client_for(district).get("/events/").status_code == 403
