"""Images stored for an edit that was never sent are deleted by `purge_personal_data` after 7 days; a file that an
image row, any revision (pending, applied or refused) or a merge record names is never deleted."""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from carrefour.catalog.models import InitiativeImage
from carrefour.contributions import actions
from carrefour.contributions.models import Revision
from carrefour.contributions.snapshot import snapshot
from carrefour.contributions.uploads import purge_abandoned_uploads
from carrefour.core.models import AuditEvent, EventType
from carrefour.messaging.purge import purge_all
from carrefour.moderation.actions import reject_revision
from tests.contributions.html_forms import form_values
from tests.factories import make_initiative, make_user

pytestmark = pytest.mark.django_db
NOW = timezone.now()
WEEK = timedelta(days=7)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(colour=(30, 140, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def stored(person, age: timedelta, name="atelier.png") -> str:
    """An image stored for an edit (as the edit form does) `age` ago: its upload event and its file both that old."""
    name = actions.store_image(ContentFile(png(), name=name), person)
    moment = NOW - age
    AuditEvent.objects.filter(event_type=EventType.IMAGE_UPLOADED, data__file=name).update(created_at=moment)
    os.utime(default_storage.path(name), (moment.timestamp(), moment.timestamp()))
    return name


def test_an_upload_nothing_names_is_deleted_once_older_than_seven_days(contributor):
    just_older = stored(contributor, WEEK + timedelta(minutes=1), "plus-vieux.png")
    just_younger = stored(contributor, WEEK - timedelta(minutes=1), "plus-jeune.png")
    assert purge_abandoned_uploads(NOW) == {"abandoned_uploads_deleted": 1}
    assert not default_storage.exists(just_older)
    assert default_storage.exists(just_younger)
    assert purge_abandoned_uploads(NOW + timedelta(minutes=2)) == {"abandoned_uploads_deleted": 1}
    assert not default_storage.exists(just_younger)


def test_an_upload_whose_file_is_recent_is_kept_even_if_its_event_is_old(contributor):
    name = stored(contributor, WEEK + timedelta(days=1))
    os.utime(default_storage.path(name), (NOW.timestamp(), NOW.timestamp()))
    assert purge_abandoned_uploads(NOW) == {"abandoned_uploads_deleted": 0}
    assert default_storage.exists(name)


def test_files_named_by_an_image_row_or_by_any_revision_are_never_deleted(contributor, moderator):
    initiative = make_initiative()
    old = WEEK * 5
    on_sheet, pending, refused, removed, abandoned = (stored(contributor, old, f"image-{n}.png") for n in range(5))
    image = InitiativeImage(initiative=initiative, alt_text="La vitrine", position=0)
    image.image.name = on_sheet
    image.save()
    row = {"alt_text": "Un samedi à l'atelier", "credit": ""}
    waiting = {**snapshot(initiative), "images": [*snapshot(initiative)["images"], {"file": pending, **row}]}
    actions.suggest_edit(initiative, waiting, contributor, initiative.version)
    refusing = {**snapshot(initiative), "images": [{"file": refused, **row}]}
    reject_revision(actions.suggest_edit(initiative, refusing, make_user(), initiative.version), moderator, "Floue.")
    Revision.objects.create(  # an applied edit that took the image off the sheet: a revert may bring it back
        initiative=initiative,
        kind=Revision.Kind.DIRECT_EDIT,
        status=Revision.Status.APPLIED,
        previous_data={"images": [{"file": removed, **row}]},
        data={"images": []},
    )
    assert purge_abandoned_uploads(NOW) == {"abandoned_uploads_deleted": 1}
    assert [default_storage.exists(name) for name in (on_sheet, pending, refused, removed, abandoned)] == [
        True,
        True,
        True,
        True,
        False,
    ]


def test_files_not_recorded_as_edit_uploads_are_left_alone():
    seeded = default_storage.save("initiatives/2020/importee.png", ContentFile(png()))
    long_ago = (NOW - timedelta(days=400)).timestamp()
    os.utime(default_storage.path(seeded), (long_ago, long_ago))
    assert purge_abandoned_uploads(NOW) == {"abandoned_uploads_deleted": 0}
    assert default_storage.exists(seeded)


def test_an_image_left_in_an_unsent_edit_form_goes_with_the_daily_purge(alice, contributor, capsys):
    initiative = make_initiative()
    url = reverse("contributions:suggest_edit", kwargs={"slug": initiative.slug})
    fields = form_values(alice.get(url).content.decode())
    upload = SimpleUploadedFile("vitrine.png", png((200, 30, 30)), content_type="image/png")
    response = alice.post(url, {**fields, "new_image": upload, "new_alt_text": ""})  # refused: no description
    assert response.status_code == 400
    event = AuditEvent.objects.get(event_type=EventType.IMAGE_UPLOADED, actor=contributor)
    name = event.data["file"]
    assert default_storage.exists(name) and not Revision.objects.exists()
    assert purge_all(NOW)["abandoned_uploads_deleted"] == 0  # the person may still send the form
    moment = NOW - WEEK - timedelta(hours=1)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=moment)
    os.utime(default_storage.path(name), (moment.timestamp(), moment.timestamp()))
    call_command("purge_personal_data")
    assert "abandoned_uploads_deleted: 1" in capsys.readouterr().out
    assert not default_storage.exists(name)
