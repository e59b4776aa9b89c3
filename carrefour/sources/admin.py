from django.contrib import admin

from carrefour.sources.models import Source, SourceRecord


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "licence", "is_demo"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SourceRecord)
class SourceRecordAdmin(admin.ModelAdmin):
    list_display = ["source", "external_id", "initiative", "fetched_at"]
    list_filter = ["source"]
    search_fields = ["external_id", "initiative__name"]
    raw_id_fields = ["initiative"]
