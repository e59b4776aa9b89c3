"""`generate_demo`: replace the demo data with N plausible initiatives and their organisations, in one transaction.

The same seed always gives the same rows: every choice comes from one `random.Random(seed)` and every date from a
fixed reference date. Demo rows carry `is_demo=True`; nothing else is touched.
"""

import random
import time

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carrefour.catalog.models import Initiative, Organisation
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.demo.plan import Planner
from carrefour.demo.reference import load_reference
from carrefour.demo.writer import delete_demo_data, write_plan


class DemoDataError(Exception):
    """The demo cannot be generated (for example, the gazetteer is empty)."""


def generate_demo(size: int, seed: int = 0, stdout=None) -> dict:
    """Replace the demo rows with `size` initiatives; returns the row counts and the elapsed seconds."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise DemoDataError(_("La taille de la démo doit être un entier strictement positif."))
    progress = _Progress(stdout)
    with transaction.atomic():
        delete_demo_data()
        progress(_("Anciennes données de démonstration supprimées."))
        reference = load_reference()
        if not reference.places:
            raise DemoDataError(_("Aucune commune avec des coordonnées : chargez d'abord le référentiel géographique."))
        taken = {
            "initiatives": set(Initiative.objects.values_list("slug", flat=True)),
            "organisations": set(Organisation.objects.values_list("slug", flat=True)),
        }
        plan = Planner(random.Random(seed), reference, taken, size).plan()
        progress(_("%(count)s initiatives préparées.") % {"count": _number(len(plan.initiatives))})
        counts = write_plan(plan, progress.table)
        record_event(EventType.DEMO_GENERATED, None, size=size, seed=seed)
    counts["seconds"] = progress.elapsed()
    return counts


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


class _Progress:
    TABLES = {
        "organisations": gettext_lazy("Organisations"),
        "initiatives": gettext_lazy("Initiatives"),
        "terms": gettext_lazy("Rattachements à la taxonomie"),
        "locations": gettext_lazy("Lieux"),
        "links": gettext_lazy("Liens"),
        "stakeholders": gettext_lazy("Rôles d'organisations"),
        "source_records": gettext_lazy("Enregistrements d'origine"),
    }

    def __init__(self, stdout):
        self._stdout = stdout
        self._started = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self._stdout is not None:
            seconds = number_format(self.elapsed(), decimal_pos=1)
            self._stdout.write(f"[{seconds} s] {message}\n")

    def table(self, key: str, count: int) -> None:
        self(_("%(table)s : %(count)s.") % {"table": self.TABLES[key], "count": _number(count)})

    def elapsed(self) -> float:
        return round(time.perf_counter() - self._started, 1)
