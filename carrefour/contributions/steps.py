"""The steps of « Proposer une initiative »: each shows part of the sheet's fields and saves the draft."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from carrefour.contributions.forms import InitiativeForm, initial_from


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple[str, ...] = ()


STEPS = (
    Step("quoi", _("L'initiative"), ("name", "summary", "description")),
    Step("porteur", _("Qui la porte"), ("carrier",)),
    Step("lieu", _("Où"), ("commune", "address", "postal_code")),
    Step(
        "classement",
        _("Thématiques, publics et stade"),
        ("themes", "publics", "place_types", "innovation_forms", "stage", "scale", "start_year"),
    ),
    Step("contact", _("Contact"), ("contact_channel", "contact_email", "website", "links")),
    Step("images", _("Images")),
    Step("verifier", _("Vérifier et envoyer")),
)
BY_SLUG = {step.slug: step for step in STEPS}
FIRST = STEPS[0]


def next_step(step: Step) -> Step:
    index = STEPS.index(step)
    return STEPS[min(index + 1, len(STEPS) - 1)]


def incomplete_steps(data: dict) -> list[tuple[Step, list[str]]]:
    """Steps whose fields do not validate yet with the draft's data, with the error messages."""
    form = InitiativeForm(data=initial_from(data), require_relay_email=True)
    form.is_valid()
    missing = []
    for step in STEPS:
        errors = [str(message) for name in step.fields for message in form.errors.get(name, [])]
        if errors:
            missing.append((step, errors))
    return missing
