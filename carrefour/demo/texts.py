"""Summaries (≤ 280 characters) and Markdown descriptions (300–1,500 characters) assembled from templates."""

import random
from dataclasses import dataclass, field

from carrefour.catalog.models import Term
from carrefour.demo.french import at_place, capitalise, join_and, lower_label, of_phrase, of_place
from carrefour.demo.reference import Place, PlaceKind
from carrefour.demo.vocabulary import keyed_entry, templates

SUMMARY_MAX = 280
DESCRIPTION_MAX = 1500
EXTRA_RATE = 0.6


@dataclass
class Facts:
    """What a sheet's text talks about."""

    name: str
    kind: PlaceKind
    place: Place
    start_year: int
    themes: list[Term]
    publics: list[Term]
    forms: list[Term] = field(default_factory=list)
    stage: Term | None = None
    scale: Term | None = None
    carrier: str = ""
    supporters: list[str] = field(default_factory=list)
    model: str = ""


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary with an ellipsis when longer than `limit`."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


class TextMaker:
    def __init__(self, rng: random.Random):
        self._rng = rng
        self._texts = templates("texts")
        self._common = templates("common")

    def summary(self, facts: Facts, activity: str) -> str:
        context = self._context(facts, activity)
        text = capitalise(self._pick("summaries", context))
        if self._rng.random() < EXTRA_RATE:
            extended = f"{text} {self._pick('summary_extras', context)}"
            if len(extended) <= SUMMARY_MAX:
                text = extended
        return shorten(text, SUMMARY_MAX)

    def description(self, facts: Facts, activity: str) -> str:
        context = self._context(facts, activity)
        paragraphs = [
            capitalise(self._pick("intros", context)),
            self._activity_list(facts.kind),
            self._themes_paragraph(facts),
            self._publics_paragraph(facts, context),
            self._stage_paragraph(facts, context),
            self._closing_paragraph(facts, context),
        ]
        paragraphs = [paragraph for paragraph in paragraphs if paragraph]
        while len("\n\n".join(paragraphs)) > DESCRIPTION_MAX and len(paragraphs) > 3:
            paragraphs.pop()
        return shorten("\n\n".join(paragraphs), DESCRIPTION_MAX)

    def organisation(self, name: str, entry: dict, place: Place, year: int, mission: str) -> str:
        context = {
            "name": name,
            "kind": entry["kind"],
            "e": "e" if entry["feminine"] else "",
            "at_commune": at_place(place.name),
            "mission": mission,
            "year": year,
        }
        first = self._rng.choice(self._common["org_descriptions"]).format_map(context)
        extra = self._rng.choice(self._common["org_description_extras"]).format_map(context)
        return capitalise(f"{first} {extra}")

    def _pick(self, key: str, context: dict) -> str:
        return self._rng.choice(self._texts[key]).format_map(context)

    def _context(self, facts: Facts, activity: str) -> dict:
        entry = facts.kind.entry
        at_commune = at_place(facts.place.name)
        public_labels = [term.label for term in facts.publics] or ["Tous publics"]
        return {
            "name": facts.name,
            "article": entry["article"],
            "Article": capitalise(entry["article"]),
            "noun": entry["noun"],
            "e": "e" if entry["feminine"] else "",
            "at_commune": at_commune,
            "at_commune_cap": capitalise(at_commune),
            "of_commune": of_place(facts.place.name),
            "year": facts.start_year,
            "activity": activity,
            "of_activity": of_phrase(activity),
            "publics": join_and(public_labels),
            "publics_lower": join_and([lower_label(label) for label in public_labels]),
            "theme": facts.themes[0].label if facts.themes else entry["title"],
            "carrier": facts.carrier or facts.name,
            "supporters": join_and(facts.supporters),
            "of_model": of_place(facts.model) if facts.model else "",
            "day": self._rng.choice(self._texts["days"]),
        }

    def _activity_list(self, kind: PlaceKind) -> str:
        activities = self._rng.sample(kind.entry["activities"], k=min(4, len(kind.entry["activities"])))
        items = [f"- {capitalise(activity)} ;" for activity in activities]
        items[-1] = items[-1][:-2] + "."
        return self._rng.choice(self._texts["activity_list_heads"]) + "\n\n" + "\n".join(items)

    def _themes_paragraph(self, facts: Facts) -> str:
        sentences = []
        for term in [t for t in facts.themes if t.parent_id is None][:2]:
            sentences.append(self._rng.choice(keyed_entry("texts", "theme_sentences", term.code, term.label)))
        for term in [t for t in facts.themes if t.parent_id is not None][:2]:
            sentences.append(self._rng.choice(self._texts["sub_theme_sentences"]).format(theme=term.label))
        return " ".join(sentences)

    def _publics_paragraph(self, facts: Facts, context: dict) -> str:
        sentences = [self._pick("public_sentences", context)]
        for form in facts.forms:
            template = self._rng.choice(self._texts["form_sentences"])
            sentences.append(template.format(form=form.label, form_lower=lower_label(form.label)))
        return " ".join(sentences)

    def _stage_paragraph(self, facts: Facts, context: dict) -> str:
        sentences = []
        if facts.stage is not None:
            stage_texts = keyed_entry("texts", "stage_sentences", facts.stage.code, facts.stage.label)
            sentences.append(self._rng.choice(stage_texts))
        if facts.scale is not None:
            template = self._rng.choice(self._texts["scale_sentences"])
            sentences.append(template.format(scale_lower=lower_label(facts.scale.label)))
        if facts.model:
            sentences.append(self._texts["replication_sentence"].format_map(context))
        return " ".join(sentences)

    def _closing_paragraph(self, facts: Facts, context: dict) -> str:
        sentences = []
        if facts.supporters:
            sentences.append(self._pick("support_sentences", context))
        sentences.append(self._pick("closings", context))
        return " ".join(sentences)
