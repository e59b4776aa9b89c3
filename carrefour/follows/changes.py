"""What a run tells one person about one initiative or organisation: the events gathered (`Change`), then worded.

A `Change` gathers the audit events of one sheet that one person did not make; `describe_initiative` and
`describe_organisation` turn it into (notification kind, French summary), or None when nothing public changed:
- a sheet that became public: a new initiative (or « de nouveau publiée » after being hidden or archived);
- a public sheet withdrawn: archived, hidden pending verification, or merged into another;
- a public sheet edited: the names of the changed fields, in French; never values, never private fields;
- a sheet moved: the followers of a territory it left or entered are told so.
Drafts and other unpublished sheets give nothing.
"""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from carrefour.catalog.models import Initiative, Organisation
from carrefour.contributions.snapshot import FIELDS, LABELS, PRIVATE_FIELDS
from carrefour.core.models import AuditEvent, EventType
from carrefour.follows.audience import ARRIVED, LEFT, Reason
from carrefour.follows.models import FollowKind, NotificationKind

Status = Initiative.Status
MAX_LABELS = 4
MERGED_DUPLICATE = "merged_duplicate"  # a pseudo-field: a duplicate sheet was merged into this one
EXTRA_LABELS = {
    "catalog.initiative": {MERGED_DUPLICATE: gettext_lazy("Fiche en double fusionnée")},
    "catalog.organisation": {
        "name": gettext_lazy("Nom"),
        "description": gettext_lazy("Présentation"),
        "commune": gettext_lazy("Commune du siège"),
    },
}  # the others: the snapshot's labels (initiatives), then the model's verbose names
# Bookkeeping and private fields: never named to followers (a change of only these is no public change).
UNTOLD = {
    "catalog.initiative": {"status", "slug", "version", "created_at", "updated_at", "published_at", "last_confirmed_at",
                           "is_demo", "merged_into", *PRIVATE_FIELDS},
    "catalog.organisation": {"slug", "created_at", "updated_at", "is_demo"},
}  # fmt: skip
MODELS = {"catalog.initiative": Initiative, "catalog.organisation": Organisation}
UPDATES = {
    EventType.INITIATIVE_UPDATED.value,
    EventType.ORGANISATION_UPDATED.value,
}
RENAMES = {EventType.INITIATIVE_RENAMED.value, EventType.ORGANISATION_RENAMED.value}


@dataclass
class Change:
    object_type: str
    fields: set[str] = field(default_factory=set)
    old_name: str | None = None  # the name before the first rename
    first_status: str | None = None  # the status before the first status change
    created: bool = False
    status_edited: bool = False  # "status" among the fields of an edit (the admin form): old status unknown
    last_event: AuditEvent | None = None

    def add(self, event: AuditEvent) -> None:
        data = event.data if isinstance(event.data, dict) else {}
        kind = event.event_type
        if kind in UPDATES:
            named = {str(name) for name in data.get("fields") or []}
            self.status_edited |= "status" in named
            self.fields |= named
        elif kind in RENAMES:
            self.fields.add("name")
            if self.old_name is None:
                self.old_name = str(data.get("old_name") or "") or None
        elif kind == EventType.INITIATIVE_STATUS_CHANGED:
            if self.first_status is None and not self.created:
                self.first_status = str(data.get("old") or "")
        elif kind == EventType.INITIATIVE_CREATED:
            self.created = True
        elif kind == EventType.DUPLICATES_MERGED:
            self.fields.add(MERGED_DUPLICATE)
        self.last_event = event

    def then(self, later: "Change") -> "Change":
        """This change followed by a later one (two batches of one run)."""
        return Change(
            self.object_type,
            self.fields | later.fields,
            self.old_name or later.old_name,
            self.first_status if self.first_status is not None or self.created else later.first_status,
            self.created or later.created,
            self.status_edited or later.status_edited,
            later.last_event or self.last_event,
        )

    def labels(self) -> list[str]:
        """The French names of the fields that changed and may be told, in the form's order."""
        untold = UNTOLD[self.object_type]
        ordered = [name for name in FIELDS if name in self.fields] + sorted(self.fields - set(FIELDS))
        found = [_label(self.object_type, name) for name in ordered if name not in untold]
        return [label for label in found if label]


