"""Applications and the review chain (家长申请 → 班级审核 → 学校审批 → 家委会审核, plans 2 and 7).

Each function is one business action in one transaction; notices to the guardian are written
in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment import allocation
from enrollment.models import Application, ChildApplication, Choice, EnrollmentWindow, Review
from notices.models import Notice
from notices.services import notify
from people.actor import Actor
from people.consent import has_consent
from people.consent import standing as standing_consent
from people.models import Guardian, Student, StudentGuardian
from people.roles import SCHOOL_LEADERS
from plans.models import SchoolPlan
from plans.policy import PlanDocument, parse_document
from programs.models import Offering
from schools.models import Term

# The review chain in order, and the status a child application waits in before each step.
CHAIN = (Review.Step.CLASS, Review.Step.SCHOOL, Review.Step.COMMITTEE)
WAITING_FOR = {
    Review.Step.CLASS: ChildApplication.Status.SUBMITTED,
    Review.Step.SCHOOL: ChildApplication.Status.CLASS_APPROVED,
    Review.Step.COMMITTEE: ChildApplication.Status.SCHOOL_APPROVED,
}


class EnrollmentError(Exception):
    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


@dataclass
class ChildRequest:
    """What a guardian asks for one child."""

    student_id: int
    after_school: bool = False
    noon_care: bool = False
    meals: bool = False
    choices: list[int] = field(default_factory=list)  # offering ids, most wanted first
    keep_with_siblings: bool = False
    insurer: str = ""
    insurance_policy: str = ""
    insurance_start: dt.date | None = None
    insurance_end: dt.date | None = None


def chain_of(doc: PlanDocument) -> list[str]:
    """Return the review steps the plan asks for, in order."""
    return [step for step in CHAIN if step in doc.selection.application_steps]


def _first_status(doc: PlanDocument) -> str:
    chain = chain_of(doc)
    return WAITING_FOR[chain[0]] if chain else ChildApplication.Status.APPROVED


def new_receipt() -> str:
    return secrets.token_hex(5).upper()  # 10 characters, about 10^12 possibilities


def _check_window(term: Term, now: dt.datetime) -> None:
    window = _first_raw(EnrollmentWindow, "term_id = %s", [term.pk])
    if window is None or now < window.opens_at:
        raise EnrollmentError(_("Applications for this term are not open yet."))
    if now > window.closes_at:
        raise EnrollmentError(_("Applications for this term have closed."))


def _check_children(
    *, guardian: Guardian, term: Term, doc: PlanDocument, children: list[ChildRequest]
) -> dict[int, Student]:
    problems: list[str] = []
    if not children:
        raise EnrollmentError(_("Choose at least one child."))
    ids = [c.student_id for c in children]
    if len(set(ids)) != len(ids):
        problems.append(_("A child is listed twice."))
    links = (
        StudentGuardian.objects.filter(
            guardian=guardian, student_id__in=ids, school_id=term.school_id, student__is_active=True
        )
        .select_related("student__school_class")
        .annotate(consented=standing_consent(student_ref="student_id"))
    )
    students = {link.student_id: link.student for link in links}
    consented = {link.student_id for link in links if link.consented}
    offering_ids = {o for c in children for o in c.choices}
    offerings = {o.pk: o for o in Offering.objects.filter(pk__in=offering_ids, term=term)}
    for request in children:
        student = students.get(request.student_id)
        if student is None:
            # The same answer for "no such child" and "not your child".
            raise EnrollmentError(_("One of the children is not linked to you at this school."))
        if request.student_id not in consented:
            problems.append(_no_consent(student))
        if not (request.after_school or request.noon_care or request.meals or request.choices):
            problems.append(_("%(name)s: choose at least one service or club.") % {"name": student.name})
        if len(set(request.choices)) != len(request.choices):
            problems.append(_("%(name)s: a club is chosen twice.") % {"name": student.name})
        for offering_id in request.choices:
            offering = offerings.get(offering_id)
            if (
                offering is None
                or offering.status != Offering.Status.OPEN
                or offering.kind in Offering.CLASS_BASED
            ):
                problems.append(_("%(name)s: a chosen club is not open for applications.") % {"name": student.name})
            elif student.school_class.grade not in offering.grades:
                problems.append(
                    _("%(name)s: “%(offering)s” is not for this grade.")
                    % {"name": student.name, "offering": offering.name}
                )
        if request.noon_care and not doc.windows_of("noon_care"):
            problems.append(_("The school's plan offers no noon care."))
        if doc.safety.insurance_required:
            problems.extend(_insurance_problems(student, request, term))
    if problems:
        raise EnrollmentError(problems)
    return students


def _no_consent(student: Student) -> str:
    """PIPL art. 31: a guardian consents before a child's data is used beyond the roster."""
    return _(
        "%(name)s: a guardian's consent to use the child's details for the after-school "
        "service is needed first (Consent page)."
    ) % {"name": student.name}


