"""From a raw row to a clean candidate record: map each target field, clean, validate, locate, recode tags."""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from carrefour.catalog.models import Crosswalk, Term
from carrefour.core.text import fold
from carrefour.sources import cleaning
from carrefour.sources.config import field_spec
from carrefour.sources.connectors import RawRow, RowIssue
from carrefour.sources.locations import Gazetteer
from carrefour.sources.plan import compile_steps, memoised
from carrefour.sources.targets import TARGETS, TERM_TARGETS

NAME_MIN, NAME_MAX, SUMMARY_MAX, DESCRIPTION_MAX = 3, 150, 280, 2000
MOBILE = re.compile(r"^\+33[67]")


@dataclass
class Candidate:
    line: int
    key: str = ""
    fields: dict = field(default_factory=dict)
    terms: set = field(default_factory=set)
    locations: list = field(default_factory=list)
    payload: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # normalised values, as stored (set when planning)
    hash: str = ""

    @property
    def rejected(self) -> bool:
        return any(issue.severity == "error" for issue in self.issues)


class Mapper:
    """Maps raw rows to candidates. Built once per run: the field mapping is compiled (see `plan`) and every
    look-up that depends on a value only (a place, a tag, a mailbox) is remembered for the rest of the run."""

    def __init__(self, config: dict, gazetteer: Gazetteer | None = None):
        self.config = config
        self.specs = {target: field_spec(spec) for target, spec in (config.get("fields") or {}).items()}
        if config.get("id"):
            self.specs["external_id"] = field_spec(config["id"])
        self.placeholders = frozenset(str(value).lower() for value in config.get("placeholders", []))
        self.steps = [(step.target, step.get, step.clean) for step in compile_steps(self.specs, self.placeholders)]
        self.gazetteer = gazetteer or Gazetteer()
        self.unmapped: Counter = Counter()
        self._known_terms = {
            f"{vocabulary}:{code}" for vocabulary, code in Term.objects.values_list("vocabulary", "code")
        }
        self._recode = self._recode_table(config.get("recode") or {})
        self._tag_targets = memoised(lambda tag: self._recode.get(fold(tag)))
        self._personal_email = memoised(lambda pair: cleaning.is_personal_email(*pair))
        self._personal_columns = {
            spec["column"]
            for target, spec in self.specs.items()
            if TARGETS[target].get("personal") and "column" in spec
        }

    def _recode_table(self, recode: dict) -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        if recode.get("crosswalk"):
            rows = Crosswalk.objects.filter(scheme=recode["crosswalk"]).values_list(
                "source_code", "term__vocabulary", "term__code"
            )
            for source_code, vocabulary, code in rows:
                table.setdefault(fold(source_code), []).append(f"{vocabulary}:{code}")
        for tag, targets in (recode.get("table") or {}).items():
            table[fold(str(tag))] = [target if ":" in target else f"theme:{target}" for target in targets or []]
        return table

    def map(self, row: RawRow) -> Candidate:
        candidate = Candidate(line=row.line, lines=[row.line])
        fields, values = candidate.fields, row.values
        for target, get, clean in self.steps:
            raw = get(values)
            value, extra, problem = clean(raw)
            if value is not None:
                fields[target] = value
            if extra:
                for name, found in extra.items():
                    fields.setdefault(name, found)
            if problem:
                self._issue(candidate, target, raw, problem)
        self._check_name(candidate)
        self._texts(candidate)
        self._personal_data(candidate)
        self._locate(candidate)
        self._recode_terms(candidate)
        candidate.key = fields.pop("external_id", "") or self._content_key(candidate)
        personal = self._personal_columns
        candidate.payload = {
            key: value for key, value in values.items() if key not in personal and value not in ("", None)
        }
        return candidate

    def _issue(self, candidate, target, value, problem, severity="warning") -> None:
        rule, message = problem
        candidate.issues.append(RowIssue(candidate.line, target, str(value)[:200], rule, message, severity))

    def _check_name(self, candidate: Candidate) -> None:
        name = candidate.fields.get("name", "").rstrip(".").strip()
        if not name:
            self._issue(candidate, "name", "", ("name_required", _("Le nom est obligatoire.")), "error")
        elif not NAME_MIN <= len(name) <= NAME_MAX:
            message = _("Le nom doit compter de %(min)d à %(max)d caractères.") % {"min": NAME_MIN, "max": NAME_MAX}
            self._issue(candidate, "name", name, ("name_length", message), "error")
        candidate.fields["name"] = name

    def _texts(self, candidate: Candidate) -> None:
        fields = candidate.fields
        description = fields.get("description", "")
        if len(description) > DESCRIPTION_MAX:
            fields["description"] = shorten(description, DESCRIPTION_MAX)
            message = _("Description raccourcie à %d caractères.") % DESCRIPTION_MAX
            self._issue(candidate, "description", description[:60], ("description_length", message))
        summary = fields.get("summary") or " ".join(description.split())
        if len(summary) > SUMMARY_MAX and fields.get("summary"):
            message = _("Résumé raccourci à %d caractères.") % SUMMARY_MAX
            self._issue(candidate, "summary", summary[:60], ("summary_length", message))
        if summary:
            fields["summary"] = shorten(summary, SUMMARY_MAX)

    def _personal_data(self, candidate: Candidate) -> None:
        """Strict policy: a person's e-mail or mobile number is dropped; a generic mailbox stays private."""
        fields = candidate.fields
        person = fields.pop("contact_name", "")
        address = fields.pop("email", None)
        if address and not self._personal_email((address, person)):
            fields["contact_email"] = address
        elif address:
            message = _("Adresse personnelle non conservée (données personnelles).")
            self._issue(candidate, "email", "***", ("personal_email", message))
        if MOBILE.match(fields.get("phone", "")):
            fields.pop("phone")
            message = _("Numéro de mobile non conservé (données personnelles).")
            self._issue(candidate, "phone", "***", ("personal_phone", message))

    def _locate(self, candidate: Candidate) -> None:
        fields = candidate.fields
        place = self.gazetteer.resolve(
            insee=fields.pop("insee_code", ""),
            postal=fields.pop("postal_code", ""),
            name=fields.pop("commune", ""),
            departement=fields.pop("departement", ""),
            latitude=fields.pop("latitude", None),
            longitude=fields.pop("longitude", None),
        )
        for target, value, rule, message in place.problems:
            self._issue(candidate, target, value, (rule, message))
        address, label = fields.pop("address", ""), fields.pop("location_label", "")
        if place.commune_code:
            candidate.locations.append(
                {
                    "commune": place.commune_code,
                    "postal_code": place.postal_code,
                    "address": address[:250],
                    "label": label[:150],
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                    "swapped": place.swapped,
                }
            )

    def _recode_terms(self, candidate: Candidate) -> None:
        for tag in candidate.fields.pop("tags", []):
            targets = self._tag_targets(tag)
            if targets is None:
                self.unmapped[tag] += 1
            candidate.terms.update(target for target in targets or [] if target in self._known_terms)
        for target, vocabulary in TERM_TARGETS.items():
            for code in candidate.fields.pop(target, []):
                term = f"{vocabulary}:{code.upper()}"
                if term in self._known_terms:
                    candidate.terms.add(term)
                else:
                    self.unmapped[f"{vocabulary}:{code}"] += 1

    def _content_key(self, candidate: Candidate) -> str:
        where = candidate.locations[0]["commune"] if candidate.locations else ""
        key = f"{fold(candidate.fields.get('name', ''))}|{where}"
        digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
        return f"k:{digest[:20]}"


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"
