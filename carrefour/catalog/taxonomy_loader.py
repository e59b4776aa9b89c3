"""The common taxonomy: read its versioned data files, check them, load them into `Term` and `Crosswalk`.

Vocabularies are YAML files (`<vocabulary>.yaml`, sub-terms nested under `children`); crosswalks are CSV files
(`crosswalks/<scheme>.csv`) mapping another scheme's codes to ours, `-` meaning "no equivalent". Terms are upserted
by (vocabulary, code): a term that left the files is kept and marked inactive, so nothing pointing to it breaks.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from carrefour.catalog.models import Crosswalk, Term, Vocabulary
from carrefour.core.audit import record_event
from carrefour.core.models import EventType
from carrefour.core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data" / "taxonomy"
NO_EQUIVALENT = "-"
# Mappings from our codes to another scheme's values, for exports: they sit beside the crosswalks, never loaded.
OUTBOUND_MAPPINGS = {"data-inclusion"}
CROSSWALK_COLUMNS = {"source_code", "source_label", "target_code"}
TERM_KEYS = {"code", "label", "slug", "description", "since", "children"}
TERM_FIELDS = ["label", "slug", "description", "position", "since_version", "is_active"]
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,8}(-[A-Z0-9]{2,8})?$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
VERSION_PATTERN = re.compile(r"^\d{4}\.\d+$")

MESSAGES = {
    "unreadable": _("%(file)s : fichier absent ou illisible (%(error)s)."),
    "not_a_mapping": _("%(file)s : le fichier doit contenir un dictionnaire."),
    "version": _("%(file)s : version absente ou invalide (attendu : AAAA.N, par exemple 2026.1)."),
    "vocabulary_key": _("%(file)s : la clé « vocabulary » doit valoir « %(vocabulary)s »."),
    "since_key": _("%(file)s : la clé « since » (version d'apparition des termes) est absente ou invalide."),
    "term_shape": _("%(file)s : chaque terme doit être un dictionnaire (trouvé : %(entry)s)."),
    "depth": _("%(file)s : le terme « %(code)s » a des enfants, mais la taxonomie n'a que deux niveaux."),
    "code": _("%(file)s : code « %(code)s » invalide (2 à 8 majuscules ASCII ou chiffres, un tiret au plus)."),
    "keys": _("%(file)s : le terme « %(code)s » a des clés inconnues : %(keys)s."),
    "label": _("%(file)s : le terme « %(code)s » doit avoir un libellé (120 caractères au plus) et une définition."),
    "slug": _("%(file)s : le slug « %(slug)s » du terme « %(code)s » est invalide."),
    "since": _("%(file)s : la version « %(since)s » du terme « %(code)s » est invalide."),
    "duplicate": _("%(file)s : %(field)s « %(value)s » en double (termes « %(first)s » et « %(second)s »)."),
    "columns": _("%(file)s : colonnes attendues source_code, source_label, [vocabulary,] target_code."),
    "source": _("%(file)s, ligne %(line)d : code d'origine vide."),
    "row_vocabulary": _("%(file)s, ligne %(line)d : vocabulaire « %(vocabulary)s » inconnu."),
    "target": _("%(file)s, ligne %(line)d : « %(source)s » renvoie à « %(target)s », inconnu en %(vocabulary)s."),
    "row_twice": _("%(file)s : la correspondance « %(source)s » → « %(target)s » est en double."),
    "retired_slug": _("%(file)s : le slug « %(slug)s » de « %(code)s » est pris par le terme retiré « %(holder)s »."),
}


class TaxonomyError(Exception):
    """A taxonomy data file is invalid. The message, in French, names the file and the code at fault."""


def _fail(message: str, **params) -> TaxonomyError:
    return TaxonomyError(str(MESSAGES[message]) % params)


@dataclass(frozen=True)
class TermSpec:
    vocabulary: str
    code: str
    label: str
    slug: str
    description: str
    position: int
    since_version: str
    parent_code: str | None


@dataclass(frozen=True)
class CrosswalkRow:
    source_code: str
    source_label: str
    vocabulary: str
    target_code: str


@dataclass(frozen=True)
class TaxonomyFiles:
    version: str
    terms: list[TermSpec]
    crosswalks: dict[str, list[CrosswalkRow]]


def read_taxonomy(data_dir: Path | str | None = None) -> TaxonomyFiles:
    folder = Path(data_dir or DATA_DIR)
    version = (folder / "VERSION").read_text(encoding="utf-8").strip() if (folder / "VERSION").is_file() else ""
    if not VERSION_PATTERN.match(version):
        raise _fail("version", file="VERSION")
    terms = [spec for vocabulary in Vocabulary.values for spec in _read_vocabulary(folder, vocabulary)]
    known = {(spec.vocabulary, spec.code) for spec in terms}
    crosswalks = {
        path.stem: _read_crosswalk(path, known)
        for path in sorted((folder / "crosswalks").glob("*.csv"))
        if path.stem not in OUTBOUND_MAPPINGS
    }
    return TaxonomyFiles(version, terms, crosswalks)


def _read_yaml(path: Path) -> dict:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _fail("unreadable", file=path.name, error=exc) from exc
    if not isinstance(document, dict):
        raise _fail("not_a_mapping", file=path.name)
    return document


def _read_vocabulary(folder: Path, vocabulary: str) -> list[TermSpec]:
    path = folder / f"{vocabulary}.yaml"
    document = _read_yaml(path)
    if document.get("vocabulary") != vocabulary:
        raise _fail("vocabulary_key", file=path.name, vocabulary=vocabulary)
    since = str(document.get("since") or "")
    if not VERSION_PATTERN.match(since):
        raise _fail("since_key", file=path.name)
    entries = enumerate(_walk(document.get("terms") or [], path), start=1)
    specs = [_term_spec(entry, parent, position, path, since) for position, (entry, parent) in entries]
    _check_unique(specs, "code", path)
    _check_unique(specs, "slug", path)
    return specs


def _walk(entries, path: Path, parent: str | None = None):
    """Yield (entry, parent code) depth first: a term, then its children. Two levels at most."""
    for entry in entries:
        if not isinstance(entry, dict):
            raise _fail("term_shape", file=path.name, entry=repr(entry))
        yield entry, parent
        children = entry.get("children") or []
        if children and parent is not None:
            raise _fail("depth", file=path.name, code=entry.get("code"))
        yield from _walk(children, path, str(entry.get("code")))


def _term_spec(entry: dict, parent: str | None, position: int, path: Path, since: str) -> TermSpec:
    code = str(entry.get("code") or "")
    if not CODE_PATTERN.match(code):
        raise _fail("code", file=path.name, code=code)
    if set(entry) - TERM_KEYS:
        raise _fail("keys", file=path.name, code=code, keys=", ".join(sorted(set(entry) - TERM_KEYS)))
    label, description = str(entry.get("label") or "").strip(), str(entry.get("description") or "").strip()
    if not label or len(label) > 120 or not description or "\n" in description:
        raise _fail("label", file=path.name, code=code)
    slug = str(entry.get("slug") or slugify(fold(label)))
    if not SLUG_PATTERN.match(slug) or len(slug) > 120:
        raise _fail("slug", file=path.name, slug=slug, code=code)
    term_since = str(entry.get("since") or since)
    if not VERSION_PATTERN.match(term_since):
        raise _fail("since", file=path.name, since=term_since, code=code)
    return TermSpec(path.stem, code, label, slug, description, position, term_since, parent)


def _check_unique(specs: list[TermSpec], field: str, path: Path) -> None:
    seen: dict[str, str] = {}
    for spec in specs:
        value = getattr(spec, field)
        if value in seen:
            raise _fail("duplicate", file=path.name, field=field, value=value, first=seen[value], second=spec.code)
        seen[value] = spec.code


def _read_crosswalk(path: Path, known: set[tuple[str, str]]) -> list[CrosswalkRow]:
    name = f"crosswalks/{path.name}"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not CROSSWALK_COLUMNS <= set(reader.fieldnames or []):
            raise _fail("columns", file=name)
        rows = [_crosswalk_row(record, name, reader.line_num, known) for record in reader]
    twice = [row for row, count in Counter(rows).items() if count > 1]
    if twice:
        raise _fail("row_twice", file=name, source=twice[0].source_code, target=twice[0].target_code)
    return rows


def _crosswalk_row(record: dict, name: str, line: int, known: set[tuple[str, str]]) -> CrosswalkRow:
    source, target = (record.get("source_code") or "").strip(), (record.get("target_code") or "").strip()
    vocabulary = (record.get("vocabulary") or "").strip() or Vocabulary.THEME.value
    if not source:
        raise _fail("source", file=name, line=line)
    if vocabulary not in Vocabulary.values:
        raise _fail("row_vocabulary", file=name, line=line, vocabulary=vocabulary)
    if target != NO_EQUIVALENT and (vocabulary, target) not in known:
        raise _fail("target", file=name, line=line, source=source, target=target, vocabulary=vocabulary)
    return CrosswalkRow(source, (record.get("source_label") or "").strip(), vocabulary, target)


def outbound_mapping(scheme: str = "data-inclusion", data_dir: Path | str | None = None) -> dict:
    """Our (vocabulary, code) → the list of another scheme's values (empty where the file says `-`)."""
    mapping: dict[tuple[str, str], list[str]] = {}
    with (Path(data_dir or DATA_DIR) / "crosswalks" / f"{scheme}.csv").open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            values = mapping.setdefault((record["vocabulary"], record["code"]), [])
            if record["target_value"] != NO_EQUIVALENT:
                values.append(record["target_value"])
    return mapping