def _insurance_problems(student: Student, request: ChildRequest, term: Term) -> list[str]:
    """Plan 7 八.3(4): 自愿参加延时看管的学生须由家长为其投保人身保险."""
    if not (request.insurer.strip() and request.insurance_policy.strip()):
        return [_("%(name)s: the plan requires accident insurance; give the insurer and policy number.")
                % {"name": student.name}]
    if not request.insurance_start or not request.insurance_end:
        return [_("%(name)s: give the dates the insurance covers.") % {"name": student.name}]
    if request.insurance_end < term.end or request.insurance_start > request.insurance_end:
        return [_("%(name)s: the insurance must cover the term until %(end)s.")
                % {"name": student.name, "end": term.end}]
    return []


def submit_application(
    *,
    guardian: Guardian,
    term: Term,
    children: list[ChildRequest],
    idempotency_key: str,
    agreement_accepted: bool,
    now: dt.datetime | None = None,
) -> Application:
    """Submit one guardian's application for their children; the same key gives the same result.

    First-come choices take a place (or a waiting-list position) at once, under a lock on the
    offering; lottery choices wait for the allocation after review.
    """
    now = now or timezone.now()
    existing = _by_key(guardian, idempotency_key)
    if existing is not None:
        return existing
    # The same row as plans.selectors.published_plan_for, read without building an ORM query:
    # in the opening-minute rush each submission's CPU is mostly query building (docs/performance.md).
    plan = _first_raw(SchoolPlan, "term_id = %s AND status = %s ORDER BY version DESC",
                      [term.pk, SchoolPlan.Status.PUBLISHED])
    if plan is None:
        raise EnrollmentError(_("The school has not published this term's plan yet."))
    doc = parse_document(plan.document)
    _check_window(term, now)
    if not agreement_accepted:
        raise EnrollmentError(_("Read and accept the service agreement first."))
    students = _check_children(guardian=guardian, term=term, doc=doc, children=children)
    try:
        with transaction.atomic():
            return _create(guardian=guardian, term=term, plan=plan, doc=doc, children=children,
                           students=students, key=idempotency_key, now=now)
    except IntegrityError:
        existing = _by_key(guardian, idempotency_key)
        if existing is not None:
            return existing  # a retried request raced with the first one
        raise EnrollmentError(
            _("One of the children already has an application this term; withdraw it first.")
        ) from None


def _by_key(guardian: Guardian, key: str) -> Application | None:
    """Return the guardian's application sent with ``key``, if any (one indexed lookup; the
    row is loaded only when there is one, which in a rush is the rare retry)."""
    table = Application._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE guardian_id = %s AND idempotency_key = %s",  # noqa: S608
                       [guardian.pk, key])
        row = cursor.fetchone()
    return Application.objects.get(pk=row[0]) if row else None


def _first_raw(model, where: str, params: list):
    """Return the first ``model`` row matching the SQL condition ``where`` (a fixed string
    with ``%s`` placeholders), with the fields' usual conversions; None when there is none."""
    sql = f"SELECT * FROM {model._meta.db_table} WHERE {where} LIMIT 1"  # noqa: S608
    return next(iter(model.objects.raw(sql, params)), None)


def _create(*, guardian, term, plan: SchoolPlan, doc: PlanDocument, children, students, key, now) -> Application:
    """Write the application, its children and choices, decided where first-come, with the
    guardian's notices: a fixed number of statements however many children and choices (the
    opening-minute rush is paid for in round trips to the database; bench/enroll_rush.py).
    """
    application = Application.objects.create(
        school_id=term.school_id,
        term=term,
        guardian=guardian,
        plan=plan,
        plan_version=plan.version,
        fees_seen=plan.document["fees"],
        agreement_accepted_at=now,
        idempotency_key=key,
    )
    first_status = _first_status(doc)
    rows = ChildApplication.objects.bulk_create([
        ChildApplication(
            application=application,
            school_id=term.school_id,
            term=term,
            student=students[request.student_id],
            wants_after_school=request.after_school,
            wants_noon_care=request.noon_care,
            wants_meals=request.meals,
            keep_with_siblings=request.keep_with_siblings,
            insurer=request.insurer.strip(),
            insurance_policy=request.insurance_policy.strip(),
            insurance_start=request.insurance_start,
            insurance_end=request.insurance_end,
            status=first_status,
            receipt=new_receipt(),
        )
        for request in children
    ])
    new_choices = [
        Choice(child_application=child, school_id=term.school_id, offering_id=offering_id, rank=rank)
        for child, request in zip(rows, children, strict=True)
        for rank, offering_id in enumerate(request.choices, start=1)
    ]
    names = "、".join(students[c.student_id].name for c in children)
    notices = [Notice(
        guardian_id=guardian.pk,
        school_id=term.school_id,
        kind="application.submitted",
        subject=_("Application received"),
        body=_("Your application for %(names)s has been received. Receipt numbers are on the application page.")
        % {"names": names},
    )]
    if new_choices and doc.selection.method != "priority_then_lottery":
        # Locks the chosen offerings until commit: nothing slow may follow in this transaction.
        notices += allocation.place_first_come(new_choices, now=now)
    Choice.objects.bulk_create(new_choices)
    # The outbox rows of notices.services.notify, written in one statement.
    Notice.objects.bulk_create(notices)
    # What was just written, for the answer to be built without reading it back.
    for child in rows:
        child.fresh_choices = []
    for choice in new_choices:
        choice.child_application.fresh_choices.append(choice)
    application.fresh_children = rows
    return application


