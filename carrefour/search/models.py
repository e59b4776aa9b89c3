"""The transactional outbox of the search index: the database is the source of truth.

The outbox is a log that every index folder (one per application server) follows with its own cursor, kept inside
the index generation (carrefour/search/cursor.py). Rows are purged only once every live index has passed them
(carrefour/search/outbox.py), and the highest purged id is kept, so an index that fell behind knows it must rebuild.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexOutbox(models.Model):
    """An initiative whose indexed document must be refreshed (or removed), written in the changing transaction.

    Applying a row is idempotent (the document is rebuilt from the current database state), so replaying is safe.
    There is deliberately no foreign key: the row must outlive the deletion of its initiative.
    """

    initiative_id = models.BigIntegerField(_("initiative"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mise à jour d'index en attente")
        verbose_name_plural = _("mises à jour d'index en attente")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} → initiative {self.initiative_id}"


class IndexConsumer(models.Model):
    """One search index (one server's index folder) following the outbox: how far it is, when it was last seen."""

    name = models.CharField(_("nom"), max_length=255, unique=True)
    last_applied_id = models.BigIntegerField(_("dernière ligne appliquée"), default=0)
    last_seen_at = models.DateTimeField(_("vu pour la dernière fois le"))

    class Meta:
        verbose_name = _("index de recherche abonné")
        verbose_name_plural = _("index de recherche abonnés")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} → #{self.last_applied_id}"


class OutboxHorizon(models.Model):
    """A single row: the highest outbox id ever purged. An index whose cursor is below it missed rows: it rebuilds."""

    purged_through = models.BigIntegerField(_("purgée jusqu'à la ligne"), default=0)
    purged_at = models.DateTimeField(_("dernière purge le"), null=True, blank=True)

    class Meta:
        verbose_name = _("horizon de purge de la file d'indexation")
        verbose_name_plural = _("horizons de purge de la file d'indexation")

    def __str__(self) -> str:
        return f"≤ #{self.purged_through}"
