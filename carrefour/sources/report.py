"""The readable report of a run, in French, for the command line."""

from django.utils.translation import gettext as _

COUNT_LABELS = (
    ("rows", _("lignes lues")),
    ("records", _("enregistrements")),
    ("created", _("créés")),
    ("updated", _("mis à jour")),
    ("unchanged", _("inchangés")),
    ("absent", _("absents du flux")),
    ("returned", _("revenus dans le flux")),
    ("archived", _("archivés (absents depuis 7 jours)")),
    ("rejected", _("lignes rejetées")),
    ("located", _("localisés")),
    ("conflicts", _("conflits (modification locale conservée)")),
)
SHOWN_ISSUES = 30


def render_report(report) -> str:
    lines = [_("Import de « %(source)s »%(dry)s : %(status)s") % {
        "source": report.source, "dry": _(" (essai à blanc, rien n'est enregistré)") if report.dry_run else "",
        "status": report.status}]  # fmt: skip
    if report.message:
        lines.append(report.message)
    lines += [f"  {label} : {report.counts[key]}" for key, label in COUNT_LABELS if key in report.counts]
    lines += [f"  ! {warning}" for warning in report.file_warnings]
    lines += _issues(_("Erreurs"), report.errors)
    lines += _issues(_("Avertissements"), report.warnings)
    if report.unmapped_tags:
        lines.append(_("Étiquettes sans correspondance (%d) :") % len(report.unmapped_tags))
        lines += [f"  {tag} ×{count}" for tag, count in list(report.unmapped_tags.items())[:SHOWN_ISSUES]]
    return "\n".join(lines)


def _issues(title, issues) -> list[str]:
    if not issues:
        return []
    lines = [f"{title} ({len(issues)}) :"]
    for issue in issues[:SHOWN_ISSUES]:
        lines.append(
            _("  ligne %(line)s, %(field)s « %(value)s » [%(rule)s] : %(message)s")
            % {**issue, "message": issue["message_fr"], "field": issue["field"] or "-"}
        )
    if len(issues) > SHOWN_ISSUES:
        lines.append(_("  … et %d autres") % (len(issues) - SHOWN_ISSUES))
    return lines