def _label(object_type: str, name: str) -> str:
    if object_type == "catalog.initiative" and name in LABELS:
        return str(LABELS[name])
    if name in EXTRA_LABELS[object_type]:
        return str(EXTRA_LABELS[object_type][name])
    try:
        return capfirst(str(MODELS[object_type]._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return ""  # an unknown name: say nothing rather than a technical word


def _quoted(name: str) -> str:
    return f"« {' '.join(str(name).split())} »"


def _field_list(labels: list[str]) -> str:
    shown = ", ".join(labels[:MAX_LABELS])
    more = len(labels) - MAX_LABELS
    if more <= 0:
        return shown
    return ngettext("%(shown)s et %(count)s autre", "%(shown)s et %(count)s autres", more) % {
        "shown": shown,
        "count": more,
    }


def _subject(name: str, change: Change, reason: Reason) -> str:
    subject = _quoted(name)
    if change.old_name and change.old_name != name:
        subject = _("%(name)s (anciennement %(old)s)") % {"name": subject, "old": _quoted(change.old_name)}
    if reason.kind == FollowKind.ORGANISATION:
        return _("%(name)s, initiative de %(organisation)s,") % {"name": subject, "organisation": reason.label}
    if reason.kind == FollowKind.TERRITORY and reason.move == LEFT:
        return _("%(name)s, qui a quitté le territoire suivi « %(place)s »,") % {"name": subject, "place": reason.label}
    if reason.kind == FollowKind.TERRITORY and reason.move == ARRIVED:
        return _("%(name)s, qui arrive sur le territoire suivi « %(place)s »,") % {
            "name": subject,
            "place": reason.label,
        }
    if reason.kind == FollowKind.TERRITORY:
        return _("%(name)s, sur le territoire « %(place)s »,") % {"name": subject, "place": reason.label}
    return subject


def _was_public(change: Change, initiative: Initiative, now_public: bool) -> bool:
    if change.first_status is not None:
        return change.first_status == Status.PUBLISHED
    if change.created:
        return False
    if change.status_edited:  # edited in the admin form: it was public if it had ever been published
        return initiative.published_at is not None
    return now_public


def _published(change: Change, initiative: Initiative, reason: Reason) -> tuple[str, str]:
    if change.first_status in (Status.HIDDEN, Status.ARCHIVED):
        subject = _subject(initiative.name, change, reason)
        return NotificationKind.STATUS, _("%(name)s est de nouveau publiée.") % {"name": subject}
    values = {"name": _quoted(initiative.name), "place": reason.label, "organisation": reason.label}
    if reason.kind == FollowKind.ORGANISATION:
        return NotificationKind.NEW_IN_ORGANISATION, _("Nouvelle initiative de %(organisation)s : %(name)s.") % values
    summary = _("Nouvelle initiative sur le territoire « %(place)s » : %(name)s.") % values
    return NotificationKind.NEW_IN_TERRITORY, summary


def _withdrawn(change: Change, initiative: Initiative, reason: Reason) -> str:
    subject = _subject(initiative.name, change, reason)
    if initiative.merged_into_id:
        return _("%(name)s a été fusionnée avec %(survivor)s, qui la remplace.") % {
            "name": subject,
            "survivor": _quoted(initiative.merged_into.name),
        }
    if initiative.status == Status.HIDDEN:
        return _("%(name)s est masquée en attente de vérification.") % {"name": subject}
    status = Status(initiative.status).label.lower() if initiative.status in Status.values else initiative.status
    return _("%(name)s n'est plus publiée (%(status)s).") % {"name": subject, "status": status}


def describe_initiative(change: Change, initiative: Initiative, reason: Reason) -> tuple[str, str] | None:
    now_public = initiative.is_public and not initiative.merged_into_id
    was_public = _was_public(change, initiative, now_public)
    if reason.move == LEFT and not was_public:
        return None  # it was never public in that territory: its leaving is no news there
    if now_public and not was_public:
        if reason.kind != FollowKind.INITIATIVE or change.first_status in (Status.HIDDEN, Status.ARCHIVED):
            return _published(change, initiative, reason)
        was_public = True  # one follows a sheet once it is public: its first publication is no news to its followers
    if was_public and not now_public:
        return NotificationKind.STATUS, _withdrawn(change, initiative, reason)
    labels = change.labels() if now_public else []
    if not labels:
        return None
    summary = _("%(name)s a été mise à jour : %(fields)s.") % {
        "name": _subject(initiative.name, change, reason),
        "fields": _field_list(labels),
    }
    return NotificationKind.UPDATED, summary


def describe_organisation(change: Change, organisation: Organisation) -> tuple[str, str] | None:
    labels = change.labels()
    if not labels:
        return None
    name = _quoted(organisation.name)
    if change.old_name and change.old_name != organisation.name:
        name = _("%(name)s (anciennement %(old)s)") % {"name": name, "old": _quoted(change.old_name)}
    summary = _("L'organisation %(name)s a été mise à jour : %(fields)s.") % {
        "name": name,
        "fields": _field_list(labels),
    }
    return NotificationKind.ORGANISATION_UPDATED, summary
