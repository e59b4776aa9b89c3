"""Images in edits of published sheets (R-SEC-14): add, replace, remove; moderated like any other field."""

import io
import time

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from carrefour.accounts.models import InitiativeHolder
from carrefour.catalog.models import InitiativeImage
from carrefour.contributions.forms_images import KEPT_SALT
from carrefour.contributions.models import Revision
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from tests.contributions.html_forms import form_values
from tests.factories import make_holder, make_initiative, make_user

pytestmark = pytest.mark.django_db
NEW_SUMMARY = "Un atelier de réparation solidaire, ouvert à toutes et à tous chaque samedi."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(colour=(200, 120, 40), with_exif: bool = True) -> bytes:
    image = Image.new("RGB", (64, 48), colour)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Fabricant Secret"
    image.save(out, format="JPEG", **({"exif": exif.tobytes()} if with_exif else {}))
    return out.getvalue()


def upload(name="photo-de-camille.jpg", raw=None):
    return SimpleUploadedFile(name, raw or jpeg(), content_type="image/jpeg")


def with_image(initiative, alt_text="La vitrine de l'atelier"):
    image = InitiativeImage(initiative=initiative, alt_text=alt_text, credit="Camille")
    image.image.save("vitrine.jpg", ContentFile(jpeg((10, 90, 200), with_exif=False)), save=True)
    return image


@pytest.fixture
def sheet():
    return make_initiative()


@pytest.fixture
def holder(sheet):
    user = make_user("porteuse@exemple.fr")
    make_holder(sheet, user)
    client = Client()
    client.force_login(user)
    return client


def edit_url(initiative, mode="edit"):
    return reverse(f"contributions:{mode}", kwargs={"slug": initiative.slug})


def opened(client, initiative, mode="edit") -> dict:
    return form_values(client.get(edit_url(initiative, mode)).content.decode())


def test_a_holder_adds_an_image_reencoded_without_metadata_and_the_history_shows_it(holder, sheet):
    response = holder.post(
        edit_url(sheet), {**opened(holder, sheet), "new_image": upload(), "new_alt_text": "Un samedi à l'atelier"}
    )
    assert response.status_code == 302
    stored = sheet.images.get()
    assert "camille" not in stored.image.name and stored.alt_text == "Un samedi à l'atelier"
    with stored.image.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif()
    revision = Revision.objects.get(initiative=sheet, kind=Revision.Kind.DIRECT_EDIT)
    assert revision.data["images"][0]["file"] == stored.image.name and revision.previous_data["images"] == []
    history = Client().get(reverse("contributions:history", kwargs={"slug": sheet.slug})).content.decode()
    assert "Images" in history and f'src="/media/{stored.image.name}"' in history


def test_a_suggested_image_waits_for_approval_then_appears(alice, moderator_client, sheet):
    response = alice.post(
        edit_url(sheet, "suggest_edit"),
        {**opened(alice, sheet, "suggest_edit"), "new_image": upload(), "new_alt_text": "La façade repeinte"},
    )
    assert response.status_code == 302
    assert not sheet.images.exists()  # the public sheet is unchanged
    revision = Revision.objects.get(kind=Revision.Kind.SUGGESTED_EDIT)
    page = moderator_client.get(reverse("moderation:revision", kwargs={"pk": revision.pk})).content.decode()
    assert "La façade repeinte" in page and revision.data["images"][0]["file"] in page  # words and thumbnail
    decided = moderator_client.post(
        reverse("moderation:decide_revision", kwargs={"pk": revision.pk}), {"decision": "approve"}
    )
    assert decided.status_code == 302
    assert sheet.images.get().alt_text == "La façade repeinte"


def test_removing_an_image_is_a_revision_that_a_revert_undoes(holder, sheet, moderator_client):
    name = with_image(sheet).image.name
    assert holder.post(edit_url(sheet), {**opened(holder, sheet), "summary": NEW_SUMMARY}).status_code == 302
    before_removal = Revision.objects.get(initiative=sheet, kind=Revision.Kind.DIRECT_EDIT)
    response = holder.post(edit_url(sheet), {**opened(holder, sheet), "image_0_remove": "on"})
    assert response.status_code == 302
    assert not sheet.images.exists()
    removal = Revision.objects.filter(initiative=sheet, kind=Revision.Kind.DIRECT_EDIT).latest("id")
    assert [row["file"] for row in removal.previous_data["images"]] == [name] and removal.data["images"] == []
    # The file stayed in storage: restoring the version before the removal brings the image back.
    assert moderator_client.post(reverse("contributions:revert", kwargs={"pk": before_removal.pk})).status_code == 302
    restored = sheet.images.get()
    assert restored.image.name == name and restored.alt_text == "La vitrine de l'atelier"


def test_replacing_an_image_keeps_its_place_and_changes_its_file(holder, sheet):
    image = with_image(sheet)
    old_name = image.image.name
    form = opened(holder, sheet)
    assert form["image_0_alt_text"] == "La vitrine de l'atelier"
    response = holder.post(
        edit_url(sheet),
        {**form, "image_0_replacement": upload("nouvelle.png", jpeg((0, 200, 0))), "image_0_alt_text": "La vitrine"},
    )
    assert response.status_code == 302
    replaced = sheet.images.get()
    assert replaced.image.name != old_name and replaced.alt_text == "La vitrine" and replaced.credit == "Camille"


