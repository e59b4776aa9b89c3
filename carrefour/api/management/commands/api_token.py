"""`carrefour api_token create --source SLUG --name "…"`: a partner token, printed once. Also `list` and `revoke`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from carrefour.api import actions
from carrefour.api.models import ApiToken
from carrefour.catalog.models import Organisation
from carrefour.sources.models import Source


class Command(BaseCommand):
    help = _("Crée, liste ou révoque les jetons d'écriture des partenaires (API publique).")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help=_("Créer un jeton (affiché une seule fois)."))
        create.add_argument("--name", required=True, help=_("À quoi sert le jeton."))
        create.add_argument("--source", help=_("Identifiant (slug) de la source partenaire."))
        create.add_argument("--organisation", help=_("Identifiant numérique ou slug de l'organisation."))
        create.add_argument("--user", help=_("Adresse e-mail du compte responsable (auteur des contributions)."))
        commands.add_parser("list", help=_("Lister les jetons (début et portée, jamais le jeton)."))
        revoke = commands.add_parser("revoke", help=_("Révoquer un jeton par son début (prefix)."))
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_create(self, name, source=None, organisation=None, user=None, **_options):
        if not source and not organisation:
            raise CommandError(_("Indiquez --source ou --organisation : un jeton n'écrit que pour l'un ou l'autre."))
        found_source = self._source(source) if source else None
        found_organisation = self._organisation(organisation) if organisation else None
        account = None
        if user:
            account = get_user_model().objects.filter(email__iexact=user).first()
            if account is None:
                raise CommandError(_("Aucun compte avec l'adresse %(email)s.") % {"email": user})
        token, value = actions.create_token(
            name.strip()[:150], source=found_source, organisation=found_organisation, actor=account
        )
        self.stdout.write(
            _("Jeton « %(name)s » créé. Copiez-le maintenant : il ne sera plus jamais affiché.") % {"name": token.name}
        )
        self.stdout.write(value)

    def handle_list(self, **_options):
        for token in ApiToken.objects.select_related("source", "organisation"):
            scope = token.source.slug if token.source else _("organisation %(id)s") % {"id": token.organisation_id}
            state = (
                _("révoqué le %(date)s") % {"date": f"{token.revoked_at:%Y-%m-%d}"} if token.revoked_at else _("actif")
            )
            self.stdout.write(f"{token.prefix}…\t{token.name}\t{scope}\t{state}")

    def handle_revoke(self, prefix, **_options):
        token = ApiToken.objects.filter(prefix=prefix.strip().rstrip("…")).first()
        if token is None:
            raise CommandError(_("Aucun jeton ne commence par %(prefix)s.") % {"prefix": prefix})
        actions.revoke_token(token)
        self.stdout.write(_("Jeton « %(name)s » révoqué.") % {"name": token.name})

    def _source(self, slug: str) -> Source:
        found = Source.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(Source.objects.values_list("slug", flat=True)[:20]) or _("aucune")
            raise CommandError(_("Source inconnue : %(slug)s. Sources : %(known)s.") % {"slug": slug, "known": known})
        return found

    def _organisation(self, key: str) -> Organisation:
        found = Organisation.objects.filter(**({"pk": int(key)} if key.isdigit() else {"slug": key})).first()
        if found is None:
            raise CommandError(_("Organisation inconnue : %(key)s.") % {"key": key})
        return found
