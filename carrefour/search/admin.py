"""Read-only views of how each server's search index follows the shared outbox (docs/deploiement.md)."""

from django.contrib import admin

from carrefour.search.models import IndexConsumer, OutboxHorizon


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IndexConsumer)
class IndexConsumerAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_applied_id", "last_seen_at"]
    search_fields = ["name"]


@admin.register(OutboxHorizon)
class OutboxHorizonAdmin(ReadOnlyAdmin):
    list_display = ["purged_through", "purged_at"]
