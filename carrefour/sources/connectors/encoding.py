"""Turning bytes into text: the declared encoding, else UTF-8, else a detected one (with a warning)."""

import codecs

from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

from carrefour.sources.connectors.base import ConnectorError

REPLACEMENT = "\ufffd"


def decode(data: bytes, declared: str | None, warnings: list[str], refuse_undeclared: bool = False) -> str:
    if declared:
        return _check_damage(_decode_declared(data, declared), warnings)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _detected(data, exc, warnings, refuse_undeclared)
    return _check_damage(text, warnings)


def _check_damage(text: str, warnings: list[str]) -> str:
    damaged = text.count(REPLACEMENT)
    if damaged:
        warnings.append(
            _(
                "Le fichier contient %(count)d caractères de remplacement (U+FFFD) : des accents ont été détruits "
                "avant qu'il nous parvienne ; ils ne peuvent pas être récupérés."
            )
            % {"count": damaged}
        )
    return text


def _decode_declared(data: bytes, declared: str) -> str:
    try:
        codec = codecs.lookup(declared).name
    except LookupError as exc:
        raise ConnectorError(_("Encodage « %(encoding)s » inconnu.") % {"encoding": declared}) from exc
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ConnectorError(
            _("Le fichier n'est pas en %(encoding)s : octet invalide à la position %(position)d.")
            % {"encoding": declared, "position": exc.start}
        ) from exc


def _detected(data: bytes, error: UnicodeDecodeError, warnings: list[str], refuse: bool) -> str:
    best = from_bytes(data[:2_000_000]).best()
    if refuse or best is None:
        raise ConnectorError(
            _(
                "Le fichier n'est pas en UTF-8 (octet invalide à la position %(position)d) et aucun encodage n'est "
                "déclaré. Enregistrez-le en UTF-8 ou déclarez son encodage (par exemple windows-1252)."
            )
            % {"position": error.start}
        )
    encoding = best.encoding
    warnings.append(
        _(
            "Le fichier n'est pas en UTF-8 et son encodage n'est pas déclaré : lu comme %(encoding)s (détection "
            "automatique). Vérifiez les accents et déclarez l'encodage dans la configuration."
        )
        % {"encoding": encoding}
    )
    return data.decode(encoding, errors="replace")
