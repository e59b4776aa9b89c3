"""The initiative sheet (« fiche »), its locations, links and images."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.validators import validate_latitude, validate_longitude
from carrefour.core.fields import WebAddressField


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumise")
    PUBLISHED = "published", _("Publiée")
    REJECTED = "rejected", _("Refusée")
    ARCHIVED = "archived", _("Archivée")
    HIDDEN = "hidden", _("Masquée en attente de vérification")


class ContactChannel(models.TextChoices):
    RELAY = "relay", _("Formulaire de mise en relation (adresse jamais affichée)")
    WEBSITE = "website", _("Via le site web de l'initiative")
    ORGANISATION = "organisation", _("Contact public de l'organisation porteuse")


def _term_field(vocabulary: str, verbose_name, related_name: str) -> models.ManyToManyField:
    return models.ManyToManyField(
        "catalog.Term",
        blank=True,
        related_name=related_name,
        limit_choices_to={"vocabulary": vocabulary},
        verbose_name=verbose_name,
    )


class PublishedManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(status=Status.PUBLISHED)


class Initiative(models.Model):
    Status = Status

    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=170, unique=True, editable=False)
    summary = models.CharField(_("résumé"), max_length=280, help_text=_("280 caractères au plus."))
    description = models.TextField(_("description (Markdown)"), blank=True)
    stage = models.ForeignKey(
        "catalog.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "stage"},
        verbose_name=_("stade"),
    )
    scale = models.ForeignKey(
        "catalog.Term",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "scale"},
        verbose_name=_("échelle d'action"),
    )
    start_year = models.PositiveSmallIntegerField(
        _("année de lancement"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    themes = _term_field("theme", _("thématiques et sous-thématiques"), "initiatives_by_theme")
    publics = _term_field("public", _("publics"), "initiatives_by_public")
    innovation_forms = _term_field("innovation_form", _("formes d'innovation"), "initiatives_by_form")
    place_types = _term_field("place_type", _("types de lieu ou d'initiative"), "initiatives_by_type")
    website = WebAddressField(_("site web"), blank=True, max_length=500)
    contact_channel = models.CharField(
        _("moyen de contact"), max_length=20, choices=ContactChannel.choices, default=ContactChannel.RELAY
    )
    # Private: used by the contact relay, never displayed or exported.
    contact_email = models.EmailField(_("adresse de contact (jamais affichée)"), blank=True)
    replicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications",
        verbose_name=_("essaimée depuis"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        editable=False,
        verbose_name=_("fusionnée dans"),
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # Optimistic locking: every accepted change increments it; a save based on an older version is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, editable=False)
    last_confirmed_at = models.DateTimeField(_("confirmée à jour le"), null=True, blank=True)

    objects = models.Manager()
    published = PublishedManager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "updated_at"], name="initiative_status_updated_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:initiative", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED


class Precision(models.TextChoices):
    ADDRESS = "address", _("à l'adresse")
    COMMUNE = "commune", _("à la commune")
    DEPARTEMENT = "departement", _("au département")


class Location(models.Model):
    Precision = Precision

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="locations")
    label = models.CharField(_("nom du lieu"), max_length=150, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="locations", verbose_name=_("commune")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=[validate_latitude])
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=[validate_longitude])
    precision = models.CharField(_("précision"), max_length=20, choices=Precision.choices, default=Precision.COMMUNE)
    coordinates_look_swapped = models.BooleanField(_("latitude et longitude inversées ?"), default=False)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label or self.address or str(self.commune)


class LinkKind(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    MASTODON = "mastodon", "Mastodon"
    YOUTUBE = "youtube", "YouTube"
    OTHER = "other", _("Autre lien")


class InitiativeLink(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("réseau"), max_length=20, choices=LinkKind.choices, default=LinkKind.OTHER)
    url = WebAddressField(_("adresse"), max_length=500)

    class Meta:
        verbose_name = _("lien")
        verbose_name_plural = _("liens et réseaux sociaux")

    def __str__(self) -> str:
        return self.url


class InitiativeImage(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="initiatives/%Y/")
    alt_text = models.CharField(_("texte alternatif"), max_length=200, blank=True)
    credit = models.CharField(_("crédit"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class SlugRedirect(models.Model):
    """An old address of a renamed sheet; it answers with a permanent redirect forever."""

    model = models.CharField(max_length=40)
    old_slug = models.SlugField(max_length=220)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")
        constraints = [models.UniqueConstraint(fields=["model", "old_slug"], name="unique_old_slug")]

    def __str__(self) -> str:
        return f"{self.model}:{self.old_slug}"