def load_taxonomy(data_dir: Path | str | None = None) -> dict:
    """Check the files, then upsert terms and crosswalks in one transaction. Returns the counts (also audited)."""
    files = read_taxonomy(data_dir)
    with transaction.atomic():
        changes = _write_terms(files.terms)
        crosswalks = {scheme: _write_crosswalk(scheme, rows) for scheme, rows in files.crosswalks.items()}
        counts = {"version": files.version, **_term_counts(files.terms), "crosswalks": crosswalks, **changes}
        record_event(EventType.TAXONOMY_LOADED, None, counts=counts)
    return counts


def _term_counts(specs: list[TermSpec]) -> dict:
    per_vocabulary = dict.fromkeys(Vocabulary.values, 0) | Counter(spec.vocabulary for spec in specs)
    top_level = sum(spec.vocabulary == Vocabulary.THEME and spec.parent_code is None for spec in specs)
    return {"terms": per_vocabulary, "top_level_themes": top_level}


def _field_values(spec: TermSpec) -> dict:
    return {name: getattr(spec, name) for name in TERM_FIELDS if name != "is_active"} | {"is_active": True}


def _write_terms(specs: list[TermSpec]) -> dict:
    existing = {(term.vocabulary, term.code): term for term in Term.objects.all()}
    wanted = {(spec.vocabulary, spec.code): spec for spec in specs}
    retired = [term for key, term in existing.items() if key not in wanted]
    _check_retired_slugs(retired, specs)
    updated = {key for key, term in existing.items() if key in wanted and _apply(term, _field_values(wanted[key]))}
    Term.objects.bulk_update([existing[key] for key in updated], TERM_FIELDS)
    created = [Term(vocabulary=v, code=c, **_field_values(s)) for (v, c), s in wanted.items() if (v, c) not in existing]
    Term.objects.bulk_create(created)
    deactivated = Term.objects.filter(pk__in=[term.pk for term in retired if term.is_active]).update(is_active=False)
    relinked = _link_parents(wanted)
    updated |= relinked & existing.keys()  # a new term getting its parent is not an update
    return {"created": len(created), "updated": len(updated), "deactivated": deactivated}