def may_review(actor: Actor, child: ChildApplication, step: str) -> bool:
    """Head teachers review their own class; leaders any step (they record the committee's)."""
    if actor.school_id != child.school_id:
        return False
    if actor.roles & SCHOOL_LEADERS:
        return True
    return step == Review.Step.CLASS and child.student.school_class.head_teacher_id == actor.staff_id


@transaction.atomic
def review(
    *, child: ChildApplication, step: str, approve: bool, reason: str, actor: Actor
) -> ChildApplication:
    """Record one review decision; a return needs a reason the guardian will read."""
    child = ChildApplication.objects.select_for_update().select_related(
        "application__plan", "student__school_class"
    ).get(pk=child.pk)
    if not may_review(actor, child, step):
        raise EnrollmentError(_("You may not take this review step for this child."))
    if child.status != WAITING_FOR.get(step):
        raise EnrollmentError(_("This application is not waiting for this step."))
    if not approve and not reason.strip():
        raise EnrollmentError(_("Say why the application is returned; the guardian will read it."))
    Review.objects.create(
        child_application=child,
        step=step,
        decision=Review.Decision.APPROVED if approve else Review.Decision.RETURNED,
        reason=reason.strip(),
        reviewer=actor.user,
    )
    chain = chain_of(parse_document(child.application.plan.document))
    if approve:
        later = chain[chain.index(step) + 1:] if step in chain else []
        child.status = WAITING_FOR[later[0]] if later else ChildApplication.Status.APPROVED
    else:
        child.status = ChildApplication.Status.RETURNED
    child.save(update_fields=["status", "updated_at"])
    notify(
        guardian_id=child.application.guardian_id,
        school_id=child.school_id,
        kind=f"application.{child.status}",
        subject=_("Application of %(name)s: %(status)s") % {"name": child.student.name, "status": child.get_status_display()},
        body=reason.strip() or child.get_status_display(),
    )
    return child


@transaction.atomic
def resubmit(*, child: ChildApplication, guardian: Guardian, changes: ChildRequest | None = None) -> ChildApplication:
    """Send a returned application back into the chain, with the guardian's corrections."""
    child = ChildApplication.objects.select_for_update().select_related("application__plan", "term", "student").get(pk=child.pk)
    if child.application.guardian_id != guardian.pk or child.status != ChildApplication.Status.RETURNED:
        raise EnrollmentError(_("Only a returned application can be sent again."))
    if not has_consent(student_id=child.student_id):
        raise EnrollmentError(_no_consent(child.student))
    doc = parse_document(child.application.plan.document)
    if changes is not None:
        if doc.safety.insurance_required:
            problems = _insurance_problems(child.student, changes, child.term)
            if problems:
                raise EnrollmentError(problems)
        child.insurer, child.insurance_policy = changes.insurer.strip(), changes.insurance_policy.strip()
        child.insurance_start, child.insurance_end = changes.insurance_start, changes.insurance_end
    child.status = _first_status(doc)
    child.save()
    return child


@transaction.atomic
def withdraw(*, child: ChildApplication, guardian: Guardian, now: dt.datetime | None = None) -> ChildApplication:
    """Withdraw a child's application; their places go to the waiting list in order."""
    child = ChildApplication.objects.select_for_update().get(pk=child.pk)
    if child.application.guardian_id != guardian.pk:
        raise EnrollmentError(_("Only the guardian who applied can withdraw."))
    if child.status == ChildApplication.Status.WITHDRAWN:
        return child
    child.status = ChildApplication.Status.WITHDRAWN
    child.save(update_fields=["status", "updated_at"])
    freed = set()
    for choice in child.choices.select_for_update():
        if choice.status in Choice.HOLDS_PLACE:
            freed.add(choice.offering_id)
        choice.status = Choice.Status.WITHDRAWN
        choice.save(update_fields=["status"])
    for offering_id in sorted(freed):
        allocation.promote_waitlist(offering_id=offering_id, now=now or timezone.now())
    return child
