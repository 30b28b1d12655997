"""Group forming (编班) as a business action: run the plan's rule, store it, list the changes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from people.models import Student
from programs.grouping import ClassParticipants, form_groups
from programs.models import CareGroup, CareGroupMember, GroupFormingRun
from programs.selectors import latest_group_run, plan_document_for
from programs.services import ProgramError
from schools.models import Term


def _participants_by_class(term: Term, student_ids: Iterable[int]) -> list[ClassParticipants]:
    students = (
        Student.objects.filter(school_id=term.school_id, pk__in=list(student_ids), is_active=True)
        .select_related("school_class__home_room")
        .order_by("school_class__grade", "school_class__number", "pinyin", "pk")
    )
    by_class: dict[int, list[Student]] = defaultdict(list)
    classes = {}
    for s in students:
        by_class[s.school_class_id].append(s)
        classes[s.school_class_id] = s.school_class
    out = []
    for class_id, members in by_class.items():
        cls = classes[class_id]
        room = cls.home_room
        out.append(
            ClassParticipants(
                class_id=class_id,
                grade=cls.grade,
                number=cls.number,
                label=cls.label,
                room_id=room.pk if room else None,
                room_name=room.name if room else _("(no home room)"),
                room_capacity=room.capacity if room else 0,
                head_teacher_id=cls.head_teacher_id,
                student_ids=tuple(m.pk for m in members),
            )
        )
    return out


@transaction.atomic
def form_care_groups(
    *, term: Term, service: str, student_ids: Iterable[int], acting_user
) -> GroupFormingRun:
    """Form the care groups of ``service`` from its approved participants and store the run.

    The changes against the previous run (who moved from which group to which) are stored
    on the run and shown on the report.
    """
    doc = plan_document_for(term)
    if doc is None:
        raise ProgramError(_("The term has no plan yet: set up the school's plan first."))
    rule = doc.grouping
    classes = _participants_by_class(term, student_ids)
    homeless = [c.label for c in classes if c.room_id is None]
    if homeless:
        raise ProgramError(
            _("These classes have no home room, so their group has nowhere to meet: %(classes)s")
            % {"classes": "、".join(homeless)}
        )
    formed = form_groups(classes, min_from_one_class=rule.min_from_one_class, merge=rule.merge)

    previous = latest_group_run(term, service)
    before: dict[int, str] = {}
    names: dict[str, str] = {}
    if previous is not None:
        for student_id, key, name in CareGroupMember.objects.filter(group__run=previous).values_list(
            "student_id", "group__key", "group__name"
        ):
            before[student_id] = key
            names[key] = name

    run = GroupFormingRun.objects.create(
        school_id=term.school_id,
        term=term,
        service=service,
        min_from_one_class=rule.min_from_one_class,
        merge=rule.merge,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    groups = CareGroup.objects.bulk_create(
        [
            CareGroup(
                run=run,
                school_id=term.school_id,
                key=g.key,
                name=g.name,
                venue_id=g.room_id,
                teacher_id=g.teacher_id,
                grades=g.grades,
                reason=g.reason,
            )
            for g in formed
        ]
    )
    after: dict[int, str] = {}
    members = []
    for group, plan in zip(groups, formed, strict=True):
        names[group.key] = group.name
        for cls in plan.classes:
            for student_id in cls.student_ids:
                after[student_id] = group.key
                members.append(CareGroupMember(group=group, student_id=student_id, school_class_id=cls.class_id))
    CareGroupMember.objects.bulk_create(members, batch_size=1000)

    changed = sorted(s for s in before.keys() | after.keys() if before.get(s) != after.get(s))
    student_names = dict(Student.objects.filter(pk__in=changed).values_list("pk", "name"))
    run.changes = [
        {
            "student": s,
            "name": student_names.get(s, ""),
            "from": names.get(before[s], "") if s in before else "",
            "to": names.get(after[s], "") if s in after else "",
        }
        for s in changed
    ] if previous is not None else []
    run.save(update_fields=["changes"])
    record_event(
        action="groups.formed",
        subject=run,
        actor=acting_user,
        school_id=term.school_id,
        new={"service": service, "groups": len(groups), "students": len(after), "changes": len(run.changes)},
    )
    return run
