from django.contrib import admin

from carrefour.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: readable, never editable."""

    list_display = ["created_at", "event_type", "object_type", "object_id", "actor"]
    list_filter = ["event_type", "object_type"]
    search_fields = ["object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
