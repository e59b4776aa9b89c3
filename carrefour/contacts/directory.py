"""The actors directory: organisations with published initiatives, searchable by name, structure type, territory
(région or département: their seat or where their initiatives are) and activity (the themes of their initiatives);
and the people who agreed to be listed.

Each filter describes itself in words: the page says what it shows (« Associations · en Bretagne »).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from carrefour.accounts import scopes
from carrefour.catalog.models import Initiative, Organisation, Term, Vocabulary
from carrefour.contacts.models import DirectoryListing
from carrefour.core.text import fold
from carrefour.territories.models import Departement, Region

MAX_TEXT = 100
PUBLISHED = Q(stakes__initiative__status=Initiative.Status.PUBLISHED)


@dataclass
class DirectoryQuery:
    text: str = ""
    structure_type: Term | None = None
    region: Region | None = None
    departement: Departement | None = None
    theme: Term | None = None
    errors: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        words = []
        if self.text:
            words.append(_("nom contenant « %(text)s »") % {"text": self.text})
        if self.structure_type:
            words.append(self.structure_type.label)
        if self.departement:
            words.append(_("dans le département %(name)s") % {"name": self.departement})
        elif self.region:
            words.append(_("en région %(name)s") % {"name": self.region.name})
        if self.theme:
            words.append(_("actives en « %(theme)s »") % {"theme": self.theme.label})
        return words


def _term(vocabulary: str, code: str, errors: list[str], message: str) -> Term | None:
    if not code:
        return None
    term = Term.objects.filter(vocabulary=vocabulary, code=code, is_active=True).first()
    if term is None:
        errors.append(message)
    return term


def parse(params) -> DirectoryQuery:
    """Read the GET form; unknown values are dropped with a French message (the rest of the search still runs)."""
    errors: list[str] = []
    text = " ".join((params.get("q") or "").split())[:MAX_TEXT]
    query = DirectoryQuery(text=text, errors=errors)
    query.structure_type = _term(
        Vocabulary.STRUCTURE_TYPE, params.get("type", ""), errors, _("Ce type de structure n'existe pas.")
    )
    query.theme = _term(Vocabulary.THEME, params.get("activite", ""), errors, _("Cette thématique n'existe pas."))
    if code := params.get("region", ""):
        query.region = Region.objects.filter(pk=code).first()
        if query.region is None:
            errors.append(_("Cette région n'existe pas."))
    if code := params.get("departement", ""):
        query.departement = Departement.objects.defer("outline").filter(pk=code).first()
        if query.departement is None:
            errors.append(_("Ce département n'existe pas."))
    return query


def _matching_name(queryset: QuerySet, text: str, name_field: str) -> QuerySet:
    """Accent- and case-insensitive: every word typed appears in the folded name."""
    words = fold(text).split()
    if not words:
        return queryset
    rows = queryset.values_list("pk", name_field)
    return queryset.filter(pk__in=[pk for pk, name in rows if all(word in fold(name) for word in words)])


def organisations(query: DirectoryQuery) -> QuerySet[Organisation]:
    found = Organisation.objects.filter(PUBLISHED)
    if query.structure_type:
        found = found.filter(structure_type=query.structure_type)
    if query.departement:
        found = found.filter(
            Q(commune__departement=query.departement)
            | Q(PUBLISHED, stakes__initiative__locations__commune__departement=query.departement)
        )
    elif query.region:
        found = found.filter(
            Q(commune__region=query.region) | Q(PUBLISHED, stakes__initiative__locations__commune__region=query.region)
        )
    if query.theme:
        themes = scopes.theme_ids_with_descendants({query.theme.pk})
        found = found.filter(PUBLISHED, stakes__initiative__themes__in=themes)
    ids = found.values("pk")
    result = Organisation.objects.filter(pk__in=ids)
    if query.text:
        result = _matching_name(result, query.text, "name")
    return (
        result.select_related("structure_type", "commune")
        .annotate(initiative_count=Count("stakes__initiative", filter=PUBLISHED, distinct=True))
        .order_by("name", "pk")
    )


def people(text: str = "", profile_type: str = "") -> QuerySet[DirectoryListing]:
    """Only people who said yes (visible, with a consent date), active accounts; never their e-mail."""
    listed = DirectoryListing.objects.filter(visible=True, consented_at__isnull=False, user__is_active=True)
    if profile_type:
        listed = listed.filter(shown_profile_type=profile_type)
    if text:
        listed = _matching_name(listed, text, "shown_name")
    return listed.select_related("user").order_by("shown_name", "pk")


def choices() -> dict:
    """The options of the search form."""
    return {
        "types": Term.objects.filter(vocabulary=Vocabulary.STRUCTURE_TYPE, is_active=True).order_by("position"),
        "themes": Term.objects.filter(vocabulary=Vocabulary.THEME, is_active=True, parent__isnull=True).order_by(
            "position"
        ),
        "regions": Region.objects.order_by("name"),
        "departements": Departement.objects.defer("outline").order_by("code"),
    }
