"""Image uploads (R-SEC-14): type by content, re-encoded without metadata, random names."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from carrefour.contributions.images import MAX_PIXELS, clean_image
from tests.factories import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Fabricant Secret"  # Make
    exif[0x9286] = "commentaire privé"  # UserComment (in the main IFD for the test)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def images_url(revision):
    return reverse("contributions:propose_step", kwargs={"pk": revision.pk, "step": "images"})


def test_a_valid_image_is_reencoded_without_metadata_under_a_random_name(alice, contributor):
    revision = make_proposal(author=contributor)
    raw = jpeg_with_exif()
    assert Image.open(io.BytesIO(raw)).getexif()  # the upload does carry EXIF
    upload = SimpleUploadedFile("photo-de-camille.jpg", raw, content_type="image/jpeg")
    response = alice.post(images_url(revision), {"image": upload, "alt_text": "L'atelier un samedi matin"})
    assert response.status_code == 302
    stored = revision.initiative.images.get()
    assert "camille" not in stored.image.name and stored.image.name.endswith(".jpg")
    with stored.image.open("rb") as handle:
        data = handle.read()
    assert data != raw
    reread = Image.open(io.BytesIO(data))
    assert reread.format == "JPEG" and reread.size == (64, 48)
    assert not reread.getexif()
    assert stored.alt_text == "L'atelier un samedi matin"


def test_a_file_that_is_not_an_image_is_refused_with_a_french_message(alice, contributor):
    revision = make_proposal(author=contributor)
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = alice.post(images_url(revision), {"image": fake, "alt_text": "Une photo"})
    assert response.status_code == 400
    assert "n&#x27;est pas une image JPEG, PNG ou WebP" in response.content.decode()
    assert not revision.initiative.images.exists()


def test_svg_is_refused():
    svg = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    with pytest.raises(Exception, match="JPEG, PNG ou WebP"):
        clean_image(svg)


def test_too_many_pixels_are_refused():
    side = int(MAX_PIXELS**0.5) + 10
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, format="PNG")
    with pytest.raises(Exception, match="trop grande"):
        clean_image(SimpleUploadedFile("grande.png", out.getvalue()))


def test_png_and_webp_are_accepted_and_keep_their_format():
    for image_format, extension in (("PNG", "png"), ("WEBP", "webp")):
        out = io.BytesIO()
        Image.new("RGBA", (10, 10), (0, 128, 0, 128)).save(out, format=image_format)
        cleaned = clean_image(SimpleUploadedFile(f"image.{extension}", out.getvalue()))
        assert cleaned.name.endswith(f".{extension}")
        assert Image.open(io.BytesIO(cleaned.read())).format == image_format
