"""Photos and works uploaded after the showcase (plan 6 七(五)4: 拍摄精彩瞬间…学生作品).

Files are checked by their content, not their name: a photo must open as JPEG, PNG or WebP,
a work may also be a PDF; each at most ``MAX_BYTES``. Files are stored under MEDIA_ROOT with
a random name and served only through a page that checks who is asking (never a public URL).
Children shown in a photo are named; when people.Consent knows a photo purpose, a child
without that standing consent is refused.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from events.models import Item, Media
from events.services import EventError
from people.models import Student

MAX_BYTES = getattr(settings, "KEHOU_EVENT_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
PDF = ("pdf", "application/pdf")


def sniff(upload: UploadedFile, kind: str) -> tuple[str, str]:
    """Return (extension, content type) of an acceptable file, or raise EventError."""
    if upload.size is None or upload.size == 0:
        raise EventError(_("The file is empty."))
    if upload.size > MAX_BYTES:
        raise EventError(
            _("“%(name)s” is %(size).1f MB; files may be at most %(max)d MB.")
            % {
                "name": upload.name,
                "size": upload.size / 1024 / 1024,
                "max": MAX_BYTES // 1024 // 1024,
            }
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if kind == Media.Kind.WORK and head == b"%PDF-":
        return PDF
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            fmt = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        fmt = None
    finally:
        upload.seek(0)
    if fmt not in IMAGE_FORMATS:
        allowed = "JPEG, PNG, WebP" + (", PDF" if kind == Media.Kind.WORK else "")
        raise EventError(
            _("“%(name)s” is not a file of an accepted type (%(allowed)s).")
            % {"name": upload.name, "allowed": allowed}
        )
    return IMAGE_FORMATS[fmt]


def photo_purpose() -> str | None:
    """Return the consent purpose that covers photos, if people.Consent has one."""
    try:
        from people.models import Consent
    except ImportError:
        return None
    return next((p for p in Consent.Purpose.values if p in ("photo", "photos", "image")), None)


def photo_consent_missing(students: list[Student]) -> list[Student]:
    """Return the children without a standing photo consent, if Kehou records one; else []."""
    purpose = photo_purpose()
    if purpose is None or not students:
        return []
    from people.models import Consent

    given = set(
        Consent.objects.filter(
            student__in=students, purpose=purpose, withdrawn_at__isnull=True
        ).values_list("student_id", flat=True)
    )
    return [s for s in students if s.pk not in given]


@transaction.atomic
def upload_media(
    *,
    item: Item,
    kind: str,
    upload: UploadedFile,
    caption: str,
    students: list[Student],
    acting_user,
) -> Media:
    if kind not in Media.Kind.values:
        raise EventError(_("Say whether this is a photo or a work."))
    extension, content_type = sniff(upload, kind)
    missing = photo_consent_missing(students)
    if missing:
        raise EventError(
            _(
                "No photo consent for %(names)s: leave them out of the photo, or ask the guardian first."
            )
            % {"names": "、".join(s.name for s in missing)}
        )
    media = Media(
        item=item,
        school_id=item.school_id,
        kind=kind,
        extension=extension,
        content_type=content_type,
        size=upload.size,
        original_name=(upload.name or "")[:200],
        caption=(caption or "").strip()[:200],
        uploaded_by=acting_user,
    )
    media.file.save("upload", upload, save=False)
    media.save()
    media.students.set(students)
    record_event(
        action="events.media_uploaded",
        subject=media,
        actor=acting_user,
        new={"kind": kind, "size": upload.size, "students": [s.pk for s in students]},
    )
    return media
