"""The states of a replication request and the named moves between them, as data.

envoyée → lue → en discussion → accompagnée | déclinée; « sans réponse » after 30 days without an answer (the holders
are reminded after 7 and 21 days). A late answer is still welcome: from « sans réponse » the holders may discuss,
support or decline.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from carrefour.contacts.models import ReplicationStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    label: object  # the button's French label
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    transition.name: transition
    for transition in (
        Transition("read", _("Marquer comme lue"), frozenset({S.SENT}), S.READ),
        Transition("discuss", _("Entrer en discussion"), frozenset({S.SENT, S.READ, S.UNANSWERED}), S.DISCUSSING),
        Transition(
            "support",
            _("Accompagner cet essaimage"),
            frozenset({S.SENT, S.READ, S.DISCUSSING, S.UNANSWERED}),
            S.SUPPORTED,
        ),
        Transition(
            "decline", _("Décliner la demande"), frozenset({S.SENT, S.READ, S.DISCUSSING, S.UNANSWERED}), S.DECLINED
        ),
    )
}
# Only `carrefour remind_replications` moves a request here.
EXPIRE = Transition("expire", _("Sans réponse"), frozenset({S.SENT, S.READ}), S.UNANSWERED)

# Waiting for the holders' answer: reminded, then « sans réponse ».
AWAITING = frozenset({S.SENT, S.READ})
REMINDER_AGES = (timedelta(days=7), timedelta(days=21))  # reminder n+1 is due at REMINDER_AGES[n]
UNANSWERED_AGE = timedelta(days=30)
FINAL = frozenset({S.SUPPORTED, S.DECLINED, S.UNANSWERED})
# The conversation stays open except after a refusal.
THREAD_CLOSED = frozenset({S.DECLINED})


def available(status: str) -> list[Transition]:
    """The moves the holders may make from `status`, in display order."""
    return [transition for transition in TRANSITIONS.values() if status in transition.sources]


def reminders_due(age: timedelta) -> int:
    """How many reminders a request of this age should have had."""
    return sum(1 for threshold in REMINDER_AGES if age >= threshold)
