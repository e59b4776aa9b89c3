"""« Suivre » buttons (initiative, organisation, territory) and « Ajouter à une liste », for the public pages."""

from django import template
from django.urls import reverse

from carrefour.follows import actions
from carrefour.follows.territories import Territory

register = template.Library()


def _button(context, url: str, following: bool, label: str) -> dict:
    request = context.get("request")
    return {
        "url": url,
        "following": following,
        "label": label,
        "next": request.get_full_path() if request else "",
        "user": getattr(request, "user", None),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("follows/_initiative_actions.html", takes_context=True)
def initiative_follow_actions(context, initiative):
    request = context.get("request")
    user = getattr(request, "user", None)
    following = bool(user and user.is_authenticated and actions.is_following(user, initiative=initiative))
    return {
        **_button(context, reverse("follows:follow_initiative", args=[initiative.slug]), following, initiative.name),
        "initiative": initiative,
    }


@register.inclusion_tag("follows/_follow_button.html", takes_context=True)
def organisation_follow_button(context, organisation):
    user = getattr(context.get("request"), "user", None)
    following = bool(user and user.is_authenticated and actions.is_following(user, organisation=organisation))
    url = reverse("follows:follow_organisation", args=[organisation.slug])
    return _button(context, url, following, organisation.name)


@register.inclusion_tag("follows/_follow_button.html", takes_context=True)
def territory_follow_button(context, level, territory):
    user = getattr(context.get("request"), "user", None)
    target = Territory(level.name, territory.pk, territory.name)
    following = bool(user and user.is_authenticated and actions.is_following(user, territory=target))
    url = reverse("follows:follow_territory", args=[level.name, territory.pk])
    return {**_button(context, url, following, territory.name), "territory": True}
