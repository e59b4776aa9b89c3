from django.contrib import admin

from carrefour.alerts.models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["label", "frequency", "confirmed_at", "last_sent_at", "created_at"]
    list_filter = ["frequency"]
    search_fields = ["label", "email"]
    exclude = ["confirmation_token", "unsubscribe_token"]
