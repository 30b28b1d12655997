"""The demo school gets a showcase with invitations and a published singing contest."""

from __future__ import annotations

from events.demo import plan_demo_events
from events.models import Competition, Invitation, Item
from events.selectors import guardians_of_course
from schools.demo import seed_demo
from schools.models import School, Term
from simulation.demo_term import bring_term_to_life


def test_the_demo_school_plans_a_showcase_and_a_contest(db):
    seed_demo(schools=1, students=120, seed=7)
    school = School.objects.get()
    term = Term.objects.get(school=school)
    bring_term_to_life(school=school, term=term, seed=7)

    story = plan_demo_events(school=school, term=term, seed=7)

    items = list(Item.objects.filter(school=school))
    assert story.items == len(items) >= 5
    # Each course's invitations are exactly its placed children's guardians.
    for item in items:
        expected = set(guardians_of_course(item)) if item.guardian_part != "none" else set()
        assert (
            set(Invitation.objects.filter(item=item).values_list("guardian_id", flat=True))
            == expected
        )
    assert story.invitations == Invitation.objects.count() > 0
    contest = Competition.objects.get(school=school)
    assert contest.results_published and contest.entries.count() == story.entries > 0
