"""Group forming (编班) for class-based care, as the term's plan says (plan 7 四.3).

"30人及以上以原班级编成一个班；年级不足30人，按照相邻年级跨年级调整混合编班": a class with at
least the threshold keeps its own group in its own room; the other classes' participants
merge, in grade and class order, with classes of the same or the adjacent grade, as long as
the room of the merged group holds them. The algorithm is pure and deterministic: the same
participants give the same groups, so a re-run lists only real changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from schools.models import Grade


@dataclass(frozen=True)
class ClassParticipants:
    class_id: int
    grade: int
    number: int
    label: str
    room_id: int | None
    room_name: str
    room_capacity: int
    head_teacher_id: int | None
    student_ids: tuple[int, ...]


@dataclass
class FormedGroup:
    key: str
    name: str
    room_id: int | None
    room_name: str
    room_capacity: int
    teacher_id: int | None
    classes: list[ClassParticipants] = field(default_factory=list)
    reason: str = ""

    @property
    def size(self) -> int:
        return sum(len(c.student_ids) for c in self.classes)

    @property
    def grades(self) -> list[int]:
        return sorted({c.grade for c in self.classes})

    @property
    def student_ids(self) -> list[int]:
        return [s for c in self.classes for s in c.student_ids]


def _fits_merge(group: FormedGroup, cls: ClassParticipants, merge: str) -> bool:
    if group.size + len(cls.student_ids) > group.room_capacity:
        return False
    grades = group.grades
    if merge == "same_grade":
        return grades == [cls.grade]
    if merge == "adjacent_grades":
        # The merged group spans at most two neighbouring grades (e.g. 1–2, never 1–3).
        return max(grades + [cls.grade]) - min(grades + [cls.grade]) <= 1
    return False


def form_groups(
    classes: list[ClassParticipants], *, min_from_one_class: int, merge: str
) -> list[FormedGroup]:
    """Return the care groups for ``classes`` under the plan's rule (deterministic)."""
    groups: list[FormedGroup] = []
    ordered = sorted((c for c in classes if c.student_ids), key=lambda c: (c.grade, c.number, c.class_id))
    current: FormedGroup | None = None
    for cls in ordered:
        n = len(cls.student_ids)
        if n >= min_from_one_class or merge == "none":
            groups.append(
                FormedGroup(
                    key=f"class-{cls.class_id}",
                    name=cls.label,
                    room_id=cls.room_id,
                    room_name=cls.room_name,
                    room_capacity=cls.room_capacity,
                    teacher_id=cls.head_teacher_id,
                    classes=[cls],
                    reason=(
                        _("%(n)d from %(cls)s, at least %(min)d: the class stays together in its own room.")
                        if n >= min_from_one_class
                        else _("%(n)d from %(cls)s; the plan does not merge classes.")
                    )
                    % {"n": n, "cls": cls.label, "min": min_from_one_class},
                )
            )
            continue
        if current is not None and _fits_merge(current, cls, merge):
            current.classes.append(cls)
            continue
        current = FormedGroup(
            key=f"merged-{cls.class_id}",
            name="",
            room_id=cls.room_id,
            room_name=cls.room_name,
            room_capacity=cls.room_capacity,
            teacher_id=cls.head_teacher_id,
            classes=[cls],
        )
        groups.append(current)

    for group in groups:
        if group.key.startswith("merged-"):
            _describe_merged(group, min_from_one_class)
    return groups


def _describe_merged(group: FormedGroup, min_from_one_class: int) -> None:
    grades = group.grades
    grade_names = "、".join(str(Grade(g).label) for g in grades)
    group.name = _("%(grades)s combined group (%(first)s)") % {
        "grades": grade_names,
        "first": group.classes[0].label,
    }
    parts = "、".join(
        _("%(cls)s %(n)d") % {"cls": c.label, "n": len(c.student_ids)} for c in group.classes
    )
    group.reason = _(
        "Fewer than %(min)d from each class (%(parts)s): merged across adjacent grades into "
        "%(room)s, %(size)d of %(capacity)d places."
    ) % {
        "min": min_from_one_class,
        "parts": parts,
        "room": group.room_name,
        "size": group.size,
        "capacity": group.room_capacity,
    }
