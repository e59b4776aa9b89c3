from django.contrib import admin

from carrefour.follows.models import FavouriteList, Follow


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "initiative", "organisation", "territory_level", "territory_code", "created_at"]
    list_filter = ["kind"]


@admin.register(FavouriteList)
class FavouriteListAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_shared", "updated_at"]
    exclude = ["share_token"]
