"""Writes of competitions and yearly events (plan 4 六.2): entries by class, the schedule,
results. One business action per function, in a transaction, with its audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from events.models import Competition, Entry, Fixture
from events.services import _require
from schools.models import SchoolClass, Venue


@transaction.atomic
def create_competition(
    *,
    school_id: int,
    name: str,
    kind: str,
    scoring: str,
    start: dt.date,
    end: dt.date,
    entries_close: dt.date,
    grades: list[int] | None = None,
    acting_user,
) -> Competition:
    problems = []
    if not (name or "").strip():
        problems.append(_("Give the competition a name."))
    if kind not in Competition.Kind.values:
        problems.append(_("Choose the kind of competition."))
    if scoring not in Competition.Scoring.values:
        problems.append(_("Choose how results are given."))
    if end < start:
        problems.append(_("The last day must not be before the first day."))
    if entries_close > end:
        problems.append(_("Entries must close by the last day."))
    grades = sorted(set(grades or []))
    if any(g not in range(1, 10) for g in grades):
        problems.append(_("Grades are whole numbers from 1 to 9."))
    _require(problems)
    competition = Competition.objects.create(
        school_id=school_id,
        name=name.strip(),
        kind=kind,
        scoring=scoring,
        start=start,
        end=end,
        entries_close=entries_close,
        grades=grades,
        created_by=acting_user,
    )
    record_event(
        action="events.competition_created",
        subject=competition,
        actor=acting_user,
        new={"name": competition.name},
    )
    return competition


@transaction.atomic
def enter_class(
    *,
    competition: Competition,
    school_class: SchoolClass,
    title: str = "",
    may_override: bool,
    acting_user,
    today: dt.date | None = None,
) -> Entry:
    """A head teacher enters their class (leaders may enter any class, also after entries close)."""
    today = today or timezone.localdate()
    problems = []
    if school_class.school_id != competition.school_id:
        problems.append(_("The class is not of this school."))
    if competition.grades and school_class.grade not in competition.grades:
        problems.append(
            _("%(cls)s's grade does not take part in this competition.")
            % {"cls": school_class.label}
        )
    if today > competition.entries_close and not may_override:
        problems.append(
            _("Entries closed on %(date)s.") % {"date": competition.entries_close.isoformat()}
        )
    if Entry.objects.filter(competition=competition, school_class=school_class).exists():
        problems.append(_("%(cls)s has already entered.") % {"cls": school_class.label})
    _require(problems)
    entry = Entry.objects.create(
        competition=competition,
        school_id=competition.school_id,
        school_class=school_class,
        title=(title or "").strip()[:100],
        entered_by=acting_user,
    )
    record_event(
        action="events.class_entered",
        subject=entry,
        actor=acting_user,
        new={"class": school_class.pk},
    )
    return entry


@transaction.atomic
def withdraw_entry(*, entry: Entry, acting_user) -> None:
    record_event(
        action="events.entry_withdrawn",
        subject=entry,
        actor=acting_user,
        old={"class": entry.school_class_id},
    )
    entry.delete()


@transaction.atomic
def add_fixture(
    *,
    competition: Competition,
    round_name: str,
    starts_at: dt.datetime,
    venue: Venue,
    entries: list[Entry],
    acting_user,
) -> Fixture:
    problems = []
    if not (round_name or "").strip():
        problems.append(_("Name the round, e.g. 初赛 or 决赛."))
    if venue.school_id != competition.school_id or any(
        e.competition_id != competition.pk for e in entries
    ):
        problems.append(_("The venue and entries must be of this competition's school."))
    day = timezone.localtime(starts_at).date()
    if not competition.start <= day <= competition.end:
        problems.append(
            _("The round must be between %(start)s and %(end)s.")
            % {"start": competition.start, "end": competition.end}
        )
    _require(problems)
    fixture = Fixture.objects.create(
        competition=competition,
        school_id=competition.school_id,
        round_name=round_name.strip(),
        starts_at=starts_at,
        venue=venue,
    )
    fixture.entries.set(entries)
    record_event(
        action="events.fixture_added",
        subject=fixture,
        actor=acting_user,
        new={"round": fixture.round_name},
    )
    return fixture


def _parse_result(raw: str, scoring: str) -> tuple[Decimal | int | None, str | None]:
    raw = (raw or "").strip()
    if not raw:
        return None, None
    if scoring == Competition.Scoring.PLACEMENT:
        if raw.isdigit() and int(raw) >= 1:
            return int(raw), None
        return None, _("“%(value)s” is not a placement (1, 2, 3 …).") % {"value": raw}
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, _("“%(value)s” is not a number.") % {"value": raw}
    if not value.is_finite() or value < 0 or value >= Decimal("1000000"):
        return None, _("“%(value)s” is not a score between 0 and 999999.") % {"value": raw}
    return value.quantize(Decimal("0.01")), None


@transaction.atomic
def record_results(*, competition: Competition, results: dict[int, str], acting_user) -> None:
    """Record each entry's score or placement; all or nothing, one message per bad value."""
    entries = {
        e.pk: e
        for e in Entry.objects.select_for_update()
        .filter(competition=competition)
        .select_related("school_class")
    }
    field = "placement" if competition.scoring == Competition.Scoring.PLACEMENT else "score"
    problems, changed = [], []
    for entry_id, raw in results.items():
        entry = entries.get(entry_id)
        if entry is None:
            continue
        value, problem = _parse_result(raw, competition.scoring)
        if problem:
            problems.append(f"{entry.school_class.label}: {problem}")
            continue
        if getattr(entry, field) != value:
            setattr(entry, field, value)
            changed.append(entry)
    _require(problems)
    Entry.objects.bulk_update(changed, [field])
    record_event(
        action="events.results_recorded",
        subject=competition,
        actor=acting_user,
        new={str(e.school_class_id): str(getattr(e, field)) for e in changed},
    )


@transaction.atomic
def set_results_published(*, competition: Competition, published: bool, acting_user) -> None:
    competition.results_published = published
    competition.save(update_fields=["results_published"])
    record_event(
        action="events.results_published" if published else "events.results_unpublished",
        subject=competition,
        actor=acting_user,
    )
