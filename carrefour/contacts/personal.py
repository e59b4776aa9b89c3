"""The contacts app's part of the account export and of the account deletion (R-GDPR-05)."""

from carrefour.contacts.models import DirectoryListing, ReplicationMessage, ReplicationRequest


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export_replications(user) -> tuple[str, dict]:
    sent = ReplicationRequest.objects.filter(requester=user).select_related(
        "model_initiative", "territory_commune", "territory_epci"
    )
    written = ReplicationMessage.objects.filter(author=user).select_related("request__model_initiative")
    return "replication_requests", {
        "sent": [
            {
                "initiative": replication.model_initiative.name,
                "initiative_slug": replication.model_initiative.slug,
                "name": replication.requester_name,
                "organisation": replication.requester_organisation,
                "profile_type": replication.requester_profile_type,
                "commune": replication.territory_commune_id,
                "epci": replication.territory_epci_id,
                "needs": replication.needs,
                "message": replication.message,
                "status": replication.status,
                "created_at": _when(replication.created_at),
                "replica_slug": replication.replica.slug if replication.replica_id else None,
            }
            for replication in sent.order_by("created_at")
        ],
        "messages_written": [
            {
                "request_initiative": message.request.model_initiative.name,
                "body": message.body,
                "created_at": _when(message.created_at),
            }
            for message in written.order_by("created_at")
        ],
    }


def export_directory_listing(user) -> tuple[str, dict | None]:
    listing = DirectoryListing.objects.filter(user=user).first()
    if listing is None:
        return "directory_listing", None
    return "directory_listing", {
        "visible": listing.visible,
        "shown_name": listing.shown_name,
        "shown_profile_type": listing.shown_profile_type,
        "show_organisations": listing.show_organisations,
        "consented_at": _when(listing.consented_at),
        "consent_version": listing.consent_version,
    }


def forget_account(sender, user, **kwargs) -> None:
    """`account_deleting` receiver: the directory listing goes; requests stay for the model's holders, without
    anything that identifies the requester; the person's messages lose their body."""
    DirectoryListing.objects.filter(user=user).delete()
    ReplicationRequest.objects.filter(requester=user).update(
        requester=None, requester_name="", requester_organisation="", requester_profile_type="", message=""
    )
    ReplicationMessage.objects.filter(author=user).update(author=None, body="")
