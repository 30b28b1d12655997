"""Role changes are trust events: each one writes exactly one audit row."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from lib import testing as make
from people.models import StaffRole
from people.roles import Role
from people.services import set_staff_roles


def test_role_change_is_audited_once(school_a, principal):
    staff = make.make_staff(school_a, Role.TEACHER)
    set_staff_roles(staff=staff, roles={Role.TEACHER, Role.DUTY_LEADER}, acting_user=principal.user)
    assert set(StaffRole.objects.filter(staff=staff).values_list("role", flat=True)) == {
        "teacher",
        "duty_leader",
    }
    event = AuditEvent.objects.get(action="staff.roles_changed")
    assert event.old_values == {"roles": ["teacher"]}
    assert event.new_values == {"roles": ["duty_leader", "teacher"]}
    assert event.school_id == school_a.pk


def test_unchanged_roles_write_nothing(school_a, principal):
    staff = make.make_staff(school_a, Role.GUARD)
    set_staff_roles(staff=staff, roles={Role.GUARD}, acting_user=principal.user)
    assert not AuditEvent.objects.exists()


def test_unknown_role_is_refused_and_changes_nothing(school_a, principal):
    staff = make.make_staff(school_a, Role.GUARD)
    with pytest.raises(ValueError):
        set_staff_roles(staff=staff, roles={"wizard"}, acting_user=principal.user)
    assert list(StaffRole.objects.filter(staff=staff).values_list("role", flat=True)) == ["guard"]


def test_admin_role_edit_goes_through_the_service(admin_client, school_a):
    staff = make.make_staff(school_a, Role.TEACHER, login=False)
    response = admin_client.post(
        f"/admin/people/staff/{staff.pk}/change/",
        {
            "school": school_a.pk,
            "name": staff.name,
            "gender": "",
            "phone": staff.phone,
            "subjects": "数学",
            "is_active": "on",
            "roles": ["teacher", "head_teacher"],
            "vetting-TOTAL_FORMS": "0",
            "vetting-INITIAL_FORMS": "0",
            "vetting-MIN_NUM_FORMS": "0",
            "vetting-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(action="staff.roles_changed").count() == 1
