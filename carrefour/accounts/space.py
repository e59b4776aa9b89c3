"""Sections of « Mon espace ». Other apps append a `SpaceSection` to `SECTIONS` (in their AppConfig.ready()).

Each section is a template included in the page (which has `request`, `user` and `profile`), with `section` and
`data` (what its `context(request)` callable returns); it is shown when `visible(request)` is true. A section
template is a `<section class="panel">` with an `<h2>`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


def _always(request: HttpRequest) -> bool:
    return True


def _nothing(request: HttpRequest) -> dict:
    return {}


@dataclass(frozen=True)
class SpaceSection:
    key: str
    template: str
    order: int = 100
    context: Callable[[HttpRequest], dict] = field(default=_nothing)
    visible: Callable[[HttpRequest], bool] = field(default=_always)


SECTIONS: list[SpaceSection] = []


def register(section: SpaceSection) -> SpaceSection:
    """Add a section once (registering the same key again replaces it, so reloading stays harmless)."""
    SECTIONS[:] = [existing for existing in SECTIONS if existing.key != section.key]
    SECTIONS.append(section)
    return section


def sections_for(request: HttpRequest) -> list[tuple[SpaceSection, dict]]:
    shown = [section for section in SECTIONS if section.visible(request)]
    return [(section, section.context(request)) for section in sorted(shown, key=lambda s: (s.order, s.key))]
