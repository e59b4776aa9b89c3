"""Admin of the gazetteer. Rows come from `carrefour load_gazetteer`: they can be corrected, not added or deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from carrefour.territories.models import EPCI, Commune, Departement, PostalCode, Region


class GazetteerAdmin(admin.ModelAdmin):
    """Loaded rows are referenced by initiatives and organisations: deleting one would break those links."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(GazetteerAdmin):
    list_display = ["code", "name", "population"]
    search_fields = ["code", "name", "search_name"]
    readonly_fields = ["code", "search_name"]


@admin.register(Departement)
class DepartementAdmin(GazetteerAdmin):
    list_display = ["code", "name", "region", "population"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "name", "search_name"]
    readonly_fields = ["code", "search_name", "outline_size"]

    @admin.display(description=_("contour (GeoJSON)"))
    def outline_size(self, obj):
        return _("%(count)s caractères") % {"count": len(obj.outline)} if obj.outline else "—"


@admin.register(EPCI)
class EPCIAdmin(GazetteerAdmin):
    list_display = ["code", "name", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "search_name"]
    readonly_fields = ["code", "search_name"]


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 0
    fields = ["code"]
    readonly_fields = ["code"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(GazetteerAdmin):
    list_display = ["code", "name", "departement", "population"]
    list_filter = ["region"]
    list_select_related = ["departement"]
    search_fields = ["code", "name", "search_name", "postal_codes__code"]
    autocomplete_fields = ["epci"]
    readonly_fields = ["code", "search_name", "bounding_box", "polygon_size"]
    inlines = [PostalCodeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("geometry")

    @admin.display(description=_("emprise (lon/lat min, lon/lat max)"))
    def bounding_box(self, obj):
        if obj.min_lon is None:
            return "—"
        return f"{obj.min_lon:.4f}, {obj.min_lat:.4f} — {obj.max_lon:.4f}, {obj.max_lat:.4f}"

    @admin.display(description=_("polygone (WKB)"))
    def polygon_size(self, obj):
        if not obj.geometry:
            return _("aucun polygone")
        return _("%(size)s octets") % {"size": len(obj.geometry)}


@admin.register(PostalCode)
class PostalCodeAdmin(GazetteerAdmin):
    list_display = ["code", "commune"]
    list_select_related = ["commune__departement"]
    search_fields = ["code", "commune__name", "commune__search_name", "commune__code"]
    autocomplete_fields = ["commune"]
