from django.contrib import admin

from carrefour.accounts import actions
from carrefour.accounts.models import InitiativeHolder, Membership, Profile, RoleGrant


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "profile_type", "user"]
    list_filter = ["profile_type"]
    search_fields = ["display_name", "user__email"]
    raw_id_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role_label", "created_at"]
    search_fields = ["user__email", "organisation__name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organisation"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Granting roles is the `roles.grant` action: every change is audited through carrefour.accounts.actions."""

    list_display = ["user", "role", "organisation", "source", "granted_by", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["themes", "regions"]
    readonly_fields = ["granted_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        actions.record_grant_change(form.instance, request.user, created=not change)

    def delete_model(self, request, obj):
        actions.revoke_role(obj, request.user)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            actions.revoke_role(grant, request.user)


@admin.register(InitiativeHolder)
class InitiativeHolderAdmin(admin.ModelAdmin):
    list_display = ["user", "initiative", "granted_by", "created_at"]
    search_fields = ["user__email", "initiative__name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["initiative"]
    readonly_fields = ["granted_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A holding is added or removed, never moved to another person or initiative.
        return [*self.readonly_fields, "user", "initiative"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            holder = actions.add_holder(obj.initiative, obj.user, request.user)
            obj.pk, obj.created_at, obj.granted_by = holder.pk, holder.created_at, holder.granted_by

    def delete_model(self, request, obj):
        actions.remove_holder(obj.initiative, obj.user, request.user)

    def delete_queryset(self, request, queryset):
        for holder in queryset.select_related("initiative", "user"):
            actions.remove_holder(holder.initiative, holder.user, request.user)
