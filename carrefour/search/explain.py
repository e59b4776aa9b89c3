"""A hit's rank explanation (`Hit.explanation`) in words, for the « Pourquoi ce rang ? » disclosure of the page."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

SIGNAL_LABELS = {
    "text": lambda: _("correspondance avec le texte cherché"),
    "distance": lambda: _("proximité du lieu demandé"),
    "quality": lambda: _("qualité de la fiche (complétude, confirmation)"),
    "freshness": lambda: _("fraîcheur de la fiche"),
}


def _number(value: float, places: int = 3) -> str:
    return number_format(round(value, places), decimal_pos=places)


def explanation_lines(explanation: dict | None) -> list[str]:
    """French sentences, one per part of the score; empty without an explanation."""
    if not explanation:
        return []
    sort = explanation.get("sort")
    if sort == "distance":
        distance = explanation.get("distance_km")
        if distance is None:
            return [_("Classée par distance ; cette fiche n'a pas de coordonnées, elle vient après les autres.")]
        return [_("Classée par distance : à %(km)s km du lieu demandé.") % {"km": _number(distance, 1)}]
    if sort == "freshness":
        return [_("Classée par fraîcheur : les fiches mises à jour ou confirmées le plus récemment d'abord.")]
    lines = [
        _("Score combiné %(score)s, somme des parts suivantes :") % {"score": _number(explanation.get("score", 0.0))}
    ]
    for name, label in SIGNAL_LABELS.items():
        if name in explanation:
            lines.append(
                _("%(label)s : %(part)s (signal %(signal)s)")
                % {
                    "label": label(),
                    "part": _number(explanation[name]),
                    "signal": _number(explanation.get(f"{name}_signal", 0.0)),
                }
            )
    if explanation.get("distance_km") is not None:
        lines.append(_("Distance : %(km)s km.") % {"km": _number(explanation["distance_km"], 1)})
    if explanation.get("diversified"):
        lines.append(
            _(
                "Rang %(blended)s avant diversification, %(rank)s après : une même source, organisation ou un même "
                "département ne peut occuper toute une page."
            )
            % {"blended": explanation.get("blended_rank"), "rank": explanation.get("rank")}
        )
    return lines