def test_a_refused_file_gets_its_message_next_to_the_field_and_keeps_every_typed_value(holder, sheet):
    fake = SimpleUploadedFile("photo.jpg", b"<svg onload=alert(1)></svg>", content_type="image/jpeg")
    response = holder.post(
        edit_url(sheet),
        {**opened(holder, sheet), "summary": NEW_SUMMARY, "new_image": fake, "new_alt_text": "Le jardin partagé"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "n&#x27;est pas une image JPEG, PNG ou WebP" in html
    assert 'href="#id_new_image"' in html  # listed in the error summary, linked to its field
    kept = form_values(html)
    assert kept["summary"] == NEW_SUMMARY and kept["new_alt_text"] == "Le jardin partagé"
    sheet.refresh_from_db()
    assert sheet.summary != NEW_SUMMARY and not sheet.images.exists()


def test_an_accepted_file_is_not_asked_again_when_another_field_is_refused(holder, sheet):
    response = holder.post(
        edit_url(sheet), {**opened(holder, sheet), "name": "", "new_image": upload(), "new_alt_text": "Le comptoir"}
    )
    assert response.status_code == 400
    again = form_values(response.content.decode())
    assert again["new_image_kept"]
    assert "Fichier déjà reçu" in response.content.decode()
    response = holder.post(edit_url(sheet), {**again, "name": "Repair Café de Quimper Centre"})
    assert response.status_code == 302
    assert sheet.images.get().alt_text == "Le comptoir"


def sheet_holder_pk(sheet) -> int:
    return InitiativeHolder.objects.get(initiative=sheet).user_id


def kept_then_resent(holder, sheet, monkeypatch, *, days_later: float = 0, purged: bool = False):
    """An accepted file kept by a refused form, then the corrected form sent again `days_later`."""
    response = holder.post(
        edit_url(sheet), {**opened(holder, sheet), "name": "", "new_image": upload(), "new_alt_text": "Le comptoir"}
    )
    again = form_values(response.content.decode())
    if purged:
        default_storage.delete(signing.loads(again["new_image_kept"], salt=f"{KEPT_SALT}.{sheet_holder_pk(sheet)}"))
    if days_later:
        later = time.time() + days_later * 86400
        monkeypatch.setattr(signing.time, "time", lambda: later)
    return holder.post(edit_url(sheet), {**again, "name": "Repair Café de Quimper Centre"})


@pytest.mark.parametrize("case", [{"days_later": 6.1}, {"purged": True}])
def test_a_kept_file_too_old_or_gone_is_asked_again_never_dropped_silently(holder, sheet, monkeypatch, case):
    response = kept_then_resent(holder, sheet, monkeypatch, **case)
    assert response.status_code == 400
    html = response.content.decode()
    assert "n&#x27;a pas été gardée : choisissez son fichier de nouveau" in html
    assert form_values(html)["name"] == "Repair Café de Quimper Centre"  # every typed word stays
    assert not sheet.images.exists()


def test_a_kept_file_a_few_days_old_is_still_kept(holder, sheet, monkeypatch):
    assert kept_then_resent(holder, sheet, monkeypatch, days_later=4).status_code == 302
    assert sheet.images.get().alt_text == "Le comptoir"


def test_a_kept_file_signed_for_someone_else_is_ignored(holder, sheet, alice):
    response = holder.post(
        edit_url(sheet), {**opened(holder, sheet), "name": "", "new_image": upload(), "new_alt_text": "x"}
    )
    stolen = form_values(response.content.decode())["new_image_kept"]
    response = alice.post(
        edit_url(sheet, "suggest_edit"),
        {**opened(alice, sheet, "suggest_edit"), "new_image_kept": stolen, "new_alt_text": "Image d'autrui"},
    )
    assert "Choisissez le fichier de l&#x27;image" in response.content.decode()
    assert not Revision.objects.filter(kind=Revision.Kind.SUGGESTED_EDIT).exists()


def test_a_description_is_required_for_a_new_image(holder, sheet):
    response = holder.post(edit_url(sheet), {**opened(holder, sheet), "new_image": upload()})
    assert response.status_code == 400
    assert "Décrivez l&#x27;image" in response.content.decode()
    assert not sheet.images.exists()


def test_a_sheet_holds_six_images_at_most(holder, sheet):
    for number in range(6):
        with_image(sheet, f"Image {number}")
    response = holder.post(
        edit_url(sheet), {**opened(holder, sheet), "new_image": upload(), "new_alt_text": "Une de trop"}
    )
    assert response.status_code == 400
    assert "6 images au plus" in response.content.decode()
    assert sheet.images.count() == 6


def test_a_person_past_the_upload_quota_is_refused_with_a_message(holder, sheet):
    user = InitiativeHolder.objects.get(initiative=sheet).user
    for number in range(20):
        record_event(EventType.IMAGE_UPLOADED, None, user, file=f"initiatives/2026/ancienne-{number}.jpg")
    response = holder.post(edit_url(sheet), {**opened(holder, sheet), "new_image": upload(), "new_alt_text": "Encore"})
    assert response.status_code == 400
    assert "limite de 20 images" in response.content.decode()
    assert not sheet.images.exists()
