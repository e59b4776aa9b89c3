from django.contrib import admin

from carrefour.contacts.models import DirectoryListing, ReplicationRequest


@admin.register(ReplicationRequest)
class ReplicationRequestAdmin(admin.ModelAdmin):
    """Read-only: requests move only through their named actions (audited, with their mails)."""

    list_display = ["model_initiative", "territory_label", "status", "reminders_sent", "created_at"]
    list_filter = ["status"]
    search_fields = ["model_initiative__name"]
    exclude = ["message"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DirectoryListing)
class DirectoryListingAdmin(admin.ModelAdmin):
    list_display = ["shown_name", "visible", "consented_at", "consent_version"]
    list_filter = ["visible"]
    readonly_fields = ["consented_at", "consent_version"]

    def has_add_permission(self, request) -> bool:
        return False
