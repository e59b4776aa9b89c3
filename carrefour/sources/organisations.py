"""Carrying organisations named by a feed: matched by SIRET/SIREN/RNA, else by name, else created; all in bulk."""

from carrefour.catalog.models import Organisation, Role, SlugRedirect, Stakeholder
from carrefour.core.text import fold, unique_slug

BATCH = 500


class OrganisationLinker:
    def __init__(self):
        self.by_identifier: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        for pk, name, siren, siret, rna in Organisation.objects.values_list("pk", "name", "siren", "siret", "rna"):
            for identifier in (siren, siret, rna):
                if identifier:
                    self.by_identifier.setdefault(identifier, pk)
            self.by_name.setdefault(fold(name), pk)

    def link(self, items) -> None:
        """items: (initiative id, candidate fields). Adds each initiative's carrier, creating organisations once."""
        pending: dict[str, Organisation] = {}
        links: list[tuple[int, str | int]] = []
        for initiative_id, fields in items:
            name = (fields.get("organisation") or "")[:200]
            if not name:
                continue
            identifier = fields.get("siret") or fields.get("rna") or ""
            found = self.by_identifier.get(identifier) if identifier else None
            found = found or self.by_name.get(fold(name))
            if found:
                links.append((initiative_id, found))
                continue
            key = identifier or fold(name)
            if key not in pending:
                pending[key] = _new_organisation(name, fields)
            links.append((initiative_id, key))
        self._create(pending)
        stakes = [
            Stakeholder(initiative_id=initiative_id, organisation_id=pending[ref].pk if isinstance(ref, str) else ref,
                        role=Role.CARRIER)
            for initiative_id, ref in links
        ]  # fmt: skip
        Stakeholder.objects.bulk_create(stakes, batch_size=BATCH, ignore_conflicts=True)

    def _create(self, pending: dict[str, Organisation]) -> None:
        if not pending:
            return
        taken = set(Organisation.objects.values_list("slug", flat=True))
        taken |= set(SlugRedirect.objects.filter(model="organisation").values_list("old_slug", flat=True))
        for organisation in pending.values():
            organisation.slug = unique_slug(organisation.name, taken.__contains__, max_length=210)
            taken.add(organisation.slug)
        Organisation.objects.bulk_create(list(pending.values()), batch_size=BATCH)
        for organisation in pending.values():
            for identifier in (organisation.siren, organisation.siret, organisation.rna):
                if identifier:
                    self.by_identifier[identifier] = organisation.pk
            self.by_name.setdefault(fold(organisation.name), organisation.pk)


def _new_organisation(name: str, fields: dict) -> Organisation:
    number = fields.get("siret") or ""
    return Organisation(
        name=name,
        siret=number if len(number) == 14 else "",
        siren=number[:9] if number else "",
        rna=fields.get("rna") or "",
    )
