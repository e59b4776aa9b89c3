"""POST data for the sheet forms, built from a sheet as its edit form would show it."""

from carrefour.contributions.forms import initial_from
from carrefour.contributions.snapshot import snapshot


def edit_post(initiative, **changes) -> dict:
    data = initial_from(snapshot(initiative))
    data = {key: value for key, value in data.items() if value not in (None,)}
    data["version"] = initiative.version
    data.update(changes)
    return data
