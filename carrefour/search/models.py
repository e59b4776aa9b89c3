"""The transactional outbox of the search index: the database is the source of truth."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexOutbox(models.Model):
    """An initiative whose indexed document must be refreshed (or removed), written in the changing transaction.

    Rows are deleted by the indexer only after the index commit that applied them, so a crash replays them.
    There is deliberately no foreign key: the row must outlive the deletion of its initiative.
    """

    initiative_id = models.BigIntegerField(_("initiative"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mise à jour d'index en attente")
        verbose_name_plural = _("mises à jour d'index en attente")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} → initiative {self.initiative_id}"
