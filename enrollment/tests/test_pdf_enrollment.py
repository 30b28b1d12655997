"""The agreement and roster PDFs: Chinese in the text layer, both parties, the fee figures the
guardian saw, masked names on the roster and never an ID number.

Like plans/tests/test_pdf.py, these need poppler-utils and fonts-wqy-microhei and FAIL with a
message saying what to install when either is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from enrollment.models import ChildApplication, Choice, Review
from enrollment.pdf import agreement_pdf, roster_pdf
from enrollment.selectors import RosterRow, get_child_for_agreement, offering_roster
from enrollment.services import ChildRequest, review
from enrollment.tests.conftest import open_club, published_term
from enrollment.tests.test_pages_guardian import apply_now, open_now
from lib.identity import mask_name
from people.actor import actor_for

ID_PATTERN = re.compile(r"\d{17}[\dXx]")


def _text(pdf: bytes, tmp_path: Path) -> str:
    if not Path(settings.KEHOU_CJK_FONT).is_file():
        pytest.fail(f"CJK font {settings.KEHOU_CJK_FONT} is missing: apt-get install fonts-wqy-microhei")
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: install poppler-utils (apt-get install poppler-utils)")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout


@pytest.fixture
def insured(school_a):
    """Plan 2 with plan 7's insurance rule, so the agreement carries the policy."""
    def insurance(document):
        document["safety"]["insurance_required"] = True

    return open_now(published_term(school_a, "p2", insurance))


@pytest.fixture
def approved_child(insured, guardian_a, child_a, teacher, principal):
    club = open_club(insured, name="合唱社团", grades=[3])
    item = apply_now(guardian_a, insured, ChildRequest(
        student_id=child_a.pk, after_school=True, choices=[club.pk], insurer="平安保险",
        insurance_policy="PA2026-0042", insurance_start=insured.start, insurance_end=insured.end,
    )).children.get()
    review(child=item, step=Review.Step.CLASS, approve=True, reason="", actor=actor_for(teacher.user))
    review(child=item, step=Review.Step.SCHOOL, approve=True, reason="", actor=actor_for(principal.user))
    return item


def test_the_agreement_names_both_parties_fees_and_insurance_but_no_id(approved_child, guardian_a, child_a, tmp_path):
    child = get_child_for_agreement(actor_for(guardian_a.user), approved_child.pk)
    text = _text(agreement_pdf(child), tmp_path)
    for words in ["城南小学", "张妈妈", "张小明", child_a.school_class.label, "课后服务费", "3.00",
                  "平安保险", "PA2026-0042", "合唱社团", approved_child.receipt]:
        assert words in text, words
    assert str(child.application.plan_version) in text
    assert child_a.national_id not in text
    assert not ID_PATTERN.search(text)


def test_the_agreement_prints_the_fees_the_guardian_saw(approved_child, guardian_a, tmp_path):
    """The copy follows Application.fees_seen, not whatever the plan says later."""
    application = approved_child.application
    seen = application.fees_seen
    seen["items"][0]["amount"] = "2.50"
    application.fees_seen = seen
    application.save(update_fields=["fees_seen"])
    child = get_child_for_agreement(actor_for(guardian_a.user), approved_child.pk)
    text = _text(agreement_pdf(child), tmp_path)
    assert "2.50" in text and "3.00" not in text


def test_the_agreement_download_is_for_the_family_and_the_school_leaders(as_user, approved_child, guardian_a, guardian_b, principal, teacher):
    url = reverse("enrollment:agreement_pdf", args=[approved_child.pk])
    mine = as_user(guardian_a).get(url)
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert as_user(principal).get(url).status_code == 200
    assert as_user(guardian_b).get(url).status_code == 404
    assert as_user(teacher).get(url).status_code == 404


def test_the_roster_pdf_masks_names_and_prints_no_id(approved_child, child_a, tmp_path):
    ChildApplication.objects.update(status=ChildApplication.Status.APPROVED)
    Choice.objects.update(status=Choice.Status.PLACED)
    offering = Choice.objects.get().offering
    rows = offering_roster(offering)
    assert rows == [RosterRow("张*明", child_a.school_class.label)]
    text = _text(roster_pdf(school_name="城南小学", term_name=offering.term.name, heading=offering.name, rows=rows), tmp_path)
    assert mask_name("张小明") in text and "合唱社团" in text and child_a.school_class.label in text
    assert "张小明" not in text
    assert not ID_PATTERN.search(text)


def test_the_roster_pdf_download(as_user, approved_child, guardian_a):
    Choice.objects.update(status=Choice.Status.PLACED)
    offering = Choice.objects.get().offering
    response = as_user(guardian_a).get(reverse("enrollment:roster_pdf", args=[offering.school.code, offering.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