def _apply(obj, values: dict) -> bool:
    """Set the values that differ on `obj`; say whether any did."""
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    for name, value in changed.items():
        setattr(obj, name, value)
    return bool(changed)


def _check_retired_slugs(retired: list[Term], specs: list[TermSpec]) -> None:
    holders = {(term.vocabulary, term.slug): term.code for term in retired}
    for spec in specs:
        holder = holders.get((spec.vocabulary, spec.slug))
        if holder:
            raise _fail("retired_slug", file=f"{spec.vocabulary}.yaml", slug=spec.slug, code=spec.code, holder=holder)


def _link_parents(wanted: dict[tuple[str, str], TermSpec]) -> set[tuple[str, str]]:
    terms = {(term.vocabulary, term.code): term for term in Term.objects.only("id", "vocabulary", "code", "parent")}
    relinked = set()
    for key, spec in wanted.items():
        parent_id = terms[(spec.vocabulary, spec.parent_code)].pk if spec.parent_code else None
        if terms[key].parent_id != parent_id:
            terms[key].parent_id = parent_id
            relinked.add(key)
    Term.objects.bulk_update([terms[key] for key in relinked], ["parent"])
    return relinked


def _write_crosswalk(scheme: str, rows: list[CrosswalkRow]) -> int:
    """Make the scheme's rows match its file: delete, add and relabel only what differs. Returns the row count."""
    term_ids = {(vocabulary, code): pk for pk, vocabulary, code in Term.objects.values_list("pk", "vocabulary", "code")}
    wanted = {
        (row.source_code, term_ids[(row.vocabulary, row.target_code)]): row.source_label
        for row in rows
        if row.target_code != NO_EQUIVALENT
    }
    existing = {(row.source_code, row.term_id): row for row in Crosswalk.objects.filter(scheme=scheme)}
    Crosswalk.objects.filter(pk__in=[row.pk for key, row in existing.items() if key not in wanted]).delete()
    Crosswalk.objects.bulk_create(
        Crosswalk(scheme=scheme, source_code=source, source_label=label, term_id=term_id)
        for (source, term_id), label in wanted.items()
        if (source, term_id) not in existing
    )
    relabelled = [row for key, row in existing.items() if key in wanted and _apply(row, {"source_label": wanted[key]})]
    Crosswalk.objects.bulk_update(relabelled, ["source_label"])
    return len(wanted)


def terms_for(scheme: str, source_code: str) -> QuerySet[Term]:
    """The terms `scheme`'s crosswalk maps `source_code` to; empty when it has no equivalent or is unknown."""
    code = source_code.strip()
    return Term.objects.filter(crosswalks__scheme=scheme, crosswalks__source_code=code).order_by(
        "vocabulary", "position"
    )
