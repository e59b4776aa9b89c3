from django.contrib import admin

from carrefour.messaging.models import ContactMessage, OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "attempts", "next_attempt_at", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "idempotency_key"]
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    # The list shows metadata only; a message's body is read on its own page, for abuse handling.
    list_display = ["initiative", "purpose", "recipient_kind", "created_at", "delivered_at", "purged_at"]
    list_filter = ["purpose", "recipient_kind"]
    readonly_fields = [field.name for field in ContactMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
