"""`carrefour send_outbox`: deliver the queued mails (cron every minute, or `--loop` as a long-running worker)."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext as _

from carrefour.messaging import outbox

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = _("Envoie les e-mails en attente, avec nouvelles tentatives espacées en cas d'échec.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help=_("tourner en continu (sinon : un passage)"))
        parser.add_argument("--interval", type=float, default=10.0, help=_("pause entre deux passages (10 s)"))
        parser.add_argument("--seconds", type=float, default=None, help=_("avec --loop : s'arrêter après ce délai"))
        parser.add_argument("--limit", type=int, default=None, help=_("envoyer au plus ce nombre d'e-mails"))
        parser.add_argument(
            "--retry-failed", action="store_true", help=_("remettre d'abord en file les e-mails en échec définitif")
        )

    def handle(self, *args, loop, interval, seconds, limit, retry_failed, **options):
        if limit is not None and limit < 1:
            raise CommandError(_("--limit doit être un nombre entier positif."))
        if retry_failed:
            self.stdout.write(_("%(count)s e-mails remis en file.") % {"count": outbox.retry_failed()})
        deadline = time.monotonic() + seconds if seconds is not None else None
        total_sent = total_failed = 0
        while True:
            if loop:  # a long-running worker: drop connections the database has closed or that have aged out
                close_old_connections()
            try:
                sent, failed = outbox.send_due(limit=limit)
            except Exception:
                if not loop:
                    raise
                logger.exception("send_outbox pass failed; retrying at the next pass")
                sent = failed = 0
            total_sent, total_failed = total_sent + sent, total_failed + failed
            if not loop or (deadline is not None and time.monotonic() >= deadline):
                break
            time.sleep(max(interval, 0.1))
        if options["verbosity"]:
            self.stdout.write(
                _("%(sent)s e-mails envoyés, %(failed)s tentatives en échec (elles seront retentées).")
                % {"sent": total_sent, "failed": total_failed}
            )
