"""`carrefour serve`: the site behind gunicorn (static files through WhiteNoise)."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Sert le site (gunicorn) sur l'hôte et le port donnés.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help=_("adresse d'écoute (127.0.0.1 par défaut)"))
        parser.add_argument("--port", type=int, default=8000, help=_("port d'écoute (8000 par défaut)"))
        parser.add_argument("--workers", type=int, default=2, help=_("nombre de processus (2 par défaut)"))

    def handle(self, *args, host, port, workers, **options):
        if not 0 < port < 65536:
            raise CommandError(_("Le port doit être compris entre 1 et 65535."))
        if workers < 1:
            raise CommandError(_("Il faut au moins un processus."))
        self.stdout.write(
            _("Carrefour des innovations sociales : http://%(host)s:%(port)s/") % {"host": host, "port": port}
        )
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        argv = [gunicorn, "carrefour.wsgi:application", "--bind", f"{host}:{port}", "--workers", str(workers)]
        argv += ["--access-logfile", "-", "--timeout", "60", "--no-control-socket"]
        os.execv(gunicorn, argv)
