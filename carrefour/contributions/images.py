"""Uploaded images (R-SEC-14): type by content, size and pixel limits, re-encoded by Pillow (no EXIF/GPS kept)."""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_IMAGES_PER_USER = 20
MAX_IMAGES_PER_INITIATIVE = 6
# Magic bytes → (Pillow format, stored extension).
SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "PNG", "png"),
)


def detect_format(head: bytes) -> tuple[str, str] | None:
    for magic, image_format, extension in SIGNATURES:
        if head.startswith(magic):
            return image_format, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP", "webp"
    return None


def clean_image(uploaded) -> ContentFile:
    """A checked, re-encoded copy of the upload under a random name; ValidationError with a French message if not."""
    if uploaded.size > MAX_BYTES:
        raise ValidationError(_("L'image dépasse 5 Mo : réduisez-la avant de l'envoyer."), code="too_large")
    uploaded.seek(0)
    raw = uploaded.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("L'image dépasse 5 Mo : réduisez-la avant de l'envoyer."), code="too_large")
    detected = detect_format(raw[:16])
    if detected is None:
        raise ValidationError(
            _("Ce fichier n'est pas une image JPEG, PNG ou WebP (les autres formats, dont SVG, sont refusés)."),
            code="bad_type",
        )
    image_format, extension = detected
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw), formats=[image_format])
        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("L'image est trop grande (%(pixels)s millions de pixels, 40 au plus)."),
                    code="too_many_pixels",
                    params={"pixels": round(width * height / 1_000_000)},
                )
            image.load()
            encoded = _reencode(image, image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("L'image est trop grande (40 millions de pixels au plus)."), code="too_many_pixels"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("Ce fichier image est illisible ou abîmé."), code="unreadable") from error
    return ContentFile(encoded, name=f"{uuid.uuid4().hex}.{extension}")


def _reencode(image: Image.Image, image_format: str) -> bytes:
    """Apply the EXIF orientation, then save pixels only: metadata (EXIF, GPS, comments) is not carried over."""
    image = ImageOps.exif_transpose(image)
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 85}}
    clean.save(out, format=image_format, **options[image_format])
    return out.getvalue()
