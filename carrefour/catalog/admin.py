from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from carrefour.catalog import actions
from carrefour.catalog.forms import LocationForm, OrganisationForm
from carrefour.catalog.models import (
    Crosswalk,
    Initiative,
    InitiativeImage,
    InitiativeLink,
    Location,
    Organisation,
    SlugRedirect,
    Stakeholder,
    Term,
)
from carrefour.sources.models import SourceRecord


class LocationInline(admin.StackedInline):
    model = Location
    form = LocationForm
    extra = 0


class StakeholderInline(admin.TabularInline):
    model = Stakeholder
    extra = 0
    autocomplete_fields = ["organisation"]


class LinkInline(admin.TabularInline):
    model = InitiativeLink
    extra = 0


class ImageInline(admin.TabularInline):
    model = InitiativeImage
    extra = 0


class SourceRecordInline(admin.TabularInline):
    model = SourceRecord
    extra = 0
    fields = ["source", "external_id", "url", "fetched_at"]
    readonly_fields = ["fetched_at"]


class RenameThroughActionMixin:
    """Saves go through the catalogue actions: a rename keeps a redirect, every save is audited."""

    save_action = None

    def save_model(self, request, obj, form, change):
        if change and "name" in form.changed_data:
            new_name = obj.name
            obj.name = form.initial["name"]
            actions.rename(obj, new_name, actor=request.user)
        type(self).save_action(obj, actor=request.user, changed_fields=form.changed_data)


@admin.register(Initiative)
class InitiativeAdmin(RenameThroughActionMixin, admin.ModelAdmin):
    save_action = actions.save_initiative
    list_display = ["name", "status", "stage", "updated_at", "is_demo"]
    list_filter = ["status", "is_demo", "stage", "scale", "themes"]
    search_fields = ["name", "summary", "slug"]
    readonly_fields = ["slug", "created_at", "updated_at", "published_at", "is_demo"]
    autocomplete_fields = ["replicated_from"]
    filter_horizontal = ["themes", "publics", "innovation_forms", "place_types"]
    inlines = [LocationInline, StakeholderInline, LinkInline, ImageInline, SourceRecordInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "description", "status"]}),
        (_("Caractéristiques"), {"fields": ["stage", "scale", "start_year", "replicated_from"]}),
        (_("Taxonomie"), {"fields": ["themes", "publics", "place_types", "innovation_forms"]}),
        (_("Contact et web"), {"fields": ["website", "contact_channel", "contact_email"]}),
        (
            _("Dates"),
            {"fields": ["created_at", "updated_at", "published_at", "last_confirmed_at", "is_demo"]},
        ),
    ]


@admin.register(Organisation)
class OrganisationAdmin(RenameThroughActionMixin, admin.ModelAdmin):
    save_action = actions.save_organisation
    form = OrganisationForm
    list_display = ["name", "structure_type", "siret", "rna", "commune", "is_demo"]
    list_filter = ["structure_type", "is_demo"]
    search_fields = ["name", "siren", "siret", "rna", "slug"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["slug", "is_demo", "created_at", "updated_at"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "vocabulary", "parent", "is_active"]
    list_filter = ["vocabulary", "is_active"]
    search_fields = ["code", "label"]


@admin.register(Crosswalk)
class CrosswalkAdmin(admin.ModelAdmin):
    list_display = ["scheme", "source_code", "source_label", "term"]
    list_filter = ["scheme"]
    search_fields = ["source_code", "source_label"]


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["model", "old_slug", "object_id", "created_at"]
    search_fields = ["old_slug"]

    def has_change_permission(self, request, obj=None):
        return False
