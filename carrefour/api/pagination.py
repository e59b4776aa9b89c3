"""Stable cursor pagination: an opaque signed cursor holds (sort, last sort key, last id) of the page just served.

The next page is "rows after that key" in (sort key, id) order, so rows inserted or deleted meanwhile never shift a
page: nothing is skipped and nothing is served twice, whatever happens between two requests.
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SALT = "carrefour.api.cursor"


class PaginationError(ValueError):
    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    page_size: int


def page_size(params) -> int:
    raw = (params.get("page_size") or "").strip()
    if not raw:
        return DEFAULT_PAGE_SIZE
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        message = _("La taille de page (page_size) doit être un nombre entier entre 1 et %(max)s.")
        raise PaginationError("page_size", message % {"max": MAX_PAGE_SIZE})
    return int(raw)


def _decode(cursor: str, sort: str) -> tuple:
    try:
        data = signing.loads(cursor, salt=SALT)
    except signing.BadSignature:
        raise PaginationError("cursor", _("Curseur invalide : reprenez le lien « next » d'une réponse.")) from None
    if not isinstance(data, list) or len(data) != 3 or data[0] != sort:
        raise PaginationError("cursor", _("Ce curseur a été donné pour un autre tri : reprenez depuis le début."))
    return data[1], data[2]


def _encode(sort: str, key, pk) -> str:
    if isinstance(key, datetime):
        key = key.isoformat()
    return signing.dumps([sort, key, pk], salt=SALT, compress=True)


def paginate(queryset: QuerySet, params, *, key: str = "pk", sort: str = "id") -> Page:
    """One page of `queryset` ordered by (`key`, pk). `key` may be "pk" (the key is the id itself)."""
    size = page_size(params)
    ordering = ("pk",) if key == "pk" else (key, "pk")
    queryset = queryset.order_by(*ordering)
    cursor = (params.get("cursor") or "").strip()
    if cursor:
        last_key, last_pk = _decode(cursor, sort)
        if key == "pk":
            queryset = queryset.filter(pk__gt=last_pk)
        else:
            if isinstance(last_key, str) and key.endswith("_at"):
                last_key = parse_datetime(last_key)
            queryset = queryset.filter(Q(**{f"{key}__gt": last_key}) | Q(**{key: last_key, "pk__gt": last_pk}))
    rows = list(queryset[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = _encode(sort, last.pk if key == "pk" else getattr(last, key), last.pk)
    return Page(rows, next_cursor, size)


def next_link(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(request.path + "?" + urlencode(sorted(params.lists()), doseq=True))
