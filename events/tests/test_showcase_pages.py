"""The showcase's calendar, printable programme (page and PDF), uploads and summaries (plan 6)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import client_for
from events import services
from events import services_competitions as contests
from events.media import MAX_BYTES
from events.models import Media
from events.tests.conftest import YEAR


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_calendar_shows_the_months_showcase_dates_competitions_and_milestones(
    scene, principal, school_a
):
    import datetime as dt

    from events.models import Competition

    services.add_milestone(
        showcase=scene.showcase,
        title="各学科汇报方案审核",
        due=dt.date(YEAR, 1, 5),
        owner=principal,
        acting_user=principal.user,
    )
    contests.create_competition(
        school_id=school_a.pk,
        name="书法比赛",
        kind=Competition.Kind.CALLIGRAPHY,
        scoring="higher",
        start=dt.date(YEAR, 1, 6),
        end=dt.date(YEAR, 1, 6),
        entries_close=dt.date(YEAR, 1, 4),
        acting_user=principal.user,
    )
    contests.create_competition(
        school_id=school_a.pk,
        name="秋季运动会",
        kind=Competition.Kind.SPORTS_MEET,
        scoring="higher",
        start=dt.date(YEAR - 1, 10, 20),
        end=dt.date(YEAR - 1, 10, 21),
        entries_close=dt.date(YEAR - 1, 10, 10),
        acting_user=principal.user,
    )

    page = client_for(principal).get(f"/events/calendar/?month={YEAR}-01").content.decode()

    assert page.count("秋季课后服务结业汇报 · 周一周三") == 1  # 12 January
    assert page.count("秋季课后服务结业汇报 · 周二周四") == 1  # 13 January
    assert "各学科汇报方案审核" in page and "书法比赛" in page
    assert "秋季运动会" not in page  # October, another month


def test_a_bad_month_gets_a_message_not_an_error(scene, principal):
    response = client_for(principal).get(
        "/events/calendar/?month=2027-13", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "is not a month" in response.content.decode()


def test_the_programme_pdf_names_every_course_venue_and_lead(scene, principal, tmp_path):
    response = client_for(principal).get(f"/events/showcases/{scene.showcase.pk}/programme.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: install poppler-utils (apt-get install poppler-utils)")
    path = tmp_path / "programme.pdf"
    path.write_bytes(response.content)
    args = [tool, "-layout", str(path), "-"]
    done = subprocess.run(args, capture_output=True, text=True, check=True)  # noqa: S603
    text = done.stdout
    for name in (
        "书法兴趣小组",
        "篮球兴趣小组",
        "少儿编程",
        "一楼阶梯教室",
        "室内体育馆",
        "陈老师",
        "袁老师",
    ):
        assert name in text, name
    assert f"{YEAR}-01-12" in text and f"{YEAR}-01-13" in text
    assert "张小明" not in text  # no child in a programme


def test_the_printable_programme_page_lists_the_courses_by_date(scene, principal):
    page = (
        client_for(principal)
        .get(f"/events/showcases/{scene.showcase.pk}/programme/")
        .content.decode()
    )
    assert "@media print" in page
    assert page.index("书法兴趣小组") < page.index("少儿编程")  # 12 January before 13 January


def test_a_photo_is_uploaded_and_shown_to_the_invited_guardian_only(
    scene, principal, teacher, guardian_a, guardian_b
):
    services.send_invitations(item=scene.basketball, acting_user=principal.user)  # 张妈妈 and 奶奶
    client = client_for(teacher)  # lead of 书法; not a teacher of 篮球
    upload = {
        "kind": "photo",
        "caption": "集体照",
        "file": SimpleUploadedFile("合影.png", png_bytes(), "image/png"),
    }
    assert client.post(f"/events/items/{scene.basketball.pk}/media/", upload).status_code == 403

    coach = client_for(scene.coach)
    upload["file"] = SimpleUploadedFile("合影.png", png_bytes(), "image/png")
    assert coach.post(f"/events/items/{scene.basketball.pk}/media/", upload).status_code == 302
    media = Media.objects.get()
    assert (media.kind, media.content_type, media.extension) == ("photo", "image/png", "png")
    assert "合影" not in media.file.name  # stored under a random name

    assert client_for(guardian_a).get(f"/events/media/{media.pk}/").status_code == 200
    assert (
        client_for(guardian_b).get(f"/events/media/{media.pk}/").status_code == 404
    )  # not invited


def test_a_file_that_is_not_an_image_is_refused_with_a_message(scene, principal):
    client = client_for(principal)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture at all", "image/jpeg")
    response = client.post(
        f"/events/items/{scene.calligraphy.pk}/media/",
        {"kind": "photo", "file": fake},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (
        "“photo.jpg” is not a file of an accepted type (JPEG, PNG, WebP)."
        in response.content.decode()
    )
    assert not Media.objects.exists()


def test_a_pdf_is_a_work_but_not_a_photo(scene, principal):
    client = client_for(principal)
    pdf = b"%PDF-1.4\n%fake but starts like one\n"
    as_photo = client.post(
        f"/events/items/{scene.calligraphy.pk}/media/",
        {"kind": "photo", "file": SimpleUploadedFile("作品.pdf", pdf)},
        follow=True,
    )
    assert not Media.objects.exists() and as_photo.status_code == 200
    client.post(
        f"/events/items/{scene.calligraphy.pk}/media/",
        {"kind": "work", "file": SimpleUploadedFile("作品.pdf", pdf)},
    )
    assert Media.objects.get().content_type == "application/pdf"


def test_a_file_over_the_limit_is_refused(scene, principal, settings):
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * MAX_BYTES, "image/png")
    response = client_for(principal).post(
        f"/events/items/{scene.calligraphy.pk}/media/",
        {"kind": "photo", "file": big},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "files may be at most 5 MB" in response.content.decode()
    assert not Media.objects.exists()


def test_the_lead_writes_the_summary_and_another_teacher_may_not(scene, teacher):
    ok = client_for(teacher).post(
        f"/events/items/{scene.calligraphy.pk}/summary/",
        {"summary": "本学期学习楷书基本笔画；人人完成一幅作品。"},
    )
    refused = client_for(scene.coder).post(
        f"/events/items/{scene.calligraphy.pk}/summary/", {"summary": "x"}
    )
    scene.calligraphy.refresh_from_db()
    assert ok.status_code == 302 and refused.status_code == 403
    assert scene.calligraphy.summary.startswith("本学期学习楷书")


def test_a_course_without_a_slot_on_the_cohorts_weekdays_is_refused(scene, principal):
    import datetime as dt

    from events.models import Form

    with pytest.raises(services.EventError) as exc:
        services.add_item(
            cohort=scene.tue_thu,
            offering=scene.basketball.offering,
            form=Form.FRIENDLY_MATCH,
            venue=scene.gym,
            start=dt.time(16, 0),
            end=dt.time(17, 0),
            lead=scene.coach,
            teachers=[],
            acting_user=principal.user,
        )
    assert any("篮球兴趣小组" in p for p in exc.value.problems)


def test_another_schools_principal_gets_404_on_every_showcase_page(scene, outsider):
    client = client_for(outsider)
    for url in (
        f"/events/showcases/{scene.showcase.pk}/",
        f"/events/showcases/{scene.showcase.pk}/programme.pdf",
        f"/events/items/{scene.calligraphy.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/events/items/{scene.calligraphy.pk}/invite/").status_code == 404


def test_a_child_without_photo_consent_cannot_be_named_in_a_photo(
    scene, principal, child_a, child_b, guardian_a, guardian_b, monkeypatch
):
    """When Kehou records a photo consent, a photo naming a child without it is refused."""
    from django.utils import timezone

    from events import media as media_module
    from people.models import Consent

    # people.Consent has no photo purpose yet; stand one in to prove the check is wired.
    monkeypatch.setattr(media_module, "photo_purpose", lambda: "photo")
    Consent.objects.create(
        student=child_b,
        school=child_b.school,
        guardian=guardian_b,
        purpose="photo",
        text_version="t",
        given_at=timezone.now(),
    )
    client = client_for(principal)
    url = f"/events/items/{scene.calligraphy.pk}/media/"

    refused = client.post(
        url,
        {
            "kind": "photo",
            "students": [child_a.pk, child_b.pk],
            "file": SimpleUploadedFile("a.png", png_bytes(), "image/png"),
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "No photo consent for 张小明" in refused.content.decode()
    assert not Media.objects.exists()

    client.post(
        url,
        {
            "kind": "photo",
            "students": [child_b.pk],
            "file": SimpleUploadedFile("b.png", png_bytes()),
        },
    )
    assert list(Media.objects.get().students.all()) == [child_b]
