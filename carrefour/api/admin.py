"""Back office of API tokens: only the hash and the displayed prefix are kept; create tokens with the command
`carrefour api_token create`, which prints the token once."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from carrefour.api import actions
from carrefour.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "source", "organisation", "created_at", "last_used_at", "revoked_at")
    list_filter = ("source",)
    search_fields = ("name", "prefix")
    readonly_fields = ("prefix", "token_hash", "source", "organisation", "created_by", "created_at", "last_used_at",
                       "revoked_at")  # fmt: skip
    fields = ("name", *readonly_fields)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token is created by the command, which shows it once

    @admin.action(description=_("Révoquer les jetons choisis"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            actions.revoke_token(token, request.user)
        self.message_user(request, _("Jetons révoqués."), messages.SUCCESS)
