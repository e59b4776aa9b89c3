"""The written decision rules (RULES.md): what merges automatically, what goes to the moderators."""

from carrefour.dedup.scoring import SAME_ADDRESS, Comparison, place_conflict

# A pair scoring at least this goes to the moderators (chosen on the labelled pairs, see RULES.md).
REVIEW_THRESHOLD = 0.75


def auto_merge_rule(c: Comparison) -> str | None:
    """The name of the near-certain rule this pair satisfies, or None. Every rule needs a distinctive name and two
    sheets from different sources (a partner's two records are two things to that partner)."""
    if c.generic_name or c.shared_source:
        return None
    # Two street addresses that disagree mean two sites of one organisation, whatever the name and website say.
    if place_conflict(c) < 1 or (c.address_conflict and c.address < SAME_ADDRESS):
        return None
    if c.same_siret and c.name >= 0.9:
        return "siret_name"
    if c.same_web_host and c.same_commune and c.name >= 0.95:
        return "website_commune_name"
    if c.distance is not None and c.distance <= 50 and c.name >= 0.97:
        return "distance_name"
    return None


def needs_review(c: Comparison) -> bool:
    return c.score >= REVIEW_THRESHOLD
