"""The back office's organisation page keeps the organisation's history: each change there is an applied revision.

The catalogue's OrganisationAdmin already saves through the catalogue actions; this subclass (registered in its place,
the contributions app coming after catalog in INSTALLED_APPS) adds the revision, so the catalogue does not depend on
contributions.
"""

from django.contrib import admin
from django.utils.translation import gettext as _

from carrefour.catalog.admin import OrganisationAdmin
from carrefour.catalog.models import Organisation
from carrefour.contributions import organisation_revisions
from carrefour.contributions.models import Revision


class OrganisationWithHistoryAdmin(OrganisationAdmin):
    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        previous = organisation_revisions.snapshot(Organisation.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        organisation_revisions.record_edit(
            obj, previous, request.user, Revision.Kind.DIRECT_EDIT, comment=_("Modifiée dans l'administration")
        )


admin.site.unregister(Organisation)
admin.site.register(Organisation, OrganisationWithHistoryAdmin)
