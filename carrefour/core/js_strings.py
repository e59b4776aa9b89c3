"""The words our scripts show, translated like every other word, and handed to them in a JSON block.

Scripts read them with `carrefourText(key, values)` (see `core/static/carrefour/text.js`): `%(name)s` placeholders,
and for counted phrases a pair [one, many] chosen by the page language's plural rule.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _counted(forms: Callable[[int], str]) -> list[str]:
    """[one, many] of a counted phrase. Each phrase is written as a literal `ngettext` call, so that makemessages
    finds it (a helper receiving the two texts as variables would hide them from the catalogue)."""
    return [forms(1), forms(2)]


def js_strings() -> dict:
    return {
        "suggestions": _counted(
            lambda n: ngettext("%(count)s suggestion disponible.", "%(count)s suggestions disponibles.", n)
        ),
        "zoom_in": _("Zoomer"),
        "zoom_out": _("Dézoomer"),
        "map_loading": _("Chargement de la carte…"),
        "map_failed": _("La carte n'a pas pu être chargée ; la liste reste disponible."),
        "cluster": _counted(
            lambda n: ngettext(
                "%(count)s initiative regroupée ici : appuyez sur Entrée pour zoomer",
                "%(count)s initiatives regroupées ici : appuyez sur Entrée pour zoomer",
                n,
            )
        ),
        "points_shown": _counted(
            lambda n: ngettext(
                "%(count)s initiative placée sur la carte.", "%(count)s initiatives placées sur la carte.", n
            )
        ),
        "points_truncated": _("La carte se limite aux %(count)s premiers résultats : affinez la recherche."),
        "points_unlocated": _counted(
            lambda n: ngettext(
                "%(count)s sans position ne figure que dans la liste.",
                "%(count)s sans position ne figurent que dans la liste.",
                n,
            )
        ),
        "zone_too_large": _(
            "Cette zone est trop grande : zoomez sur la carte pour rechercher dans une zone plus petite."
        ),
    }
