"""Source configuration files (`data/sources/<slug>.yaml`): one loader, checked, turned into `Source` rows."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.sources import expressions
from carrefour.sources.connectors import CONNECTORS, REMOTE
from carrefour.sources.models import Licence, Source
from carrefour.sources.targets import TARGETS

CONFIG_DIR = Path(__file__).resolve().parent / "data" / "sources"
TOP_KEYS = {"name", "slug", "website", "licence", "attribution", "schedule", "file", "connector", "id", "fields",
            "recode", "row_policy", "personal_data", "placeholders", "upload"}  # fmt: skip
ROW_POLICIES = ("strict", "lenient")
PERSONAL_DATA_POLICIES = ("strict",)


class ConfigError(ValueError):
    """An invalid source configuration; the message, in French, names what is wrong."""


def config_files() -> list[Path]:
    return sorted(CONFIG_DIR.glob("*.yaml"))


def load_file(path: Path) -> dict:
    try:
        config = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(
            _("%(file)s : fichier illisible (%(error)s).") % {"file": Path(path).name, "error": exc}
        ) from exc
    return validate(config, Path(path).name)


def validate(config, label: str = "configuration") -> dict:
    def fail(message: str, **params):
        raise ConfigError(f"{label} : {message % params if params else message}")

    if not isinstance(config, dict):
        fail(_("la configuration doit être un dictionnaire."))
    unknown = set(config) - TOP_KEYS
    if unknown:
        fail(_("clés inconnues : %(keys)s."), keys=", ".join(sorted(unknown)))
    for key in ("name", "slug"):
        if not str(config.get(key) or "").strip():
            fail(_("la clé « %(key)s » est obligatoire."), key=key)
    if config.get("licence", Licence.OTHER) not in Licence.values:
        fail(
            _("licence « %(licence)s » inconnue (%(known)s)."),
            licence=config["licence"],
            known=", ".join(Licence.values),
        )
    connector = config.get("connector") or {}
    if connector.get("type") not in CONNECTORS:
        fail(_("connecteur « %(type)s » inconnu (%(known)s)."), type=connector.get("type"), known=", ".join(CONNECTORS))
    if config.get("row_policy", "lenient") not in ROW_POLICIES:
        fail(_("politique de lignes « %(policy)s » inconnue (strict ou lenient)."), policy=config["row_policy"])
    if config.get("personal_data", "strict") not in PERSONAL_DATA_POLICIES:
        fail(_("seule la politique de données personnelles « strict » est disponible."))
    fields = config.get("fields") or {}
    if "name" not in fields:
        fail(_("le champ « name » (nom de l'initiative) doit être associé à une colonne."))
    for target, spec in {**fields, **({"external_id": config["id"]} if config.get("id") else {})}.items():
        _check_field(target, spec, fail)
    return config


def _check_field(target: str, spec, fail) -> None:
    if target not in TARGETS:
        fail(_("champ cible « %(target)s » inconnu."), target=target)
    if isinstance(spec, str):
        return
    if not isinstance(spec, dict) or len({"column", "constant", "expression"} & set(spec)) != 1:
        fail(_("le champ « %(target)s » doit avoir une seule source : column, constant ou expression."), target=target)
    if "expression" in spec:
        try:
            expressions.check(spec["expression"])
        except expressions.ExpressionError as exc:
            fail("%(error)s", error=str(exc))


def field_spec(spec) -> dict:
    return {"column": spec} if isinstance(spec, str) else dict(spec)


def data_path(config: dict, file: str | Path | None = None) -> str | Path:
    """The input to read: `--file`, else the URL of a remote connector, else `file` under the data root."""
    if file:
        return Path(file)
    options = (config.get("connector") or {}).get("options") or {}
    if config["connector"]["type"] in REMOTE and options.get("url"):
        return options["url"]
    if config.get("upload"):
        from carrefour.sources.actions import uploaded_path

        path = uploaded_path(config["upload"])
        if path is None:
            raise ConfigError(_("Le fichier envoyé pour cette source n'est plus disponible : envoyez-le de nouveau."))
        return path
    if not config.get("file"):
        raise ConfigError(_("Aucun fichier indiqué : utilisez --file."))
    root = Path(getattr(settings, "SOURCES_DATA_DIR", "") or ".")
    return root / config["file"]


@transaction.atomic
def register_source(config: dict, config_file: str = "", actor=None) -> Source:
    """Create or update the `Source` row described by a configuration."""
    defaults = {
        "name": config["name"],
        "website": config.get("website", ""),
        "licence": config.get("licence", Licence.OTHER),
        "attribution": config.get("attribution", ""),
        "config": config,
        "config_file": config_file,
    }
    source, created = Source.objects.get_or_create(slug=config["slug"], defaults=defaults)
    changed = [name for name, value in defaults.items() if getattr(source, name) != value]
    if changed and not created:
        for name in changed:
            setattr(source, name, defaults[name])
        source.save(update_fields=changed)
    if created or changed:
        record_event(EventType.SOURCE_CONFIGURED, source, actor, created=created, fields=sorted(changed))
    return source


def sync_config_files(actor=None) -> list[Source]:
    return [register_source(load_file(path), f"{path.parent.name}/{path.name}", actor) for path in config_files()]


def to_yaml(config: dict) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=110)
